"""Odoo link: the grt_scada client, its errors and the MO payload mapping."""

from hmi.odoo.client import AsyncOdooClient, OdooActionResult, OdooClient
from hmi.odoo.errors import (
    OdooAddonMissing,
    OdooApplicationError,
    OdooAuthError,
    OdooBadResponse,
    OdooError,
    OdooPartialError,
    OdooPayloadError,
    OdooRpcError,
    OdooServerError,
    OdooSessionExpired,
    OdooTimeout,
    OdooTlsError,
    OdooUnreachable,
)
from hmi.odoo.mapping import FetchResult, RejectedMo, map_mo, map_mo_list, silo_for_equipment_code

__all__ = [
    "AsyncOdooClient",
    "FetchResult",
    "OdooActionResult",
    "OdooAddonMissing",
    "OdooApplicationError",
    "OdooAuthError",
    "OdooBadResponse",
    "OdooClient",
    "OdooError",
    "OdooPartialError",
    "OdooPayloadError",
    "OdooRpcError",
    "OdooServerError",
    "OdooSessionExpired",
    "OdooTimeout",
    "OdooTlsError",
    "OdooUnreachable",
    "RejectedMo",
    "map_mo",
    "map_mo_list",
    "silo_for_equipment_code",
]
