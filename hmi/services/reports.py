"""Production report and batch ticket: what was produced in a range, and what went into one batch.

Qt-free. The window (Reports tab, batch details), the command line (``--report``) and the
admin API (``GET /api/admin/report``) all call :class:`ReportService`, so the three show the
same numbers. Times are stored in UTC and shown in the plant's zone (hmi.clock).

What the report counts (a batch belongs to the range in which it was dosed: the time of its DONE
reading, mo_histories.dosed_at, not of its archiving, which waits for Odoo):
- batches by final status: completed, failed, cancelled, cleared;
- per product: the COMPLETED batches, their target kg and actual kg like for like (the silo lines
  and the hand-added components confirmed, as hmi.domain's batch total), deviation (actual - target),
  what was weighed by hand (in the actual), the hand-added lines still open (counted on neither
  side) and finished weight;
- per product and hand-added component: confirmed lines, their target and weighed kg, open lines;
- per silo: kg dosed from it by every archived batch, whatever its outcome (material that left
  the silo), and how many batches took from it;
- out of tolerance: the batches whose tolerance verdict says so, where verdicts are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from hmi.domain import (ALL_SILOS, PERCENT_DECIMALS, Batch, BatchFigures, HandAddLine, HistoryStatus, Verdict,
                        batch_figures, deviation_percent)
from hmi.clock import PlantClock, TimeRange, utc_now
from hmi.services.tolerance import deviations_from_json, stored_silo_verdict
from hmi.store import report_queries
from hmi.records import HistoryEntry
from hmi.store.runner import DbRunner

STATUSES = tuple(status.value for status in HistoryStatus)


# --------------------------------------------------------------------------- tolerances
# Tolerances: the completion round judges each completed batch against the dosing tolerance and
# stores the verdict and the per-silo deviations with its history record (hmi.services.tolerance).
# The report and the ticket read them here; a batch without a stored verdict (archived before
# tolerances existed, or not completed) is "not known".


def tolerance_verdict(record: tuple[str | None, str | None] | None) -> bool | None:
    """The batch as a whole: True = within tolerance, False = outside, None = not known.

    ``record`` is the stored (verdict, deviations JSON) of the batch."""
    if record is None or record[0] is None:
        return None
    return record[0] != "outside"


def silo_tolerance_verdict(record: tuple[str | None, str | None] | None, silo_label: str) -> Verdict | None:
    """One silo of the stored record: within, over or under its tolerance; None = not known."""
    if record is None or record[0] is None:
        return None
    silo = deviations_from_json(record[1]).get(silo_label)
    return None if silo is None else stored_silo_verdict(silo)


def tolerance_verdicts_recorded() -> bool:
    """The store keeps verdicts (mo_histories.tolerance_verdict, revision 0009)."""
    return True


def outside_entries(rows: list[tuple[str, int, str | None, str | None]]) -> list[dict[str, Any]]:
    """The report's out-of-tolerance list: MO, batch, product and the silos outside with their deviation."""
    entries = []
    for mo_id, batch_no, product, deviations in rows:
        outside = {silo: d for silo, d in deviations_from_json(deviations).items() if not d.get("within", True)}
        silos = ", ".join(f"{silo} {stored_silo_verdict(d).value} {d.get('deviation', 0):+.2f} kg "
                          f"(allowed ±{d.get('allowed', 0):g})" for silo, d in sorted(outside.items()))
        entries.append({"mo_id": mo_id, "batch_no": batch_no, "product": product or "", "silos": silos})
    return entries


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ProductTotals:
    product: str
    batches: int
    #: Like for like (hmi.domain figures): the silos and the confirmed hand-added components.
    target_kg: float
    actual_kg: float
    finished_kg: float
    #: Weighed by hand and confirmed (part of actual_kg).
    by_hand_kg: float = 0.0
    #: Hand-added lines nobody confirmed: counted on neither side.
    open_by_hand: int = 0

    @property
    def deviation_kg(self) -> float:
        return self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)


