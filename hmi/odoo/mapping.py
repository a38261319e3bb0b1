"""grt_scada `mo-list-detailed` MO objects -> domain.ManufacturingOrder (pure, no I/O).

Policy (tested in tests/odoo/test_mapping.py):
- A response `data` that is not a list fails the whole fetch (OdooPayloadError): nothing in it can be trusted.
- One bad MO (not an object, no `mo_id`, a quantity that is missing, non-numeric, negative, NaN or infinite)
  is *skipped and named* in `FetchResult.rejected` and in a WARNING, so the rest of the line keeps running.
- A repeated `mo_id` keeps the first occurrence; the later ones are rejected and named.
- Quantities must be JSON numbers (int/float, not bool, not strings): Odoo sends floats, so anything else
  means a broken addon or proxy, not a value worth guessing at.
- A component with no silo/tank on this line (an additive on the MO-level PLC01, or one without equipment) is
  kept as a *hand-added* component: the operator weighs it and confirms it on the batch's checklist. It is part
  of the batch, so it is validated like a silo component (a product id, a finite quantity >= 0 in a weight unit);
  a bad one rejects the MO (never a batch that silently lacks its premix). One product listed twice is summed.
- Every quantity is converted to kg through its `uom` (hmi.odoo.units.unit_by_name): the MO's quantity, each
  silo/tank component and each hand-added one. A unit the app does not know rejects the MO, named, never
  guessed; so do two components in different units on one silo (the addon takes one figure per silo).
  The units are kept in `FetchResult.units` so the write-back gives Odoo each figure in its own unit.
- An MO smaller than the smallest batch the line doses (`check_batch_size`) is rejected, named.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

from hmi.domain import HandAddComponent, ManufacturingOrder, Silo, SiloTarget
from hmi.odoo.errors import OdooPayloadError
from hmi.odoo.units import KG, Unit, unit_by_name

log = logging.getLogger("hmi.odoo")

# Exactly three digits not embedded in a longer number: 'silo101' -> 101, 'lq114' -> 114, 'PLC01' -> none.
# The origin used a bare (\d{3}) search, which would also read '1015' as 101.
_EQUIPMENT_DIGITS = re.compile(r"(?<!\d)(\d{3})(?!\d)")
_FIRST_EQUIPMENT_ID = Silo.A.value
_LAST_EQUIPMENT_ID = Silo.LQ115.value


@dataclass(frozen=True)
class RejectedMo:
    """An MO of the response that was left out, and why (shown to the operator)."""

    position: int  # 0-based index in the response list
    mo_id: str | None
    field: str
    reason: str

    def __str__(self) -> str:
        who = self.mo_id if self.mo_id else f"#{self.position + 1}"
        return f"MO {who}: {self.field} {self.reason}"


@dataclass(frozen=True)
class FetchResult:
    """What one `fetch_mos` page gave: the usable MOs in Odoo's order plus the rejected ones."""

    mos: tuple[ManufacturingOrder, ...]
    rejected: tuple[RejectedMo, ...] = ()
    #: Number of MO objects Odoo sent (usable + rejected); equals the limit when there may be more pages.
    received: int = 0
    #: grt_scada: the units each usable MO's figures are booked in (MO name -> MoUnits).
    units: Mapping[str, "MoUnits"] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", MappingProxyType(dict(self.units)))


@dataclass(frozen=True)
class MoUnits:
    """The units Odoo books one grt_scada MO in: the finished quantity, each equipment code, each hand-added
    product. The write-back converts the PLC's kg into them."""

    quantity: Unit = KG
    equipment: Mapping[str, Unit] = field(default_factory=dict)
    products: Mapping[int, Unit] = field(default_factory=dict)


def check_batch_size(order: ManufacturingOrder, min_batch_kg: float,
                     error: Callable[[str, str], Exception]) -> None:
    """Refuse an MO smaller than the smallest batch the line doses (a leftover backorder of a scale
    shortfall, a typing slip): raises `error(field, reason)`."""
    if min_batch_kg > 0 and order.quantity < min_batch_kg:
        raise error("quantity", f"is {order.quantity:g} kg, below the smallest batch the line doses "
                                f"({min_batch_kg:g} kg); finish or cancel it in Odoo")


def silo_for_equipment_code(code: object) -> Silo | None:
    """The silo/tank an Odoo equipment code names ('silo101'..'silo113', 'lq114', 'lq115'), else None."""
    if not isinstance(code, str):
        return None
    match = _EQUIPMENT_DIGITS.search(code)
    if match is None:
        return None
    equipment_id = int(match.group(1))
    if not _FIRST_EQUIPMENT_ID <= equipment_id <= _LAST_EQUIPMENT_ID:
        return None
    return Silo.from_equipment_id(equipment_id)


