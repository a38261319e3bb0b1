"""The database of the fake stock Odoo (no HTTP here): seeded records and the dispatch of every call.

``StockOdooState`` seeds one database (hmi.sim.stock_catalogue) and carries out each object.execute_kw /
JSON-2 call as Odoo does: unknown model or method, private method, missing record, then the ORM method
(hmi.sim.stock_records) or the model's public method (mrp.production and its wizards: hmi.sim.stock_mrp);
every call is kept in ``calls``. Together they reproduce what the client relies on (reference §5.4).
The three layers are one class chain: StockRecords < StockMrp < StockOdooState.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any, Mapping

from hmi.sim.stock_catalogue import (
    CATEGORIES,
    PICKING_TYPES,
    WAREHOUSES,
    WORKCENTERS,
    seed_mos,
    seed_products,
    uom_records,
)
from hmi.sim.stock_mrp import StockMrp
from hmi.sim.stock_records import ADMIN_UID, ORM_METHODS, FakeError

__all__ = ["ADMIN_UID", "ACTIONS", "ORM_METHODS", "FakeError", "StockOdooState"]

ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


#: Public methods per model beyond the ORM ones.
ACTIONS: dict[str, tuple[str, ...]] = {
    "mrp.production": ("action_assign", "set_qty_producing", "button_mark_done", "action_cancel", "action_confirm"),
    "mrp.consumption.warning": ("action_confirm", "action_set_qty"),
    "mrp.production.backorder": ("action_backorder", "action_close_mo"),
    "mrp.immediate.production": ("process",),
    "res.users": ("context_get",),
}


class StockOdooState(StockMrp):
    """All records of one fake database, for one Odoo major version. Not thread-safe: the server locks."""

    def __init__(self, version: int = 18, mo_count: int = 24, seed: int = 1) -> None:
        super().__init__(version)
        self.calls: list[dict[str, Any]] = []
        self._seed(mo_count, seed)

    # ---- seed ---------------------------------------------------------------------------------------------

    def use_weight_reference(self, uom_id: int) -> None:
        """Make another weight unit (lb, g...) the reference of the weight units, as a plant may have set it."""
        self.records["uom.uom"].update(uom_records(self.version, uom_id))

    def _seed(self, mo_count: int, seed: int) -> None:
        r = self.records
        for name, cat_id in CATEGORIES.items():
            r["uom.category"][cat_id] = {"id": cat_id, "name": name}
        r["uom.uom"].update(uom_records(self.version))
        for wh_id, name in WAREHOUSES.items():
            r["stock.warehouse"][wh_id] = {"id": wh_id, "name": name}
        r["stock.location"][8] = {"id": 8, "name": "WH/Stock"}
        for pt_id, (name, wh_id) in PICKING_TYPES.items():
            r["stock.picking.type"][pt_id] = {"id": pt_id, "name": name, "warehouse_id": wh_id}
        for wc_id, (code, name) in WORKCENTERS.items():
            r["mrp.workcenter"][wc_id] = {"id": wc_id, "code": code, "name": name}
        r["res.users"][ADMIN_UID] = {"id": ADMIN_UID, "name": "Mitchell Admin", "login": "admin"}
        for product in seed_products().values():
            r["product.product"][product.product_id] = {
                "id": product.product_id, "name": product.name, "default_code": product.default_code or False,
                "uom_id": product.uom_id}
        move_ids = itertools.count(1000)
        for mo in seed_mos(mo_count, seed):
            r["mrp.bom"].setdefault(mo.bom_id, {"id": mo.bom_id, "consumption": mo.consumption})
            moves = []
            for move in mo.moves:
                move_id = next(move_ids)
                moves.append(move_id)
                r["stock.move"][move_id] = self._new_move(move_id, move.product_id, move.demand, move.uom_id, mo.number)
            r["mrp.production"][mo.number] = {
                "id": mo.number, "name": mo.name, "product_id": mo.product_id, "product_qty": mo.product_qty,
                "product_uom_id": 12, "state": "confirmed", "reservation_state": mo.reservation_state,
                "bom_id": mo.bom_id, "move_raw_ids": moves, "origin": mo.origin, "qty_producing": 0.0,
                "qty_produced": 0.0, "picking_type_id": mo.picking_type_id, "workorder_ids": [mo.number],
                "backorder_sequence": 0, "consumption": mo.consumption, "date_finished": False,
                "date_start": mo.date_start.strftime(ODOO_DATETIME),
                "date_planned_start": mo.date_start.strftime(ODOO_DATETIME),
            }
            r["mrp.workorder"][mo.number] = {"id": mo.number, "name": "Mixing", "production_id": mo.number,
                                             "workcenter_id": mo.workcenter_id, "state": "ready"}
        for model, records in r.items():
            if records:
                self._ids[model] = itertools.count(max(records) + 1)

    # ---- dispatch -----------------------------------------------------------------------------------------

    def execute(self, model: str, method: str, args: list[Any], kwargs: Mapping[str, Any]) -> Any:
        """One object.execute_kw / JSON-2 call (JSON-2 passes ids as the first positional argument)."""
        if model not in self.fields:
            raise FakeError("odoo.exceptions.UserError", f"Object {model} doesn't exist", 404)
        if method.startswith("_"):
            raise FakeError("odoo.exceptions.AccessError",
                            f"Private methods (such as '{model}.{method}') cannot be called remotely.", 403)
        if method not in ORM_METHODS and method not in ACTIONS.get(model, ()):
            raise FakeError("builtins.AttributeError", f"The method '{model}.{method}' does not exist", 404)
        kwargs = dict(kwargs)
        context = dict(kwargs.pop("context", None) or {})
        self.calls.append({"model": model, "method": method, "args": copy.deepcopy(args),
                           "kwargs": copy.deepcopy(kwargs), "context": copy.deepcopy(context)})
        if method in ORM_METHODS:
            return getattr(self, "_orm_" + method)(model, *args, context=context, **kwargs)
        if model == "res.users":
            return {"lang": "en_US", "tz": "Asia/Jakarta", "uid": ADMIN_UID}
        ids = args[0] if args else kwargs.pop("ids", [])
        if isinstance(ids, int):
            ids = [ids]
        records = [self._existing(model, i) for i in ids]
        return getattr(self, f"_{model.replace('.', '_')}__{method}")(records, context)

    # ---- inspection (tests, /fake/*) ----------------------------------------------------------------------

    def mo_by_name(self, name: str) -> dict | None:
        return next((mo for mo in self.records["mrp.production"].values() if mo["name"] == name), None)

    def mo_view(self, mo: dict) -> dict:
        """One MO with its raw moves (product code, demand, done quantity, picked, state) for tests and /fake/mos."""
        moves = []
        for move in self._moves(mo):
            product = self.records["product.product"][move["product_id"]]
            moves.append({"id": move["id"], "product_code": product["default_code"], "demand": move["product_uom_qty"],
                          "uom": self.records["uom.uom"][move["product_uom"]]["name"], "done": self._done_qty(move),
                          "picked": bool(move["picked"]) if self.version >= 17 else None, "state": move["state"],
                          "manual_consumption": move["manual_consumption"]})
        return {"id": mo["id"], "name": mo["name"], "state": mo["state"], "product_qty": mo["product_qty"],
                "qty_producing": mo["qty_producing"], "qty_produced": mo["qty_produced"],
                "picking_type_id": mo["picking_type_id"], "reservation_state": mo["reservation_state"],
                "moves": moves}