@dataclass(frozen=True)
class HandAddedTotals:
    """One hand-added component of one product's COMPLETED batches in the range."""

    product: str
    component: str
    confirmed: int
    target_kg: float  # of the confirmed lines
    weighed_kg: float
    open: int
    open_target_kg: float


@dataclass(frozen=True)
class SiloTotals:
    silo: str
    kg: float
    batches: int


@dataclass(frozen=True)
class ProductionReport:
    range: TimeRange
    zone: str
    line: str | None
    generated_at: datetime
    by_status: dict[str, int]
    products: list[ProductTotals]
    silos: list[SiloTotals]
    #: None = tolerance verdicts are not recorded, so nothing can be listed.
    out_of_tolerance: list[dict[str, Any]] | None = field(default=None)
    hand_added: list[HandAddedTotals] = field(default_factory=list)
    #: What failed, cancelled and cleared batches dosed (the manual-booking list), with who booked it.
    dosed_not_produced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_batches(self) -> int:
        return sum(self.by_status.values())

    @property
    def completed_totals(self) -> ProductTotals:
        return ProductTotals("All products", sum(p.batches for p in self.products),
                             sum(p.target_kg for p in self.products), sum(p.actual_kg for p in self.products),
                             sum(p.finished_kg for p in self.products), sum(p.by_hand_kg for p in self.products),
                             sum(p.open_by_hand for p in self.products))


def build_report(groups: list[report_queries.GroupTotals], time_range: TimeRange, zone: str,
                 line: str | None, generated_at: datetime,
                 outside: list[dict[str, Any]] | None = None,
                 hand_groups: list[report_queries.HandAddTotals] | None = None,
                 dosed: list[tuple] | None = None) -> ProductionReport:
    by_status = {status: 0 for status in STATUSES}
    products: dict[str, list[float]] = {}
    silo_kg = {silo.label: 0.0 for silo in ALL_SILOS}
    silo_batches = {silo.label: 0 for silo in ALL_SILOS}
    for group in groups:
        by_status[group.status] = by_status.get(group.status, 0) + group.batches
        for label in silo_kg:
            silo_kg[label] += group.silo_kg[label]
            silo_batches[label] += group.silo_batches[label]
        if group.status == HistoryStatus.COMPLETED.value:
            totals = products.setdefault(group.product or "(no product)", [0, 0.0, 0.0, 0.0])
            totals[0] += group.batches
            totals[1] += group.target_kg
            totals[2] += group.actual_kg
            totals[3] += group.finished_kg
    # The hand-added components of the completed batches: confirmed ones count on both sides of the
    # product's total (like for like), open ones on neither.
    by_hand: dict[str, list[float]] = {}
    components: dict[tuple[str, str], list[float]] = {}
    for hand in hand_groups or []:
        if hand.status != HistoryStatus.COMPLETED.value:
            continue
        name = hand.product or "(no product)"
        totals = products.setdefault(name, [0, 0.0, 0.0, 0.0])
        totals[1] += hand.confirmed_target_kg
        totals[2] += hand.weighed_kg
        extra = by_hand.setdefault(name, [0.0, 0])
        extra[0] += hand.weighed_kg
        extra[1] += hand.open
        row = components.setdefault((name, hand.component), [0, 0.0, 0.0, 0, 0.0])
        for index, value in enumerate((hand.confirmed, hand.confirmed_target_kg, hand.weighed_kg, hand.open,
                                       hand.open_target_kg)):
            row[index] += value
    return ProductionReport(
        range=time_range,
        zone=zone,
        line=line,
        generated_at=generated_at,
        by_status=by_status,
        products=[ProductTotals(name, int(t[0]), round(t[1], 3), round(t[2], 3), round(t[3], 3),
                                round(by_hand.get(name, [0.0, 0])[0], 3), int(by_hand.get(name, [0.0, 0])[1]))
                  for name, t in sorted(products.items())],
        silos=[SiloTotals(label, round(silo_kg[label], 3), silo_batches[label])
               for label in silo_kg if silo_batches[label]],
        out_of_tolerance=(outside or []) if tolerance_verdicts_recorded() else None,
        hand_added=[HandAddedTotals(name, component, int(t[0]), round(t[1], 3), round(t[2], 3), int(t[3]),
                                    round(t[4], 3)) for (name, component), t in sorted(components.items())],
        dosed_not_produced=[{"mo_id": mo_id, "batch_no": batch_no, "outcome": outcome, "component": component,
                             "kg": round(kg, 3), "booked_by": booked_by}
                            for mo_id, batch_no, outcome, component, kg, booked_by in dosed or ()],
    )


