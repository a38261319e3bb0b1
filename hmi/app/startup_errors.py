"""Start-up failures an operator can act on: shown as one clear line (and a dialog in the GUI)."""

from hmi.api.errors import ApiStartError
from hmi.odoo import OdooError
from hmi.plc import RegisterMapError
from hmi.store import DatabaseError

STARTUP_ERRORS = (DatabaseError, ApiStartError, RegisterMapError, OdooError)
