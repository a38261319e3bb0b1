def pytest_configure(config):
    config.addinivalue_line("markers", "soak: long-running cycle test of the headless service (SOAK_CYCLES=N for more)")