def report_as_dict(report: ProductionReport) -> dict[str, Any]:
    """The report's JSON file format: ``--report --format json`` writes it, the API's ``format=json``
    answers it as it is, and the CSV, XLSX and PDF sections (hmi.services.report_export) are read
    from it. A file format the command line, the exports and the API share, not an API shape, so it
    stays here, below all three (hmi.app and hmi.services cannot reach hmi.api's shapes)."""
    total = report.completed_totals
    return {
        "range": {"from": report.range.start.isoformat(), "to": report.range.end.isoformat(),
                  "label": report.range.label, "timezone": report.zone,
                  "from_plant_time": report.range.start_text, "to_plant_time": report.range.end_text},
        "line": report.line,
        "generated_at": report.generated_at.isoformat(),
        "batches_by_status": dict(report.by_status),
        "total_batches": report.total_batches,
        "products": [
            {"product": p.product, "batches": p.batches, "target_kg": p.target_kg, "actual_kg": p.actual_kg,
             "deviation_kg": round(p.deviation_kg, 3),
             "deviation_percent": None if p.deviation_percent is None else round(p.deviation_percent, PERCENT_DECIMALS),
             "by_hand_kg": p.by_hand_kg, "open_by_hand": p.open_by_hand, "finished_kg": p.finished_kg}
            for p in report.products
        ],
        "completed_totals": {"batches": total.batches, "target_kg": round(total.target_kg, 3),
                             "actual_kg": round(total.actual_kg, 3), "deviation_kg": round(total.deviation_kg, 3),
                             "by_hand_kg": round(total.by_hand_kg, 3), "open_by_hand": total.open_by_hand,
                             "finished_kg": round(total.finished_kg, 3)},
        "silos": [{"silo": s.silo, "kg": s.kg, "batches": s.batches} for s in report.silos],
        "out_of_tolerance": report.out_of_tolerance,
        "hand_added": [{"product": h.product, "component": h.component, "confirmed": h.confirmed,
                        "target_kg": h.target_kg, "weighed_kg": h.weighed_kg, "open": h.open,
                        "open_target_kg": h.open_target_kg} for h in report.hand_added],
        "dosed_not_produced": report.dosed_not_produced,
    }


# --------------------------------------------------------------------------- ticket


@dataclass(frozen=True)
class TicketLine:
    silo: str
    component: str
    target_kg: float | None
    actual_kg: float | None
    #: Within, over or under its tolerance; None = not known (not judged, or no record).
    verdict: Verdict | None

    @property
    def deviation_kg(self) -> float | None:
        if self.target_kg is None or self.actual_kg is None:
            return None
        return self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)


@dataclass(frozen=True)
class BatchTicket:
    mo_id: str
    product: str
    line: str
    batch_no: int
    started_at: datetime | None
    ended_at: datetime | None
    actor: str | None
    status: str
    lines: list[TicketLine]
    finished_kg: float | None
    zone: str
    notes: str | None = None
    #: The batch's figures (hmi.domain): the batch total like for like, the hand-added lines, the worst silo.
    figures: BatchFigures = field(default_factory=lambda: BatchFigures(()))
    #: The batch against its tolerance as a whole: True within, False outside, None not known.
    within: bool | None = None

    @property
    def target_total_kg(self) -> float:
        """The batch total's target, like for like (the silos and the confirmed hand-added components)."""
        return self.figures.target_kg

    @property
    def actual_total_kg(self) -> float:
        return self.figures.actual_kg


