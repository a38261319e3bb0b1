"""Units of measure: what a quantity in an Odoo unit is in kg, and how Odoo rounds it (pure, no I/O).

The PLC doses kg; Odoo books every move in the move's own unit. One conversion serves both protocols:

- grt_scada sends only a unit's name, so only the names Odoo ships for its weight units are known
  (`unit_by_name`); anything else (a custom or ambiguous name such as "ton") is refused, never guessed.
- Stock Odoo sends the unit records, so a unit is converted through its reference, for every version
  (`weight_units`): 16–18 have `category_id` and `factor` (units per reference unit of the category);
  19 has `relative_uom_id` and `relative_factor` (one unit is `relative_factor` of its reference unit,
  up a chain to a root). kg is found among the units of the same category or chain, so a category whose
  reference is lb, or a custom unit, converts right. A unit in no group that holds kg is not a weight.
- `round_like_odoo` rounds as Odoo's float_round does (half-up to the unit's rounding), so the app can
  say what Odoo booked and carry what the rounding left over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

#: Names kg goes by (lower case) when kg is looked up among a category's units.
KG_NAMES = frozenset({"kg", "kgs", "kilogram", "kilograms"})

#: kg in one unit, for the unit names Odoo ships for weights (lower case). "ton"/"tons" are left out on
#: purpose: a short ton (907.18 kg) and a metric ton share that name, and a wrong guess is a factor of 1.1.
KG_PER_UNIT_BY_NAME: dict[str, float] = {
    "kg": 1.0, "kgs": 1.0, "kilogram": 1.0, "kilograms": 1.0,
    "g": 0.001, "gram": 0.001, "grams": 0.001,
    "t": 1000.0, "tonne": 1000.0, "tonnes": 1000.0, "metric ton": 1000.0,
    "lb": 0.45359237, "lbs": 0.45359237, "pound": 0.45359237, "pounds": 0.45359237,
    "oz": 0.028349523125, "ounce": 0.028349523125,
}


@dataclass(frozen=True)
class Unit:
    """A weight unit: its name, kg in one unit, and Odoo's rounding for it (0: not known)."""

    name: str
    kg: float
    rounding: float = 0.0

    def to_kg(self, quantity: float) -> float:
        return quantity * self.kg

    def from_kg(self, kg: float) -> float:
        return kg / self.kg

    def booked(self, kg: float) -> float:
        """The quantity in this unit that Odoo keeps when `kg` is written (rounded as Odoo rounds)."""
        return round_like_odoo(self.from_kg(kg), self.rounding)


KG = Unit("kg", 1.0)


def round_like_odoo(value: float, rounding: float) -> float:
    """Odoo's float_round with the default HALF-UP method: to the nearest multiple of `rounding`, a half
    away from zero. A rounding of 0 (not known) keeps 6 decimals, what the write-back always sent."""
    if not rounding or rounding <= 0 or not math.isfinite(rounding):
        return round(value, 6)
    step = Decimal(repr(float(rounding)))
    steps = (Decimal(repr(float(value))) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(steps * step)


def unit_by_name(name: object) -> Unit | None:
    """The weight unit a grt_scada `uom` names, or None if the app does not know it."""
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    factor = KG_PER_UNIT_BY_NAME.get(key)
    return Unit(name.strip(), factor) if factor is not None else None


def _m2o(value: object) -> int | None:
    if isinstance(value, list) and value and isinstance(value[0], int) and not isinstance(value[0], bool):
        return value[0]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _positive(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and number > 0 else None


def _rounding(record: Mapping[str, Any]) -> float:
    return _positive(record.get("rounding")) or 0.0


def weight_units(records: Iterable[Mapping[str, Any]]) -> dict[int, Unit]:
    """uom.uom id -> Unit for every unit that converts to kg; other units (Units, Hours...) are left out.

    Records of Odoo 16–18 carry `category_id` and `factor`; records of Odoo 19 carry `relative_uom_id`
    and `relative_factor` (the version is read from the fields present)."""
    rows = {r["id"]: r for r in records if isinstance(r, Mapping) and isinstance(r.get("id"), int)}
    if any("relative_factor" in r for r in rows.values()):
        return _units_by_chain(rows)
    return _units_by_category(rows)


def _units_by_category(rows: Mapping[int, Mapping[str, Any]]) -> dict[int, Unit]:
    groups: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows.values():
        category = _m2o(row.get("category_id"))
        if category is not None and _positive(row.get("factor")) is not None:
            groups.setdefault(category, []).append(row)
    units: dict[int, Unit] = {}
    for members in groups.values():
        kg = _kg_among(members)
        if kg is None:
            continue
        kg_factor = float(kg["factor"])  # kg per reference unit of the category
        for row in members:
            # factor = units per reference unit, so one unit is 1/factor reference units = kg_factor/factor kg
            units[row["id"]] = Unit(str(row.get("name") or ""), kg_factor / float(row["factor"]), _rounding(row))
    return units


def _units_by_chain(rows: Mapping[int, Mapping[str, Any]]) -> dict[int, Unit]:
    size: dict[int, tuple[int, float] | None] = {}  # id -> (root id, size in root units)

    def resolve(uom_id: int) -> tuple[int, float] | None:
        if uom_id in size:
            return size[uom_id]
        size[uom_id] = None  # a cycle resolves to None
        chain, current, amount = [], uom_id, 1.0
        while True:
            row = rows.get(current)
            if row is None:
                return None  # a reference unit that was not read: not convertible
            factor = _positive(row.get("relative_factor"))
            if factor is None:
                return None
            parent = _m2o(row.get("relative_uom_id"))
            if parent is None:
                amount *= factor
                size[uom_id] = (current, amount)
                return size[uom_id]
            if parent in chain or parent == uom_id:
                return None
            chain.append(current)
            amount *= factor
            current = parent

    groups: dict[int, list[tuple[Mapping[str, Any], float]]] = {}
    for uom_id, row in rows.items():
        resolved = resolve(uom_id)
        if resolved is not None:
            groups.setdefault(resolved[0], []).append((row, resolved[1]))
    units: dict[int, Unit] = {}
    for members in groups.values():
        kg = _kg_among([row for row, _size in members])
        if kg is None:
            continue
        kg_size = next(s for row, s in members if row is kg)
        for row, amount in members:
            units[row["id"]] = Unit(str(row.get("name") or ""), amount / kg_size, _rounding(row))
    return units


def _kg_among(members: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    named = [row for row in members if str(row.get("name") or "").strip().lower() in KG_NAMES]
    return min(named, key=lambda row: row["id"]) if named else None