def map_mo_list(data: object, min_batch_kg: float = 0.0) -> FetchResult:
    """Map the `result.data` list of `mo-list-detailed`; bad MOs are rejected, not raised."""
    if not isinstance(data, list):
        raise OdooPayloadError("data", f"must be a list of MOs, got {type(data).__name__}")
    mos: list[ManufacturingOrder] = []
    rejected: list[RejectedMo] = []
    units: dict[str, MoUnits] = {}
    first_position: dict[str, int] = {}
    for position, raw in enumerate(data):
        try:
            mo, mo_units = map_mo_with_units(raw, position=position)
            check_batch_size(mo, min_batch_kg, lambda f, r: OdooPayloadError(f, r, mo_id=mo.mo_id))
        except OdooPayloadError as exc:
            rejected.append(RejectedMo(position, exc.mo_id, exc.field, exc.reason))
            log.warning("Skipping %s", exc)
            continue
        if mo.mo_id in first_position:
            reason = f"is repeated (first seen at position {first_position[mo.mo_id] + 1}); keeping the first"
            rejected.append(RejectedMo(position, mo.mo_id, "mo_id", reason))
            log.warning("Skipping MO %s at position %d: %s", mo.mo_id, position + 1, reason)
            continue
        first_position[mo.mo_id] = position
        mos.append(mo)
        units[mo.mo_id] = mo_units
    return FetchResult(mos=tuple(mos), rejected=tuple(rejected), received=len(data), units=units)


def map_mo(raw: object, position: int | None = None) -> ManufacturingOrder:
    """Map one MO object; raises OdooPayloadError naming the MO and the field."""
    return map_mo_with_units(raw, position)[0]


def map_mo_with_units(raw: object, position: int | None = None) -> tuple[ManufacturingOrder, MoUnits]:
    """Map one MO object and say which units its figures are booked in."""
    if not isinstance(raw, Mapping):
        raise OdooPayloadError("<MO>", f"must be a JSON object, got {type(raw).__name__}", position=position)
    mo_id = _mo_id(raw, position)
    quantity_unit = _unit(raw.get("uom"), "uom", "the MO's quantity", mo_id)
    quantity = _quantity(raw.get("quantity", None), "quantity", mo_id, required=True) * quantity_unit.kg
    product_name = _text(raw.get("product_name"), "product_name", mo_id)
    equipment_code = _equipment_code(raw.get("equipment"), "equipment", mo_id)
    state = _text(raw.get("state"), "state", mo_id) or "confirmed"
    targets, hand_added, equipment_units = _targets(raw.get("components_consumption"), mo_id)
    if hand_added:
        log.info(
            "MO %s: %d component(s) have no silo/tank on this line and are added by hand: %s",
            mo_id, len(hand_added),
            ", ".join(f"{c.product_name} {c.target_kg:g} kg ({c.equipment_code or 'no equipment'})"
                      for c in hand_added),
        )
    order = ManufacturingOrder(
        mo_id=mo_id,
        product_name=product_name,
        quantity=quantity,
        equipment_code=equipment_code,
        bom_code=_bom_code(raw),
        state=state,
        targets=targets,
        hand_added=hand_added,
    )
    products = {c.product_id: unit_by_name(c.uom) or KG for c in hand_added}
    return order, MoUnits(quantity_unit, MappingProxyType(equipment_units), MappingProxyType(products))


def _unit(value: object, field: str, what: str, mo_id: str) -> Unit:
    """The unit a `uom` names; an unknown one rejects the MO (never a guess). Missing: kg, as the addon
    has always sent kg when it left the unit out."""
    if value is None or value is False:
        return KG
    name = _text(value, field, mo_id).strip()
    if not name:
        return KG
    unit = unit_by_name(name)
    if unit is None:
        raise OdooPayloadError(field, f"unit {name!r} of {what} is not a weight the app knows (g, kg, t, lb, oz); "
                                      "the MO is left out rather than dosed in a guessed unit", mo_id=mo_id)
    return unit


def _mo_id(raw: Mapping[str, Any], position: int | None) -> str:
    value = raw.get("mo_id")
    if not isinstance(value, str) or not value.strip():
        reason = "is missing" if value in (None, False, "") else f"must be a non-empty text, got {value!r}"
        raise OdooPayloadError("mo_id", reason, position=position)
    return value.strip()


def _quantity(value: object, field: str, mo_id: str, *, required: bool) -> float:
    if value is None or value is False:
        if required:
            raise OdooPayloadError(field, "is missing", mo_id=mo_id)
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OdooPayloadError(field, f"must be a number, got {value!r}", mo_id=mo_id)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise OdooPayloadError(field, f"must be a finite number, got {number!r}", mo_id=mo_id)
    if number < 0:
        raise OdooPayloadError(field, f"must not be negative, got {number:g}", mo_id=mo_id)
    return number


def _text(value: object, field: str, mo_id: str) -> str:
    if value is None or value is False:  # Odoo sends false for an empty field
        return ""
    if not isinstance(value, str):
        raise OdooPayloadError(field, f"must be a text, got {value!r}", mo_id=mo_id)
    return value


