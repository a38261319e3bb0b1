"""Local admin HTTP API (the seed's endpoints plus history, health and scheduler control).

FastAPI and uvicorn are imported when the API is first used (``create_app``, ``ApiServer``),
not when this package is: with API_ENABLED=false the window and the service start without them.
"""

from typing import TYPE_CHECKING, Any

from hmi.api.errors import ApiStartError

if TYPE_CHECKING:
    from hmi.api.app import create_app
    from hmi.api.server import ApiServer


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from hmi.api.app import create_app

        return create_app
    if name == "ApiServer":
        from hmi.api.server import ApiServer

        return ApiServer
    raise AttributeError(f"module 'hmi.api' has no attribute {name!r}")


__all__ = ["ApiServer", "ApiStartError", "create_app"]
