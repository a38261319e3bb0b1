"""Odoo link: one client interface (AsyncOdooClient) over the grt_scada addon routes or stock Odoo 16–19
(JSON-RPC / JSON-2, hmi.odoo.stock_client, built by hmi.odoo.factory), the errors and the MO mappings."""

from hmi.odoo.client import AsyncOdooClient, OdooActionResult, OdooClient
from hmi.odoo.errors import (
    OdooAccessRights,
    OdooAddonMissing,
    OdooApplicationError,
    OdooAuthError,
    OdooBadResponse,
    OdooError,
    OdooMoCancelled,
    OdooPartialError,
    OdooPayloadError,
    OdooRecordGone,
    OdooRpcError,
    OdooServerError,
    OdooSessionExpired,
    OdooTimeout,
    OdooTlsError,
    OdooUnreachable,
    OdooValidationError,
)
from hmi.odoo.mapping import FetchResult, RejectedMo, map_mo, map_mo_list, silo_for_equipment_code

__all__ = [
    "AsyncOdooClient",
    "OdooAccessRights",
    "OdooMoCancelled",
    "OdooRecordGone",
    "OdooValidationError",
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