def _equipment_code(equipment: object, field: str, mo_id: str) -> str:
    if equipment is None or equipment is False:
        return ""
    if not isinstance(equipment, Mapping):
        raise OdooPayloadError(field, f"must be an equipment object, got {equipment!r}", mo_id=mo_id)
    return _text(equipment.get("code"), f"{field}.code", mo_id)


def _bom_code(raw: Mapping[str, Any]) -> str:
    bom_code = raw.get("bom_code")
    if isinstance(bom_code, str) and bom_code.strip():
        return bom_code.strip()
    bom_id = raw.get("bom_id")
    if isinstance(bom_id, bool) or bom_id is None:
        return ""
    if isinstance(bom_id, int):
        return str(bom_id)
    if isinstance(bom_id, str):
        return bom_id.strip()
    return ""  # a m2o pair or anything else: the BoM code is informative only, never worth a rejection


def _targets(components: object, mo_id: str
             ) -> tuple[dict[Silo, SiloTarget], tuple[HandAddComponent, ...], dict[str, Unit]]:
    """Targets per silo (kg), the hand-added components (no silo/tank on this line) and each silo's unit."""
    if components is None or components is False:
        return {}, (), {}
    if not isinstance(components, list):
        raise OdooPayloadError(
            "components_consumption", f"must be a list, got {type(components).__name__}", mo_id=mo_id
        )
    targets: dict[Silo, SiloTarget] = {}
    units: dict[Silo, Unit] = {}
    hand_added: dict[int, HandAddComponent] = {}
    for index, component in enumerate(components):
        field = f"components_consumption[{index}]"
        if not isinstance(component, Mapping):
            raise OdooPayloadError(field, f"must be a JSON object, got {type(component).__name__}", mo_id=mo_id)
        name = _text(component.get("product_name"), f"{field}.product_name", mo_id) or "(unnamed component)"
        code = _equipment_code(component.get("equipment"), f"{field}.equipment", mo_id)
        silo = silo_for_equipment_code(code)
        amount = component.get("to_consume")
        amount_field = f"{field}.to_consume"
        if amount is None:  # the origin fell back to `consumed` only when to_consume is absent
            amount, amount_field = component.get("consumed"), f"{field}.consumed"
        amount_in_unit = _quantity(amount, amount_field, mo_id, required=True)
        if silo is None:
            component_kg = _hand_added(component, field, name, code, amount_in_unit, mo_id)
            previous_hand = hand_added.get(component_kg.product_id)
            if previous_hand is not None:
                log.warning("MO %s: hand-added %s is listed twice; its targets %g kg + %g kg are added",
                            mo_id, name, previous_hand.target_kg, component_kg.target_kg)
                component_kg = HandAddComponent(component_kg.product_id, previous_hand.product_name,
                                                previous_hand.target_kg + component_kg.target_kg,
                                                previous_hand.uom, previous_hand.equipment_code)
            hand_added[component_kg.product_id] = component_kg
            continue
        unit = _unit(component.get("uom"), f"{field}.uom", name, mo_id)
        target_kg = unit.to_kg(amount_in_unit)
        if silo in units and units[silo].kg != unit.kg:
            raise OdooPayloadError(f"{field}.uom", f"{name} is in {unit.name} but {targets[silo].component_name} "
                                                   f"on the same silo {silo.label} is in {units[silo].name}: Odoo "
                                                   "takes one figure per silo, so the MO is left out", mo_id=mo_id)
        units[silo] = unit
        previous = targets.get(silo)
        if previous is not None:
            log.warning(
                "MO %s: %s and %s both use silo %s (%s); their targets %g kg + %g kg are added",
                mo_id, previous.component_name, name, silo.label, code, previous.target_kg, target_kg,
            )
            total_kg = previous.target_kg + target_kg
            if math.isinf(total_kg):
                raise OdooPayloadError(amount_field, "makes the silo total overflow", mo_id=mo_id)
            targets[silo] = SiloTarget(silo, f"{previous.component_name} + {name}", total_kg)
        else:
            targets[silo] = SiloTarget(silo, name, target_kg)
    return targets, tuple(hand_added.values()), {silo.odoo_code: unit for silo, unit in units.items()}


def _hand_added(component: Mapping[str, Any], field: str, name: str, code: str, quantity: float,
                mo_id: str) -> HandAddComponent:
    """A component no silo doses: it needs its Odoo product (the push names it) and a weight unit."""
    product_id = component.get("product_id")
    if isinstance(product_id, list) and product_id:  # a many2one pair [id, name]
        product_id = product_id[0]
    if isinstance(product_id, bool) or not isinstance(product_id, int) or product_id <= 0:
        raise OdooPayloadError(f"{field}.product_id", f"must be the Odoo product id of hand-added {name}, "
                                                      f"got {component.get('product_id')!r}", mo_id=mo_id)
    unit = _unit(component.get("uom"), f"{field}.uom", f"hand-added {name}", mo_id)
    return HandAddComponent(product_id, name, unit.to_kg(quantity), unit.name, code)
