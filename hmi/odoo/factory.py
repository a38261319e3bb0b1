"""Builds the Odoo client the settings ask for; the services only ever see AsyncOdooClient."""

from __future__ import annotations

import logging
from typing import Callable

from hmi.config import Settings
from hmi.odoo.client import AsyncOdooClient
from hmi.odoo.rpc import AutoTransport, Json2Transport, JsonRpcTransport, RpcTransport
from hmi.odoo.stock_client import StockOdooClient
from hmi.silo_assignment import SiloAssignment

log = logging.getLogger("hmi.odoo")

PROTOCOLS = ("grt_scada", "jsonrpc", "json2", "auto")


def build_transport(s: Settings) -> RpcTransport:
    timeout = s.odoo_timeout_seconds
    if s.odoo_api == "jsonrpc":
        # An API key works in place of the password on /jsonrpc; prefer it when both are set.
        return JsonRpcTransport(s.odoo_base_url, s.odoo_db, s.odoo_username, s.odoo_api_key or s.odoo_password,
                                timeout)
    if s.odoo_api == "json2":
        return Json2Transport(s.odoo_base_url, s.odoo_db, s.odoo_username, s.odoo_api_key, timeout)
    return AutoTransport(s.odoo_base_url, s.odoo_db, s.odoo_username, s.odoo_password, s.odoo_api_key, timeout)


def build_odoo_client(s: Settings, assignment: Callable[[], SiloAssignment] | None = None) -> AsyncOdooClient:
    """ODOO_API=grt_scada (default): the addon client; jsonrpc/json2/auto: stock Odoo through `assignment`."""
    # The smallest batch the line doses: one that is no bigger than what the scale may miss on a silo
    # (DOSING_TOLERANCE_KG) is a leftover, never a batch (a backorder of a shortfall, a slip).
    min_batch_kg = s.dosing_tolerance_kg
    if s.odoo_api == "grt_scada":
        return AsyncOdooClient(s.odoo_base_url, s.odoo_db, s.odoo_username, s.odoo_password,
                               timeout=s.odoo_timeout_seconds, min_batch_kg=min_batch_kg)
    if assignment is None:
        raise ValueError("stock Odoo protocols need the silo assignment")
    log.info("Odoo protocol: %s (stock Odoo); operation type %r, work center %r, only ready: %s, backorder: %s",
             s.odoo_api, s.odoo_picking_type or "-", s.odoo_workcenter or "-", s.odoo_only_ready, s.odoo_backorder)
    stock = StockOdooClient(build_transport(s), assignment, picking_type=s.odoo_picking_type,
                            workcenter=s.odoo_workcenter, only_ready=s.odoo_only_ready,
                            backorder=s.odoo_backorder, line_code=s.line_equipment_code,
                            shortfall_tolerance=lambda target_kg: batch_tolerance_kg(s, target_kg),
                            min_batch_kg=min_batch_kg)
    return AsyncOdooClient.over(stock)


def batch_tolerance_kg(s: Settings, target_kg: float) -> float:
    """kg a finished batch may fall short of `target_kg` and still be complete (the dosing tolerance's rule,
    max(DOSING_TOLERANCE_KG, DOSING_TOLERANCE_PERCENT of the target), applied to the whole batch)."""
    return max(s.dosing_tolerance_kg, s.dosing_tolerance_percent / 100.0 * abs(target_kg))
