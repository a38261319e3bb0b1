"""Local admin HTTP API (the seed's endpoints plus history, health and scheduler control)."""

from hmi.api.app import create_app
from hmi.api.server import ApiServer, ApiStartError

__all__ = ["ApiServer", "ApiStartError", "create_app"]
