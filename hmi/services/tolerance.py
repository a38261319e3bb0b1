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

from hmi.domain import Batch, BatchFigures, Verdict, batch_figures, deviation_percent, line_verdict
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
    def verdict(self) -> Verdict:
        """Within, over or under its tolerance (hmi.domain.line_verdict)."""
        return line_verdict(self.deviation_kg, self.allowed_kg)

    @property
    def within(self) -> bool:
        return self.verdict is Verdict.WITHIN

    def describe(self) -> OperatorText:
        return OperatorText(QT_TRANSLATE_NOOP("OperatorText",
            "silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg "
            "({percent} %), allowed ±{allowed} kg"), silo=self.silo, target=f"{self.target_kg:g}",
            actual=f"{self.actual_kg:g}", deviation=f"{self.deviation_kg:+.2f}",
            percent=f"{self.deviation_percent:+.1f}", allowed=f"{self.allowed_kg:g}")


@dataclass(frozen=True)
class BatchVerdict:
    silos: tuple[SiloVerdict, ...]
    #: The batch's figures the verdict was made on (batch total, worst silo, open hand-added lines).
    figures: BatchFigures | None = None

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
                                    "within": s.within, "verdict": s.verdict.value} for s in self.silos})


def allowance(default: Tolerance, overrides: dict[str, SiloOverride] | None = None):
    """(silo label, target kg) -> the band (± kg) that silo is judged against."""
    overrides = overrides or {}

    def allowed(label: str, target_kg: float) -> float:
        tolerance = overrides[label].applied_to(default) if label in overrides else default
        return tolerance.allowed(target_kg)

    return allowed


def judge(batch: Batch, default: Tolerance, overrides: dict[str, SiloOverride] | None = None) -> BatchVerdict:
    """Each used silo (a target > 0) against its tolerance, with the batch's figures (hmi.domain)."""
    figures = batch_figures(batch.silos, batch.hand_added, allowance(default, overrides))
    return BatchVerdict(tuple(SiloVerdict(line.label, line.target_kg, line.actual_kg or 0.0,
                                          float(line.allowed_kg or 0.0)) for line in figures.judged), figures)


def judge_finished(batch: Batch, default: Tolerance,
                   overrides: dict[str, SiloOverride] | None = None) -> BatchVerdict | None:
    """Only a batch the PLC finished is judged: while dosing runs, actual < target is no deviation."""
    if not batch.is_locked or not batch.dosing_lines:
        return None
    return judge(batch, default, overrides)


def stored_silo_verdict(stored: dict) -> Verdict:
    """A silo's verdict from its stored deviation (records written before the direction was stored say
    only within or not: the sign of the deviation tells over from under)."""
    word = stored.get("verdict")
    if word in {v.value for v in Verdict}:
        return Verdict(word)
    if stored.get("within", True):
        return Verdict.WITHIN
    return Verdict.OVER if float(stored.get("deviation", 0) or 0) > 0 else Verdict.UNDER


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

    async def judge_finished(self, batch: Batch) -> BatchVerdict | None:
        return judge_finished(batch, self.default, await self.overrides())

    async def judge_all_finished(self, batches: list[Batch]) -> dict[str, BatchVerdict]:
        """mo_id -> verdict of the batches the PLC finished (the overrides read once)."""
        overrides = await self.overrides()
        verdicts = {b.mo_id: judge_finished(b, self.default, overrides) for b in batches}
        return {mo_id: v for mo_id, v in verdicts.items() if v is not None}

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
