"""The records and the ORM subset of the fake stock Odoo (no HTTP here).

Reproduces what the client relies on (reference §5.4): search_read / search / search_count / read /
write / create with Odoo's value conventions (many2one as [id, name], x2many as id lists, false for
empty, naive UTC datetimes), domains with = != in not in < <= > >= like ilike and & | !, order and
limit/offset, the errors Odoo raises (unknown model, field, method, private method, missing record),
and the manufacturing behaviour of 16–19: set_qty_producing, button_mark_done with its wizards
(consumption warning, backorder, 16's immediate production) and context keys, the 17+ auto-complete
at qty_producing 0 and cancellation of unpicked raw moves, backorders, action_cancel.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Mapping

from hmi.sim.stock_catalogue import (
    CATEGORIES,
    PICKING_TYPES,
    WAREHOUSES,
    WORKCENTERS,
    seed_mos,
    seed_products,
    uom_records,
)

ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"
ADMIN_UID = 2


class FakeError(Exception):
    """An Odoo exception: `name` as serialize_exception writes it, the JSON-2 HTTP status."""

    def __init__(self, name: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.name = name
        self.message = message
        self.status = status


def user_error(message: str) -> FakeError:
    return FakeError("odoo.exceptions.UserError", message, 422)


@dataclass(frozen=True)
class FieldDef:
    kind: str  # char, float, integer, boolean, selection, datetime, many2one, one2many, many2many
    relation: str = ""


def _fields(version: int) -> dict[str, dict[str, FieldDef]]:
    c, f, i, b, s, d = (FieldDef("char"), FieldDef("float"), FieldDef("integer"), FieldDef("boolean"),
                        FieldDef("selection"), FieldDef("datetime"))
    m2o = lambda rel: FieldDef("many2one", rel)  # noqa: E731
    o2m = lambda rel: FieldDef("one2many", rel)  # noqa: E731
    production = {
        "name": c, "product_id": m2o("product.product"), "product_qty": f, "product_uom_id": m2o("uom.uom"),
        "state": s, "reservation_state": s, "bom_id": m2o("mrp.bom"), "move_raw_ids": o2m("stock.move"),
        "origin": c, "qty_producing": f, "qty_produced": f, "picking_type_id": m2o("stock.picking.type"),
        "workorder_ids": o2m("mrp.workorder"), "backorder_sequence": i, "consumption": s,
        "date_finished": d, "display_name": c,
    }
    if version <= 16:
        production.update({"date_planned_start": d, "date_start": d})
    else:
        production["date_start"] = d
    move = {
        "product_id": m2o("product.product"), "product_uom_qty": f, "product_qty": f, "product_uom": m2o("uom.uom"),
        "state": s, "location_id": m2o("stock.location"), "raw_material_production_id": m2o("mrp.production"),
        "manual_consumption": b, "should_consume_qty": f, "display_name": c,
    }
    if version <= 16:
        move.update({"quantity_done": f, "reserved_availability": f})
    else:
        move.update({"quantity": f, "picked": b})
    uom = {"name": c, "factor": f, "rounding": f, "display_name": c}
    if version <= 18:
        uom.update(category_id=m2o("uom.category"), uom_type=s)
    else:
        uom.update(relative_factor=f, relative_uom_id=m2o("uom.uom"))
    return {
        "mrp.production": production,
        "stock.move": move,
        "product.product": {"name": c, "default_code": c, "uom_id": m2o("uom.uom"), "display_name": c},
        "uom.uom": uom,
        "uom.category": {"name": c, "display_name": c},
        "stock.warehouse": {"name": c, "display_name": c},
        "stock.location": {"name": c, "display_name": c},
        "stock.picking.type": {"name": c, "warehouse_id": m2o("stock.warehouse"), "display_name": c},
        "mrp.workcenter": {"name": c, "code": c, "display_name": c},
        "mrp.workorder": {"name": c, "production_id": m2o("mrp.production"), "workcenter_id": m2o("mrp.workcenter"),
                          "state": s, "display_name": c},
        "mrp.bom": {"display_name": c, "consumption": s},
        "mrp.consumption.warning": {"display_name": c},
        "mrp.production.backorder": {"display_name": c},
        "mrp.immediate.production": {"display_name": c},
        "res.users": {"name": c, "login": c, "display_name": c},
    }


#: Public methods per model beyond the ORM ones.
ACTIONS: dict[str, tuple[str, ...]] = {
    "mrp.production": ("action_assign", "set_qty_producing", "button_mark_done", "action_cancel", "action_confirm"),
    "mrp.consumption.warning": ("action_confirm", "action_set_qty"),
    "mrp.production.backorder": ("action_backorder", "action_close_mo"),
    "mrp.immediate.production": ("process",),
    "res.users": ("context_get",),
}
ORM_METHODS = ("search_read", "search", "search_count", "read", "write", "create", "name_search")
WIZARDS = ("mrp.consumption.warning", "mrp.production.backorder", "mrp.immediate.production")


class StockOdooState:
    """All records of one fake database, for one Odoo major version. Not thread-safe: the server locks."""

    def __init__(self, version: int = 18, mo_count: int = 24, seed: int = 1) -> None:
        if version not in (16, 17, 18, 19):
            raise ValueError("version must be 16, 17, 18 or 19")
        self.version = version
        self.fields = _fields(version)
        self.records: dict[str, dict[int, dict[str, Any]]] = {model: {} for model in self.fields}
        self._ids = {model: itertools.count(1) for model in self.fields}
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

    def _new_move(self, move_id: int, product_id: int, demand: float, uom_id: int, production_id: int) -> dict:
        return {"id": move_id, "product_id": product_id, "product_uom_qty": demand, "product_qty": demand,
                "product_uom": uom_id, "state": "confirmed", "location_id": 8,
                "raw_material_production_id": production_id, "manual_consumption": False,
                "should_consume_qty": 0.0, "quantity": 0.0, "quantity_done": 0.0, "picked": False,
                "reserved_availability": 0.0}

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

    def _existing(self, model: str, record_id: int) -> dict:
        record = self.records[model].get(record_id)
        if record is None:
            raise FakeError("odoo.exceptions.MissingError",
                            f"Record does not exist or has been deleted.\n(Record: {model}({record_id},), "
                            f"User: {ADMIN_UID})", 404)
        return record

    # ---- ORM ----------------------------------------------------------------------------------------------

    def _check_fields(self, model: str, names: list[str]) -> None:
        for name in names:
            if name != "id" and name not in self.fields[model]:
                where = f"'{model}'" if self.version >= 19 else f"model '{model}'"
                raise FakeError("builtins.ValueError", f"Invalid field '{name}' on {where}", 500)

    def _orm_search(self, model: str, domain: list | None = None, offset: int = 0, limit: int | None = None,
                    order: str | None = None, context: Mapping | None = None) -> list[int]:
        rows = [rec for rec in self.records[model].values() if self._match(model, rec, list(domain or []))]
        for key, descending in reversed(_order(order or "id asc")):
            self._check_fields(model, [key])
            rows.sort(key=lambda rec: _sort_key(rec.get(key)), reverse=descending)
        rows = rows[offset:]
        if limit:
            rows = rows[:limit]
        return [rec["id"] for rec in rows]

    def _orm_search_count(self, model: str, domain: list | None = None, limit: int | None = None,
                          context: Mapping | None = None) -> int:
        return len(self._orm_search(model, domain, limit=limit))

    def _orm_search_read(self, model: str, domain: list | None = None, fields: list[str] | None = None,
                         offset: int = 0, limit: int | None = None, order: str | None = None,
                         context: Mapping | None = None) -> list[dict]:
        self._check_fields(model, list(fields or []))
        return self._orm_read(model, self._orm_search(model, domain, offset, limit, order), fields)

    def _orm_read(self, model: str, ids: list[int], fields: list[str] | None = None,
                  context: Mapping | None = None, load: str | None = None) -> list[dict]:
        names = list(fields or [n for n in self.fields[model] if n != "display_name"])
        self._check_fields(model, names)
        return [self._format(model, self.records[model][i], names) for i in ids if i in self.records[model]]

    def _orm_write(self, model: str, ids: list[int], vals: Mapping[str, Any], context: Mapping | None = None) -> bool:
        self._check_fields(model, list(vals))
        for record in [self._existing(model, i) for i in ids]:
            if model == "stock.move":
                self._write_move(record, vals, context or {})
            else:
                record.update(vals)
                if model == "mrp.production" and "qty_producing" in vals and record["state"] == "confirmed":
                    record["state"] = "progress"
        return True

    def _orm_create(self, model: str, vals_list: Any, context: Mapping | None = None) -> Any:
        single = isinstance(vals_list, dict)
        created = []
        for vals in [vals_list] if single else list(vals_list):
            record_id = next(self._ids[model])
            record = {"id": record_id, **dict(vals)}
            if model in WIZARDS:
                record["context"] = dict(context or {})
            self.records[model][record_id] = record
            created.append(record_id)
        return created[0] if single else created

    def _orm_name_search(self, model: str, name: str = "", args: list | None = None, operator: str = "ilike",
                         limit: int = 100, context: Mapping | None = None) -> list:
        ids = self._orm_search(model, [*(args or []), ["name", operator, name]], limit=limit)
        return [[i, self._display_name(model, self.records[model][i])] for i in ids]

    def _format(self, model: str, record: dict, names: list[str]) -> dict:
        out: dict[str, Any] = {"id": record["id"]}
        for name in names:
            if name == "id":
                continue
            spec = self.fields[model][name]
            value = record.get(name, False)
            if name == "display_name":
                value = self._display_name(model, record)
            elif spec.kind == "many2one":
                target = self.records[spec.relation].get(value) if isinstance(value, int) else None
                value = [value, self._display_name(spec.relation, target)] if target is not None else False
            elif spec.kind in ("one2many", "many2many"):
                value = list(value or [])
            elif spec.kind == "float":
                value = float(value or 0.0)
            elif value is None:
                value = False
            out[name] = value
        return out

    def _display_name(self, model: str, record: dict | None) -> str:
        if record is None:
            return ""
        if model == "product.product":
            code = record.get("default_code")
            return f"[{code}] {record['name']}" if code else record["name"]
        if model == "stock.picking.type":
            return f"{WAREHOUSES.get(record.get('warehouse_id'), '?')}: {record['name']}"
        if model == "mrp.bom":
            mo = next((m for m in self.records["mrp.production"].values() if m["bom_id"] == record["id"]), None)
            return self._display_name("product.product", self.records["product.product"].get(mo["product_id"])) \
                if mo else f"BoM {record['id']}"
        if model == "mrp.workcenter":
            return record["name"]
        return str(record.get("name") or f"{model},{record['id']}")

    def _match(self, model: str, record: dict, domain: list) -> bool:
        def leaf(term: list) -> bool:
            if not isinstance(term, (list, tuple)) or len(term) != 3:
                raise FakeError("builtins.ValueError", f"Invalid leaf {term!r}", 500)
            name, op, value = term
            if name != "id" and name not in self.fields[model]:
                word = "condition" if self.version >= 19 else "leaf"
                raise FakeError("builtins.ValueError",
                                f"Invalid field {model}.{name} in {word} ({name!r}, {op!r}, {value!r})", 500)
            actual = record.get(name, False)
            if actual is None:
                actual = False
            return _compare(actual, op, value)

        stack: list[bool] = []
        for term in reversed(domain):
            if term == "&":
                stack.append(stack.pop() and stack.pop())
            elif term == "|":
                a, b = stack.pop(), stack.pop()
                stack.append(a or b)
            elif term == "!":
                stack.append(not stack.pop())
            else:
                stack.append(leaf(term))
        return all(stack)

    # ---- stock.move ---------------------------------------------------------------------------------------

    def _write_move(self, move: dict, vals: Mapping[str, Any], context: Mapping[str, Any]) -> None:
        vals = dict(vals)
        rounding = self.records["uom.uom"].get(move["product_uom"], {}).get("rounding") or 0.0
        for key in ("quantity", "quantity_done"):
            if isinstance(vals.get(key), (int, float)) and not isinstance(vals[key], bool) and rounding:
                vals[key] = _round_half_up(float(vals[key]), rounding)  # Odoo keeps the unit's precision
        move.update(vals)
        if context.get("force_manual_consumption") and ("quantity" in vals or "picked" in vals):
            move["manual_consumption"] = True
        production = self.records["mrp.production"].get(move["raw_material_production_id"])
        if production is not None and production["state"] == "confirmed" and (
                vals.get("quantity_done") or vals.get("picked")):
            production["state"] = "progress"

    def _done_qty(self, move: dict) -> float:
        return float(move["quantity_done"] if self.version <= 16 else move["quantity"])

    # ---- mrp.production -----------------------------------------------------------------------------------

    def _mrp_production__action_confirm(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            if mo["state"] == "draft":
                mo["state"] = "confirmed"
        return True

    def _mrp_production__action_assign(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            mo["reservation_state"] = "assigned"
        return True

    def _mrp_production__set_qty_producing(self, records: list[dict], context: Mapping) -> None:
        if self.version <= 16:
            raise FakeError("builtins.AttributeError", "The method 'mrp.production.set_qty_producing' does not exist",
                            404)
        for mo in records:
            ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
            for move in self._moves(mo):
                if not move["manual_consumption"]:
                    move["quantity"] = round(move["product_uom_qty"] * ratio, 6)
                    move["picked"] = True
        return None

    def _mrp_production__action_cancel(self, records: list[dict], context: Mapping) -> bool:
        for mo in records:
            if mo["state"] == "done":
                raise user_error("Cannot cancel a manufacturing order that is done.")
            mo["state"] = "cancel"
            mo["reservation_state"] = False
            for move in self._moves(mo):
                move["state"] = "cancel"
        return True

    def _moves(self, mo: dict) -> list[dict]:
        return [self.records["stock.move"][m] for m in mo["move_raw_ids"] if m in self.records["stock.move"]]

    def _mrp_production__button_mark_done(self, records: list[dict], context: Mapping) -> Any:
        context = dict(context)
        for mo in records:
            if mo["state"] in ("done", "cancel"):
                raise user_error(f"The manufacturing order {mo['name']} is already {mo['state']}.")
        for mo in records:
            if mo["qty_producing"] <= 0:
                if self.version <= 16:
                    if not any(self._done_qty(m) for m in self._moves(mo)) and not context.get("skip_immediate"):
                        return self._action("mrp.immediate.production", "Immediate Production?",
                                            {"default_mo_ids": [mo["id"]], "skip_immediate": True})
                    if not context.get("skip_immediate"):
                        raise user_error("The quantity to produce must be positive!")
                # 17+: the whole BoM is consumed without a question (the hazard the client avoids).
                self._fill_theoretical(mo)
        for mo in records:
            if mo["consumption"] == "warning" and not context.get("skip_consumption"):
                lines = self._consumption_issues(mo)
                if lines:
                    return self._action("mrp.consumption.warning", "Consumption Warning", {
                        "default_mrp_production_ids": [mo["id"]],
                        "default_mrp_consumption_warning_line_ids": [[0, 0, line] for line in lines],
                        "form_view_ref": False})
        partial = [mo for mo in records if mo["qty_producing"] < mo["product_qty"]]
        if partial and not context.get("skip_backorder"):
            title = "You produced less than the initial demand" if self.version >= 19 else \
                "You produced less than initial demand"
            # Like Odoo, the wizard's context carries the caller's (e.g. skip_consumption after a confirmed warning).
            carried = {k: v for k, v in context.items() if not k.startswith("default_") and k != "form_view_ref"}
            return self._action("mrp.production.backorder", title, {
                **carried,
                "always_backorder_mo_ids": [],
                "default_mrp_production_ids": [mo["id"] for mo in partial],
                "default_mrp_production_backorder_line_ids": [
                    [0, 0, {"mrp_production_id": mo["id"], "to_backorder": True}] for mo in partial]})
        to_backorder = set(context.get("mo_ids_to_backorder") or [])
        backorders = []
        for mo in records:
            if mo["id"] in to_backorder and mo["qty_producing"] < mo["product_qty"]:
                backorders.append(self._split_backorder(mo))
            self._post_done(mo)
        if backorders:
            return {"res_model": "mrp.production", "type": "ir.actions.act_window",
                    "context": {"skip_backorder": False, "mo_ids_to_backorder": None},
                    "views": [[False, "form"]], "view_mode": "form", "res_id": backorders[0]}
        return True

    def _fill_theoretical(self, mo: dict) -> None:
        mo["qty_producing"] = mo["product_qty"]
        for move in self._moves(mo):
            if self.version <= 16:
                move["quantity_done"] = move["product_uom_qty"]
            else:
                move["quantity"] = move["product_uom_qty"]
                move["picked"] = True

    def _consumption_issues(self, mo: dict) -> list[dict]:
        ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
        lines = []
        for move in self._moves(mo):
            if move["state"] == "cancel":
                continue
            expected = round(move["product_uom_qty"] * ratio, 6)
            consumed = self._done_qty(move)
            if abs(consumed - expected) > 1e-6 * max(1.0, expected):
                lines.append({"mrp_production_id": mo["id"], "product_id": move["product_id"],
                              "consumption": "warning", "product_uom_id": move["product_uom"],
                              "product_consumed_qty_uom": consumed, "product_expected_qty_uom": expected})
        return lines

    def _post_done(self, mo: dict) -> None:
        for move in self._moves(mo):
            if move["state"] == "cancel":
                continue
            if self.version >= 17 and not move["picked"]:
                move["state"] = "cancel"  # 17+: raw moves that are not picked are cancelled
            else:
                move["state"] = "done"
        mo["qty_produced"] = mo["qty_producing"]
        mo["state"] = "done"
        mo["reservation_state"] = False
        mo["date_finished"] = "2026-03-02 12:00:00"

    def _split_backorder(self, mo: dict) -> int:
        rest = mo["product_qty"] - mo["qty_producing"]
        ratio = rest / mo["product_qty"] if mo["product_qty"] else 0.0
        new_id = next(self._ids["mrp.production"])
        base = mo["name"]
        mo["name"], mo["backorder_sequence"] = f"{base}-001", 1
        moves = []
        for move in self._moves(mo):
            move_id = next(self._ids["stock.move"])
            self.records["stock.move"][move_id] = self._new_move(
                move_id, move["product_id"], round(move["product_uom_qty"] * ratio, 6), move["product_uom"], new_id)
            moves.append(move_id)
        self.records["mrp.production"][new_id] = {
            **copy.deepcopy(mo), "id": new_id, "name": f"{base}-002", "product_qty": rest, "qty_producing": 0.0,
            "qty_produced": 0.0, "state": "confirmed", "move_raw_ids": moves, "backorder_sequence": 2}
        mo["product_qty"] = mo["qty_producing"]
        return new_id

    def _action(self, res_model: str, name: str, context: dict) -> dict:
        action_id = {"mrp.consumption.warning": 303, "mrp.production.backorder": 304}.get(res_model, 305)
        action = {"id": action_id, "name": name, "type": "ir.actions.act_window",
                  "xml_id": f"mrp.action_{res_model.replace('.', '_')}", "path": False, "help": False,
                  "binding_model_id": False, "binding_type": "action", "binding_view_types": "list,form",
                  "display_name": name, "view_id": False, "domain": False, "context": context, "res_id": 0,
                  "res_model": res_model, "target": "new", "view_mode": "form", "mobile_view_mode": "kanban",
                  "views": [[False, "form"]], "limit": 80, "groups_id": [], "search_view_id": False,
                  "embedded_action_ids": [], "filter": False}
        if self.version >= 19:  # 19: display_name right after id, group_ids instead of groups_id, and cache
            action = {"id": action_id, "display_name": name,
                      **{("group_ids" if k == "groups_id" else k): v for k, v in action.items() if k != "id"},
                      "cache": True}
        return action

    # ---- wizards ------------------------------------------------------------------------------------------

    def _wizard_mos(self, wizards: list[dict], context: Mapping) -> list[dict]:
        ids: list[int] = []
        for wizard in wizards:
            ids += list((wizard.get("context") or context).get("default_mrp_production_ids")
                        or (wizard.get("context") or context).get("default_mo_ids") or [])
        return [self._existing("mrp.production", i) for i in ids]

    def _mrp_consumption_warning__action_confirm(self, wizards: list[dict], context: Mapping) -> Any:
        ctx = {**dict(context), "skip_consumption": True}
        return self._mrp_production__button_mark_done(self._wizard_mos(wizards, context), ctx)

    def _mrp_consumption_warning__action_set_qty(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        for mo in mos:
            ratio = mo["qty_producing"] / mo["product_qty"] if mo["product_qty"] else 0.0
            for move in self._moves(mo):
                key = "quantity_done" if self.version <= 16 else "quantity"
                move[key] = round(move["product_uom_qty"] * ratio, 6)
        return self._mrp_production__button_mark_done(mos, {**dict(context), "skip_consumption": True})

    def _mrp_production_backorder__action_backorder(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        ctx = {**dict(context), "skip_backorder": True, "mo_ids_to_backorder": [mo["id"] for mo in mos]}
        return self._mrp_production__button_mark_done(mos, ctx)

    def _mrp_production_backorder__action_close_mo(self, wizards: list[dict], context: Mapping) -> Any:
        ctx = {**dict(context), "skip_backorder": True, "mo_ids_to_backorder": []}
        return self._mrp_production__button_mark_done(self._wizard_mos(wizards, context), ctx)

    def _mrp_immediate_production__process(self, wizards: list[dict], context: Mapping) -> Any:
        mos = self._wizard_mos(wizards, context)
        for mo in mos:
            self._fill_theoretical(mo)
        return self._mrp_production__button_mark_done(mos, {**dict(context), "skip_immediate": True})

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


def _round_half_up(value: float, rounding: float) -> float:
    """Odoo's float_round (HALF-UP) as the ORM applies a unit's rounding to a move's quantity."""
    step = Decimal(repr(rounding))
    return float((Decimal(repr(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def _order(order: str) -> list[tuple[str, bool]]:
    keys = []
    for part in order.split(","):
        words = part.strip().split()
        if words:
            keys.append((words[0], len(words) > 1 and words[1].lower() == "desc"))
    return keys


def _sort_key(value: Any) -> tuple:
    if value is False or value is None:
        return (0, "")
    return (1, value)


def _compare(actual: Any, op: str, value: Any) -> bool:
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, v: a == v or (isinstance(a, list) and v in a),
        "!=": lambda a, v: not (a == v or (isinstance(a, list) and v in a)),
        "in": lambda a, v: (set(a) & set(v)) if isinstance(a, list) else a in v,
        "not in": lambda a, v: not ((set(a) & set(v)) if isinstance(a, list) else a in v),
        "<": lambda a, v: a is not False and a < v,
        "<=": lambda a, v: a is not False and a <= v,
        ">": lambda a, v: a is not False and a > v,
        ">=": lambda a, v: a is not False and a >= v,
        "like": lambda a, v: isinstance(a, str) and str(v) in a,
        "ilike": lambda a, v: isinstance(a, str) and str(v).lower() in a.lower(),
        "=ilike": lambda a, v: isinstance(a, str) and a.lower() == str(v).lower(),
    }
    if op not in ops:
        raise FakeError("builtins.ValueError", f"Invalid operator {op!r}", 500)
    return bool(ops[op](actual, value))
