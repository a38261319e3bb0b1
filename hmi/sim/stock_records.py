"""The records of the fake stock Odoo and the ORM subset over them (no HTTP, no manufacturing logic here).

Reproduces what the client relies on (reference §5.4): search_read / search / search_count / read /
write / create / name_search with Odoo's value conventions (many2one as [id, name], x2many as id lists,
false for empty, naive UTC datetimes), domains with = != in not in < <= > >= like ilike and & | !, order
and limit/offset, the fields of each model per major version (16–19), and the errors Odoo raises (unknown
field, invalid leaf or operator, missing record). The manufacturing behaviour on top is
hmi.sim.stock_mrp; the seeded database and the dispatch of calls hmi.sim.stock_orm.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Mapping

from hmi.sim.stock_catalogue import WAREHOUSES

ADMIN_UID = 2


class FakeError(Exception):
    """An Odoo exception: `name` as serialize_exception writes it, the JSON-2 HTTP status."""

    def __init__(self, name: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.name = name
        self.message = message
        self.status = status


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


ORM_METHODS = ("search_read", "search", "search_count", "read", "write", "create", "name_search")
WIZARDS = ("mrp.consumption.warning", "mrp.production.backorder", "mrp.immediate.production")


class StockRecords:
    """The records of one fake database, for one Odoo major version, and the ORM methods on them."""

    def __init__(self, version: int) -> None:
        if version not in (16, 17, 18, 19):
            raise ValueError("version must be 16, 17, 18 or 19")
        self.version = version
        self.fields = _fields(version)
        self.records: dict[str, dict[int, dict[str, Any]]] = {model: {} for model in self.fields}
        self._ids = {model: itertools.count(1) for model in self.fields}

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


def _round_half_up(value: float, rounding: float) -> float:
    """Odoo's float_round (HALF-UP) as the ORM applies a unit's rounding to a move's quantity."""
    step = Decimal(repr(rounding))
    return float((Decimal(repr(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)
