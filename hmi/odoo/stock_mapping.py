"""Stock Odoo records (mrp.production, stock.move, product.product, uom.uom) -> domain MOs (pure, no I/O).

Policy:
- Field names depend on the Odoo major version (`StockFields.for_version`).
- Components go to silos through the silo assignment (product internal reference -> silo).
- An MO with a component that has no internal reference, is in no silo, or whose unit is not a weight is
  left out whole (never half-dosed): it is listed in `FetchResult.rejected` with one reason naming the MO
  and the component. Cancelled raw moves are ignored.
- Quantities are converted to kg through the unit's reference and factor (hmi.odoo.units), for every
  version; an MO whose total is below the smallest batch the line doses is left out, named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from hmi.domain import ManufacturingOrder, Silo, SiloTarget
from hmi.odoo.mapping import FetchResult, RejectedMo, check_batch_size
from hmi.odoo.units import Unit, weight_units
from hmi.silo_assignment import SiloAssignment

#: uom.uom fields the conversion reads: 16–18 convert through the category, 19 through the reference chain.
UOM_FIELDS_16_18 = ("name", "category_id", "factor", "uom_type", "rounding")
UOM_FIELDS_19 = ("name", "relative_factor", "relative_uom_id", "factor", "rounding")

@dataclass(frozen=True)
class StockFields:
    """Names that changed between Odoo versions (reference §2)."""

    major: int
    date_start: str
    move_done: str
    uses_picked: bool
    has_set_qty_producing: bool
    uom_fields: tuple[str, ...]

    @classmethod
    def for_version(cls, major: int) -> "StockFields":
        if major <= 16:
            return cls(major, "date_planned_start", "quantity_done", False, False, UOM_FIELDS_16_18)
        uom_fields = UOM_FIELDS_19 if major >= 19 else UOM_FIELDS_16_18
        return cls(major, "date_start", "quantity", True, True, uom_fields)

    @property
    def mo_fields(self) -> list[str]:
        return ["name", "product_id", "product_qty", "product_uom_id", "state", "reservation_state",
                self.date_start, "bom_id", "move_raw_ids", "origin", "qty_producing"]

    @property
    def move_fields(self) -> list[str]:
        done = [self.move_done, "picked"] if self.uses_picked else [self.move_done]
        return ["product_id", "product_uom_qty", *done, "state", "product_uom"]


def kg_per_unit(uom_id: int | None, units: Mapping[int, Unit]) -> float | None:
    """kg in one unit of `uom_id` (units from hmi.odoo.units.weight_units), or None if it is not a weight."""
    unit = units.get(uom_id if uom_id is not None else -1)
    return unit.kg if unit is not None else None


def m2o_id(value: object) -> int | None:
    if isinstance(value, list) and value and isinstance(value[0], int):
        return value[0]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def m2o_name(value: object) -> str:
    if isinstance(value, list) and len(value) == 2:
        return str(value[1])
    return ""


@dataclass(frozen=True)
class StockMo:
    """One fetched MO with what the write-back needs later (ids, units)."""

    order: ManufacturingOrder
    odoo_id: int


def map_stock_mos(
    rows: Sequence[Mapping[str, Any]],
    moves: Mapping[int, Mapping[str, Any]],
    products: Mapping[int, Mapping[str, Any]],
    uoms: Mapping[int, Mapping[str, Any]],
    assignment: SiloAssignment,
    line_code: str = "",
    min_batch_kg: float = 0.0,
) -> tuple[FetchResult, dict[str, int]]:
    """Map one page of MOs; returns the FetchResult and MO name -> Odoo id for the usable ones.

    `uoms` holds the uom.uom records (every unit of the moves' categories or chains, kg among them)."""
    units = weight_units(uoms.values())
    mos: list[ManufacturingOrder] = []
    rejected: list[RejectedMo] = []
    ids: dict[str, int] = {}
    for position, row in enumerate(rows):
        name = row.get("name")
        mo_id = name.strip() if isinstance(name, str) and name.strip() else None
        try:
            if mo_id is None:
                raise _Reject("name", "is missing")
            order = _map_one(mo_id, row, moves, products, units, assignment, line_code)
            check_batch_size(order, min_batch_kg, _Reject)
        except _Reject as exc:
            rejected.append(RejectedMo(position, mo_id, exc.field, exc.reason))
            continue
        if mo_id in ids:
            rejected.append(RejectedMo(position, mo_id, "name", "is repeated; keeping the first"))
            continue
        ids[mo_id] = int(row["id"])
        mos.append(order)
    return FetchResult(mos=tuple(mos), rejected=tuple(rejected), received=len(rows)), ids


class _Reject(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field} {reason}")
        self.field = field
        self.reason = reason


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise _Reject(field, f"must be a number >= 0, got {value!r}")
    return float(value)


def product_label(product: Mapping[str, Any] | None, fallback: str) -> str:
    if not product:
        return fallback or "(unknown product)"
    code = product.get("default_code")
    name = str(product.get("name") or fallback or "")
    return f"[{code}] {name}" if isinstance(code, str) and code else name


def _map_one(mo_id: str, row: Mapping[str, Any], moves: Mapping[int, Mapping[str, Any]],
             products: Mapping[int, Mapping[str, Any]], units: Mapping[int, Unit],
             assignment: SiloAssignment, line_code: str) -> ManufacturingOrder:
    if not isinstance(row.get("id"), int):
        raise _Reject("id", "is missing")
    quantity = _number(row.get("product_qty"), "product_qty")
    factor = kg_per_unit(m2o_id(row.get("product_uom_id")), units)
    if factor is None:
        raise _Reject("product_uom_id", f"unit {m2o_name(row.get('product_uom_id')) or '?'} of the finished "
                                        "product is not a weight (g, kg, t, lb)")
    move_ids = row.get("move_raw_ids") or []
    if not isinstance(move_ids, list):
        raise _Reject("move_raw_ids", "must be a list of ids")
    targets: dict[Silo, SiloTarget] = {}
    for move_id in move_ids:
        move = moves.get(move_id)
        if move is None:
            raise _Reject("move_raw_ids", f"raw move {move_id} could not be read")
        if move.get("state") == "cancel":
            continue
        product = products.get(m2o_id(move.get("product_id")) or -1)
        label = product_label(product, m2o_name(move.get("product_id")))
        code = product.get("default_code") if product else None
        if not isinstance(code, str) or not code.strip():
            raise _Reject("component", f"{label} has no internal reference in Odoo; it cannot be put in a silo")
        silo = assignment.silo_for_code(code.strip())
        if silo is None:
            raise _Reject("component", f"{label} is in no silo (assign it in the Silos dialog)")
        move_factor = kg_per_unit(m2o_id(move.get("product_uom")), units)
        if move_factor is None:
            raise _Reject("component", f"{label}: unit {m2o_name(move.get('product_uom')) or '?'} is not a weight "
                                       "(g, kg, t, lb)")
        target_kg = _number(move.get("product_uom_qty"), f"component {label} quantity") * move_factor
        name = str(product.get("name") or label) if product else label
        previous = targets.get(silo)
        if previous is not None:
            targets[silo] = SiloTarget(silo, previous.component_name, previous.target_kg + target_kg)
        else:
            targets[silo] = SiloTarget(silo, name, target_kg)
    bom = row.get("bom_id")
    return ManufacturingOrder(
        mo_id=mo_id,
        product_name=m2o_name(row.get("product_id")),
        quantity=quantity * factor,
        equipment_code=line_code,
        bom_code=str(m2o_id(bom)) if m2o_id(bom) is not None else "",
        state=str(row.get("state") or "confirmed"),
        targets=targets,
    )
