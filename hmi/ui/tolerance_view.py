"""How the window shows a batch's dosing against its tolerance: the batch table's Deviation
column and the verdict line of the batch details. Word and shape when outside (ISA-101)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from hmi.domain import Batch
from hmi.services.tolerance import BatchVerdict, SiloOverride, Tolerance, judge
from hmi.ui.formatting import format_allowed_kg


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
        return QCoreApplication.translate("ToleranceView", "OUTSIDE\nsilo {silo} {kg} kg").format(
            silo=worst.silo, kg=f"{worst.deviation_kg:+.1f}")
    worst = max(verdict.silos, key=lambda s: abs(s.deviation_percent))
    return QCoreApplication.translate("ToleranceView", "within {percent} %").format(
        percent=f"{worst.deviation_percent:+.1f}")


def deviation_tooltip(verdict: BatchVerdict | None) -> str:
    if verdict is None:
        return QCoreApplication.translate("ToleranceView", "Judged against the dosing tolerance once the PLC has "
                                                           "finished the batch")
    return "\n".join(silo_line(s) for s in verdict.silos)


def silo_line(silo) -> str:
    """One silo against its tolerance, as SiloVerdict.describe() says it for the log, in the window's language."""
    line = QCoreApplication.translate(
        "ToleranceView", "silo {silo}: target {target} kg, actual {actual} kg, deviation {kg} kg ({percent} %), "
                         "allowed ±{allowed} kg").format(
        silo=silo.silo, target=f"{silo.target_kg:g}", actual=f"{silo.actual_kg:g}", kg=f"{silo.deviation_kg:+.2f}",
        percent=f"{silo.deviation_percent:+.1f}", allowed=format_allowed_kg(silo.allowed_kg))
    return line + ("" if silo.within else QCoreApplication.translate("ToleranceView", "  OUTSIDE"))
