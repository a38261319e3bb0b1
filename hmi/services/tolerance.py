"""Dosing tolerances: per silo, absolute (kg) and relative (%), the larger applies.

A silo is within tolerance when ``|actual - target| <= max(kg, percent / 100 × target)``.
The defaults come from DOSING_TOLERANCE_KG / DOSING_TOLERANCE_PERCENT; a silo may override
either (stored in silo_tolerances, edited in the Silos dialog and the silo-tolerance API).

A verdict never blocks anything: the actuals are what was dosed and go to Odoo as they are.
It is stored with the batch in mo_histories, shown in the window, and an out-of-tolerance
batch raises a low-priority alarm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from hmi.domain import Batch, deviation_percent
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText

WITHIN = "within"
OUTSIDE = "outside"


@dataclass(frozen=True)
class Tolerance:
    kg: float
    percent: float

    def allowed(self, target_kg: float) -> float:
        return max(self.kg, self.percent / 100.0 * abs(target_kg))


@dataclass(frozen=True)
class SiloOverride:
    """A silo's own tolerance; None keeps the default for that part."""

    silo: str
    kg: float | None = None
    percent: float | None = None

    def applied_to(self, default: Tolerance) -> Tolerance:
        return Tolerance(default.kg if self.kg is None else self.kg,
                         default.percent if self.percent is None else self.percent)


@dataclass(frozen=True)
class SiloVerdict:
    silo: str
    target_kg: float
    actual_kg: float
    allowed_kg: float

    @property
    def deviation_kg(self) -> float:
        return self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float:
        return deviation_percent(self.target_kg, self.actual_kg) or 0.0

    @property
    def within(self) -> bool:
        # A hair of float noise must not turn a dose exactly at the limit into a fault.
        return abs(self.deviation_kg) <= self.allowed_kg + 1e-9

    def describe(self) -> OperatorText:
        return OperatorText(QT_TRANSLATE_NOOP("OperatorText",
            "silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg "
            "({percent} %), allowed ±{allowed} kg"), silo=self.silo, target=f"{self.target_kg:g}",
            actual=f"{self.actual_kg:g}", deviation=f"{self.deviation_kg:+.2f}",
            percent=f"{self.deviation_percent:+.1f}", allowed=f"{self.allowed_kg:g}")


@dataclass(frozen=True)
class BatchVerdict:
    silos: tuple[SiloVerdict, ...]

    @property
    def within(self) -> bool:
        """The batch's verdict is the worst of its silos'."""
        return all(s.within for s in self.silos)

    @property
    def word(self) -> str:
        return WITHIN if self.within else OUTSIDE

    @property
    def outside(self) -> tuple[SiloVerdict, ...]:
        return tuple(s for s in self.silos if not s.within)

    def to_json(self) -> str:
        return json.dumps({s.silo: {"target": s.target_kg, "actual": s.actual_kg,
                                    "deviation": round(s.deviation_kg, 3), "allowed": s.allowed_kg,
                                    "within": s.within} for s in self.silos})


def judge(batch: Batch, default: Tolerance, overrides: dict[str, SiloOverride] | None = None) -> BatchVerdict:
    """Each used silo (a target > 0) against its tolerance."""
    overrides = overrides or {}
    verdicts = []
    for line in batch.dosing_lines:
        label = line.silo.label
        tolerance = overrides[label].applied_to(default) if label in overrides else default
        verdicts.append(SiloVerdict(label, float(line.target_kg), float(line.actual_kg or 0.0),
                                    tolerance.allowed(float(line.target_kg))))
    return BatchVerdict(tuple(verdicts))


def deviations_from_json(text: str | None) -> dict[str, dict]:
    """The stored per-silo deviations (mo_histories.tolerance_deviations); {} when none."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class ToleranceService:
    """Judges completed batches and keeps the per-silo overrides (window, API and completion call this)."""

    def __init__(self, store, db, default: Tolerance) -> None:
        self.store = store  # hmi.store.tolerances.SiloToleranceStore
        self.db = db
        self.default = default

    async def overrides(self) -> dict[str, SiloOverride]:
        loaded = await self.db(self.store.load)
        return {silo: SiloOverride(silo, kg, pct) for silo, (kg, pct) in loaded.items()}

    async def replace(self, overrides: list[SiloOverride], actor: str) -> list[str]:
        for o in overrides:
            for value in (o.kg, o.percent):
                if value is not None and value < 0:
                    raise ValueError(f"silo {o.silo}: a tolerance cannot be negative")
        return await self.db(self.store.replace, [(o.silo, o.kg, o.percent) for o in overrides], actor)

    async def judge(self, batch: Batch) -> BatchVerdict:
        return judge(batch, self.default, await self.overrides())

    async def outside_history(self, mo_text: str | None, limit: int = 50, offset: int = 0,
                              cursor: str | None = None, since: datetime | None = None,
                              until: datetime | None = None):
        """A page of history records dosed outside tolerance (the History tab's filter), by cursor."""
        return await self.db(self.store.outside_page, mo_text, limit, offset, cursor, since, until)

    async def verdicts(self, mo_ids: list[str]) -> dict[str, tuple[str | None, dict]]:
        """mo_id -> (verdict, per-silo deviations) of completed batches."""
        stored = await self.db(self.store.verdicts, mo_ids)
        return {mo_id: (verdict, deviations_from_json(text)) for mo_id, (verdict, text) in stored.items()}

    async def record(self, mo_id: str, verdict: BatchVerdict) -> bool:
        return await self.db(self.store.record_verdict, mo_id, verdict.word, verdict.to_json())
