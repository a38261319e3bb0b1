"""grt_scada `mo-list-detailed` MO objects -> domain.ManufacturingOrder (pure, no I/O).

Policy (tested in tests/odoo/test_mapping.py):
- A response `data` that is not a list fails the whole fetch (OdooPayloadError): nothing in it can be trusted.
- One bad MO (not an object, no `mo_id`, a quantity that is missing, non-numeric, negative, NaN or infinite)
  is *skipped and named* in `FetchResult.rejected` and in a WARNING, so the rest of the line keeps running.
- A repeated `mo_id` keeps the first occurrence; the later ones are rejected and named.
- Quantities must be JSON numbers (int/float, not bool, not strings): Odoo sends floats, so anything else
  means a broken addon or proxy, not a value worth guessing at.
- Only the components that land on a silo/tank are validated; an additive on PLC01 with a strange value is
  not dosed by this line and must not stop it.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from hmi.domain import ManufacturingOrder, Silo, SiloTarget
from hmi.odoo.errors import OdooPayloadError

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


def map_mo_list(data: object) -> FetchResult:
    """Map the `result.data` list of `mo-list-detailed`; bad MOs are rejected, not raised."""
    if not isinstance(data, list):
        raise OdooPayloadError("data", f"must be a list of MOs, got {type(data).__name__}")
    mos: list[ManufacturingOrder] = []
    rejected: list[RejectedMo] = []
    first_position: dict[str, int] = {}
    for position, raw in enumerate(data):
        try:
            mo = map_mo(raw, position=position)
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
    return FetchResult(mos=tuple(mos), rejected=tuple(rejected), received=len(data))


def map_mo(raw: object, position: int | None = None) -> ManufacturingOrder:
    """Map one MO object; raises OdooPayloadError naming the MO and the field."""
    if not isinstance(raw, Mapping):
        raise OdooPayloadError("<MO>", f"must be a JSON object, got {type(raw).__name__}", position=position)
    mo_id = _mo_id(raw, position)
    quantity = _quantity(raw.get("quantity", None), "quantity", mo_id, required=True)
    product_name = _text(raw.get("product_name"), "product_name", mo_id)
    equipment_code = _equipment_code(raw.get("equipment"), "equipment", mo_id)
    state = _text(raw.get("state"), "state", mo_id) or "confirmed"
    targets, unmapped = _targets(raw.get("components_consumption"), mo_id)
    if unmapped:
        log.info(
            "MO %s: %d component(s) have no silo/tank on this line and are left out: %s",
            mo_id, len(unmapped), ", ".join(f"{name} ({code or 'no equipment'})" for name, code in unmapped),
        )
    return ManufacturingOrder(
        mo_id=mo_id,
        product_name=product_name,
        quantity=quantity,
        equipment_code=equipment_code,
        bom_code=_bom_code(raw),
        state=state,
        targets=targets,
        unmapped_components=tuple(name for name, _code in unmapped),
    )


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


def _targets(components: object, mo_id: str) -> tuple[dict[Silo, SiloTarget], list[tuple[str, str]]]:
    """Targets per silo, plus (product name, equipment code) of the components left out."""
    if components is None or components is False:
        return {}, []
    if not isinstance(components, list):
        raise OdooPayloadError(
            "components_consumption", f"must be a list, got {type(components).__name__}", mo_id=mo_id
        )
    targets: dict[Silo, SiloTarget] = {}
    unmapped: list[tuple[str, str]] = []
    for index, component in enumerate(components):
        field = f"components_consumption[{index}]"
        if not isinstance(component, Mapping):
            raise OdooPayloadError(field, f"must be a JSON object, got {type(component).__name__}", mo_id=mo_id)
        name = _text(component.get("product_name"), f"{field}.product_name", mo_id) or "(unnamed component)"
        code = _equipment_code(component.get("equipment"), f"{field}.equipment", mo_id)
        silo = silo_for_equipment_code(code)
        if silo is None:
            unmapped.append((name, code))
            continue
        amount = component.get("to_consume")
        amount_field = f"{field}.to_consume"
        if amount is None:  # the origin fell back to `consumed` only when to_consume is absent
            amount, amount_field = component.get("consumed"), f"{field}.consumed"
        target_kg = _quantity(amount, amount_field, mo_id, required=True)
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
    return targets, unmapped
