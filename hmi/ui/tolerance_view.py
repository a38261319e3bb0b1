"""How the window shows a batch's dosing against its tolerance: the batch table's Deviation
column and the verdict line of the batch details. Word and shape when outside (ISA-101)."""

from __future__ import annotations

from dataclasses import dataclass

from hmi.domain import Batch
from hmi.services.tolerance import BatchVerdict, SiloOverride, Tolerance, judge


@dataclass
class ToleranceView:
    """The default tolerance and the silos' overrides the window judges with (refreshed by the alarm views)."""

    default: Tolerance
    overrides: dict[str, SiloOverride]

    def verdict(self, batch: Batch) -> BatchVerdict | None:
        """Only a batch the PLC finished is judged: while dosing runs, actual < target is no deviation."""
        if not batch.is_locked or not batch.dosing_lines:
            return None
        return judge(batch, self.default, self.overrides)


def deviation_text(verdict: BatchVerdict | None) -> str:
    """'OUTSIDE' over 'silo D -11.4 kg' (the silo furthest out; every silo in the tooltip) or
    'within -0.8 %' (the largest deviation); '—' when not judged. Two lines keep the column narrow."""
    if verdict is None or not verdict.silos:
        return "—"
    if not verdict.within:
        worst = max(verdict.outside, key=lambda s: abs(s.deviation_kg))
        return f"OUTSIDE\nsilo {worst.silo} {worst.deviation_kg:+.1f} kg"
    worst = max(verdict.silos, key=lambda s: abs(s.deviation_percent))
    return f"within {worst.deviation_percent:+.1f} %"


def deviation_tooltip(verdict: BatchVerdict | None) -> str:
    if verdict is None:
        return "Judged against the dosing tolerance once the PLC has finished the batch"
    return "\n".join(s.describe() + ("" if s.within else "  OUTSIDE") for s in verdict.silos)
