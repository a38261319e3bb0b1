"""HandAddService: the operator's checklist of the components no silo doses (premix, medicines).

Each batch lists its hand-added components (product, target kg). The operator weighs each one
and confirms the amount, or accepts the target when the scale shows exactly that; the window,
the admin API and the PLC's manual-weighing area all confirm through ``confirm`` here, and every
confirmation is logged with who made it. Completion pushes the confirmed amounts to Odoo with
the PLC's actuals (see hmi.services.completion and HAND_ADD_REQUIRED).

A confirmation is checked before it is stored: a number, finite, not negative, and plausible —
at most ``PLAUSIBLE_FACTOR`` × the target (or the target + ``PLAUSIBLE_MARGIN_KG`` for tiny
targets). A typo of 150 for 1.50 kg of a medicine is refused with the limit in the message.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from hmi.domain import HandAddLine, HandAddSource
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.store import DbRunner
from hmi.store.hand_add import BatchAlreadyReported, HandAddStore, LineNotFound

log = logging.getLogger("hmi.hand_add")

#: A weighed amount above this multiple of the target is refused as a typo or a wrong component.
PLAUSIBLE_FACTOR = 2.0
#: ... unless it is within this margin of the target (a 0.2 kg target may well be weighed as 0.45 kg).
PLAUSIBLE_MARGIN_KG = 0.5


class HandAddRefused(Exception):
    """A confirmation that cannot be stored; the message says why, for the operator."""


def plausible_limit_kg(target_kg: float) -> float:
    return max(target_kg * PLAUSIBLE_FACTOR, target_kg + PLAUSIBLE_MARGIN_KG)


def _refused(template: str, **values: Any) -> HandAddRefused:
    return HandAddRefused(OperatorText(template, **values))


def check_weighed_kg(value: Any, line: HandAddLine) -> float:
    """The weighed amount as a float, or HandAddRefused naming the problem."""
    product = line.product_name
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: {text} is not a number of kg"),
                           product=product, text=repr(text)) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: the weighed amount must be a number of kg, got "
                                                         "{value}"), product=product, value=repr(value))
    kg = float(value)
    if not math.isfinite(kg):
        raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: the weighed amount must be a finite number, got "
                                                         "{value}"), product=product, value=repr(value))
    if kg < 0:
        raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: the weighed amount cannot be negative ({kg} kg)"),
                       product=product, kg=f"{kg:g}")
    limit = plausible_limit_kg(line.target_kg)
    if kg > limit:
        raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: {kg} kg is implausible for a target of {target} "
                                                         "kg (at most {limit} kg); weigh it again"),
                       product=product, kg=f"{kg:g}", target=f"{line.target_kg:g}", limit=f"{limit:g}")
    return kg


class HandAddService:
    def __init__(self, store: HandAddStore, db: DbRunner) -> None:
        self.store = store
        self.db = db

    async def lines(self, mo_id: str) -> tuple[HandAddLine, ...]:
        """The open checklist of a batch in mo_batch (empty if it has none)."""
        return await self.db(self.store.open_lines, mo_id)

    async def archived_lines(self, mo_id: str) -> tuple[HandAddLine, ...]:
        return await self.db(self.store.archived_lines, mo_id)

    async def confirm(self, mo_id: str, product_id: int, weighed_kg: float | str | None, actor: str,
                      accept_target: bool = False, source: HandAddSource = HandAddSource.OPERATOR) -> HandAddLine:
        """Record what was weighed for one hand-added component (or its target, when accepted)."""
        actor = (actor or "").strip() or "unknown"
        lines = {line.product_id: line for line in await self.db(self.store.open_lines, mo_id)}
        line = lines.get(product_id)
        if line is None:
            raise _refused(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} has no open hand-added component with product id "
                                                             "{product_id}"), mo=mo_id, product_id=product_id)
        if accept_target:
            kg = line.target_kg
        elif weighed_kg is None:
            raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{product}: enter the weighed amount, or accept the target"),
                           product=line.product_name)
        else:
            kg = check_weighed_kg(weighed_kg, line)
        try:
            confirmation = await self.db(self.store.confirm, mo_id, product_id, kg, actor, source)
        except (LineNotFound, BatchAlreadyReported) as exc:
            raise _refused(QT_TRANSLATE_NOOP("OperatorText", "{reason}; the confirmation was not stored"),
                           reason=str(exc)) from None
        how = "target accepted" if accept_target else "weighed"
        corrected = (f", corrected from {confirmation.previous_kg:g} kg"
                     if confirmation.previous_kg is not None else "")
        log.info("Hand-added %s for MO %s confirmed by %s: %g kg (%s; target %g kg%s)", line.product_name, mo_id,
                 actor, kg, how, line.target_kg, corrected,
                 extra={"actor": actor, "mo_id": mo_id})
        return confirmation.line


__all__ = ["HandAddRefused", "HandAddService", "check_weighed_kg", "plausible_limit_kg"]