def build_ticket(source: HistoryEntry | Batch, span: tuple[datetime | None, datetime | None],
                 zone: str, tolerance: tuple[str | None, str | None] | None = None,
                 hand_added: tuple[HandAddLine, ...] | None = None) -> BatchTicket:
    """The ticket of an archived batch (HistoryEntry) or of a DONE batch still in the table (Batch).

    ``hand_added``: the batch's hand-added components (a Batch carries its own)."""
    first, last = span
    if isinstance(source, HistoryEntry):
        status, actor, notes = source.status.upper(), source.actor, source.notes
        ended = last or source.archived_at
    else:
        status, actor, notes = source.state.value.upper(), None, None
        ended = last or source.last_read_from_plc
    lines = [
        TicketLine(line.silo.label, line.component_name or "", line.target_kg, line.actual_kg,
                   silo_tolerance_verdict(tolerance, line.silo.label))
        for line in source.silos if line.target_kg or line.actual_kg
    ]
    if hand_added is None:
        hand_added = source.hand_added if isinstance(source, Batch) else ()
    return BatchTicket(source.mo_id, source.product_name or "", source.equipment_code or "", source.batch_no,
                       first, ended, actor, status, lines, source.actual_weight, zone, notes,
                       batch_figures(source.silos, hand_added), tolerance_verdict(tolerance))


# --------------------------------------------------------------------------- service


class ReportService:
    """The one way in to reports and tickets for the window, the CLI and the API."""

    def __init__(self, engine, db: DbRunner | None, clock: PlantClock, line: str | None = None,
                 now: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.db = db
        self.clock = clock
        self.line = line
        self.now = now

    async def _call(self, fn, *args):
        if self.db is None:
            return fn(*args)
        return await self.db(fn, *args)

    def range_for(self, preset: str | None = None, start: datetime | None = None,
                  end: datetime | None = None) -> TimeRange:
        if preset:
            return self.clock.preset(preset, self.now())
        if start is None or end is None:
            raise ValueError("give a preset or both ends of the range")
        return self.clock.explicit(start, end)

    def report_blocking(self, time_range: TimeRange) -> ProductionReport:
        groups = report_queries.report_groups(self.engine, time_range.start, time_range.end, self.line)
        outside = outside_entries(report_queries.outside_tolerance(self.engine, time_range.start, time_range.end,
                                                                   self.line))
        hand = report_queries.hand_add_groups(self.engine, time_range.start, time_range.end, self.line)
        dosed = report_queries.dosed_not_produced(self.engine, time_range.start, time_range.end, self.line)
        return build_report(groups, time_range, self.clock.zone_name, self.line, self.now(), outside, hand, dosed)

    async def report(self, time_range: TimeRange) -> ProductionReport:
        return await self._call(self.report_blocking, time_range)

    def ticket_blocking(self, source: HistoryEntry | Batch,
                        record: tuple[str | None, str | None] | None = None) -> BatchTicket:
        """``record``: the (verdict, deviations JSON) of a batch still in the table, judged by the caller
        (an archived one has its own stored)."""
        span = report_queries.sample_span(self.engine, source.mo_id, source.batch_no)
        hand_added = None
        if isinstance(source, HistoryEntry):
            record = report_queries.tolerance_records(self.engine, [source.mo_id]).get(source.mo_id) \
                if source.status == "completed" else None
            hand_added = report_queries.archived_hand_lines(self.engine, source.mo_id, source.archived_at)
        return build_ticket(source, span, self.clock.zone_name, record, hand_added)

    async def ticket(self, source: HistoryEntry | Batch,
                     record: tuple[str | None, str | None] | None = None) -> BatchTicket:
        return await self._call(self.ticket_blocking, source, record)

    def hourly_blocking(self, start: datetime, end: datetime) -> list[tuple[datetime, dict[str, float]]]:
        """Kg per silo per UTC hour of the batches dosed in [start, end) (the Trends tab)."""
        return report_queries.hourly_consumption(self.engine, start, end, self.line)

    async def hourly(self, start: datetime, end: datetime) -> list[tuple[datetime, dict[str, float]]]:
        return await self._call(self.hourly_blocking, start, end)
