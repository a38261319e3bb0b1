"""The admin API's start-up error, importable without FastAPI or uvicorn (start-up reports it)."""


class ApiStartError(Exception):
    """The admin API cannot listen (port in use, address not available)."""
