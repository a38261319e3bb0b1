"""How the window shows a batch's figures (hmi.domain, "figures"): the batch table's Batch deviation
column and the deviation lines of the batch details. Word and shape when outside (ISA-101)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hmi.domain import PERCENT_DECIMALS, Batch, BatchFigures, Verdict
from hmi.services.tolerance import BatchVerdict, SiloOverride, Tolerance, judge_finished
from hmi.ui.formatting import NO_VALUE, format_allowed_kg, format_kg, format_percent

#: A line against its tolerance, as the table, the details and their tooltips say it.
VERDICT_WORDS = {
    Verdict.WITHIN: QT_TRANSLATE_NOOP("ToleranceView", "within"),
    Verdict.OVER: QT_TRANSLATE_NOOP("ToleranceView", "OVER"),
    Verdict.UNDER: QT_TRANSLATE_NOOP("ToleranceView", "UNDER"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("ToleranceView", text)


@dataclass
class ToleranceView:
    """The default tolerance and the silos' overrides the window judges with (refreshed by the alarm views)."""

    default: Tolerance
    overrides: dict[str, SiloOverride]

    def verdict(self, batch: Batch) -> BatchVerdict | None:
        """Only a batch the PLC finished is judged: while dosing runs, actual < target is no deviation."""
        return judge_finished(batch, self.default, self.overrides)


def percent_text(value: float | None) -> str:
    """A deviation in percent, signed, with the decimals every view uses ('-1.08 %')."""
    return format_percent(value, PERCENT_DECIMALS)


def verdict_word(verdict: Verdict | None) -> str:
    return NO_VALUE if verdict is None else _t(VERDICT_WORDS[verdict])


#: The widest the Batch deviation cell gets (the column is sized for it).
WIDEST_DEVIATION = "OUTSIDE silo LQ114 +12"


def outside_silos(verdict: BatchVerdict) -> str:
    """'D' — the silo furthest outside its tolerance; with others 'D +2' (every silo in the tooltip)."""
    outside = sorted(verdict.outside, key=lambda s: abs(s.deviation_kg) - s.allowed_kg, reverse=True)
    return outside[0].silo + (f" +{len(outside) - 1}" if len(outside) > 1 else "")


def deviation_text(verdict: BatchVerdict | None) -> str:
    """The batch's deviation (its total, like for like) over the verdict: '-1.08 %' over 'within', or over
    'OUTSIDE silo D' (every silo in the tooltip); '—' when not judged. Two lines keep the column narrow."""
    if verdict is None or not verdict.silos or verdict.figures is None:
        return NO_VALUE
    total = percent_text(verdict.figures.deviation_percent)
    if verdict.within:
        return _t(QT_TRANSLATE_NOOP("ToleranceView", "{percent}\nwithin")).format(percent=total)
    return _t(QT_TRANSLATE_NOOP("ToleranceView", "{percent}\nOUTSIDE silo {silos}")).format(
        percent=total, silos=outside_silos(verdict))


def figures_lines(figures: BatchFigures) -> list[str]:
    """The batch total, what is still open by hand and the worst silo, in words (tooltips and the details)."""
    lines = [_t(QT_TRANSLATE_NOOP("ToleranceView", "Batch total (silos + confirmed by hand): target {target} kg, "
                                                   "actual {actual} kg, deviation {kg} kg ({percent})")).format(
        target=format_kg(figures.target_kg), actual=format_kg(figures.actual_kg),
        kg=f"{figures.deviation_kg:+.2f}", percent=percent_text(figures.deviation_percent))]
    if figures.open_lines:
        lines.append(_t(QT_TRANSLATE_NOOP("ToleranceView", "By hand still OPEN, not counted: {count} ({kg} kg)")
                        ).format(count=len(figures.open_lines), kg=format_kg(figures.open_target_kg)))
    worst = figures.worst_silo
    if worst is not None:
        lines.append(_t(QT_TRANSLATE_NOOP("ToleranceView", "Worst silo: {silo} {percent}")).format(silo=worst.label,
                                                              percent=percent_text(worst.deviation_percent)))
    return lines


def deviation_tooltip(verdict: BatchVerdict | None) -> str:
    if verdict is None:
        return QCoreApplication.translate("ToleranceView", "Judged against the dosing tolerance once the PLC has "
                                                           "finished the batch")
    head = figures_lines(verdict.figures) if verdict.figures is not None else []
    return "\n".join(head + [silo_line(s) for s in verdict.silos])


def silo_line(silo) -> str:
    """One silo against its tolerance, as SiloVerdict.describe() says it for the log, in the window's language."""
    line = QCoreApplication.translate(
        "ToleranceView", "silo {silo}: target {target} kg, actual {actual} kg, deviation {kg} kg ({percent}), "
                         "allowed ±{allowed} kg").format(
        silo=silo.silo, target=f"{silo.target_kg:g}", actual=f"{silo.actual_kg:g}", kg=f"{silo.deviation_kg:+.2f}",
        percent=percent_text(silo.deviation_percent), allowed=format_allowed_kg(silo.allowed_kg))
    return line + ("" if silo.within else "  " + verdict_word(silo.verdict))
