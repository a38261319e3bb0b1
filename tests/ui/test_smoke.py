def test_window_builds(live_ui):
    ui = live_ui()
    assert ui.window.batch_model.rowCount() == 0
    assert ui.window.plc_badge.text == "PLC CONNECTED"
