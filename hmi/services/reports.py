"""Production report and batch ticket: what was produced in a range, and what went into one batch.

Qt-free. The window (Reports tab, batch details), the command line (``--report``) and the
admin API (``GET /api/admin/report``) all call :class:`ReportService`, so the three show the
same numbers. Times are stored in UTC and shown in the plant's zone (hmi.clock).

What the report counts (a batch belongs to the range in which it was archived):
- batches by final status: completed, failed, cancelled, cleared;
- per product: the COMPLETED batches, their target kg (sum of the silo targets), actual kg
  (sum of the silo actuals), deviation (actual - target) and finished weight;
- per silo: kg dosed from it by every archived batch, whatever its outcome (material that left
  the silo), and how many batches took from it;
- out of tolerance: the batches whose tolerance verdict says so, where verdicts are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from hmi.domain import ALL_SILOS, Batch, HistoryStatus, deviation_percent
from hmi.clock import PlantClock, TimeRange, utc_now
from hmi.services.tolerance import deviations_from_json
from hmi.store import report_queries
from hmi.records import HistoryEntry
from hmi.store.runner import DbRunner

STATUSES = tuple(status.value for status in HistoryStatus)


# --------------------------------------------------------------------------- tolerances
# Tolerances: the completion round judges each completed batch against the dosing tolerance and
# stores the verdict and the per-silo deviations with its history record (hmi.services.tolerance).
# The report and the ticket read them here; a batch without a stored verdict (archived before
# tolerances existed, or not completed) is "not known".


def tolerance_verdict(record: tuple[str | None, str | None] | None, silo_label: str | None = None) -> bool | None:
    """True = within tolerance, False = outside, None = not known.

    ``record`` is the stored (verdict, deviations JSON) of the batch; ``silo_label`` None asks for
    the batch as a whole."""
    if record is None or record[0] is None:
        return None
    verdict, deviations = record
    if silo_label is None:
        return verdict != "outside"
    silo = deviations_from_json(deviations).get(silo_label)
    return None if silo is None else bool(silo.get("within", True))


def tolerance_verdicts_recorded() -> bool:
    """The store keeps verdicts (mo_histories.tolerance_verdict, revision 0009)."""
    return True


def outside_entries(rows: list[tuple[str, int, str | None, str | None]]) -> list[dict[str, Any]]:
    """The report's out-of-tolerance list: MO, batch, product and the silos outside with their deviation."""
    entries = []
    for mo_id, batch_no, product, deviations in rows:
        outside = {silo: d for silo, d in deviations_from_json(deviations).items() if not d.get("within", True)}
        silos = ", ".join(f"{silo} {d.get('deviation', 0):+.2f} kg (allowed ±{d.get('allowed', 0):g})"
                          for silo, d in sorted(outside.items()))
        entries.append({"mo_id": mo_id, "batch_no": batch_no, "product": product or "", "silos": silos})
    return entries


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class ProductTotals:
    product: str
    batches: int
    target_kg: float
    actual_kg: float
    finished_kg: float

    @property
    def deviation_kg(self) -> float:
        return self.actual_kg - self.target_kg

    @property
    def deviation_percent(self) -> float | None:
        return deviation_percent(self.target_kg, self.actual_kg)


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
    #: What failed, cancelled and cleared batches dosed (the manual-booking list), with who booked it.
    dosed_not_produced: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_batches(self) -> int:
        return sum(self.by_status.values())

    @property
    def completed_totals(self) -> ProductTotals:
        return ProductTotals("All products", sum(p.batches for p in self.products),
                             sum(p.target_kg for p in self.products), sum(p.actual_kg for p in self.products),
                             sum(p.finished_kg for p in self.products))


def build_report(groups: list[report_queries.GroupTotals], time_range: TimeRange, zone: str,
                 line: str | None, generated_at: datetime,
                 outside: list[dict[str, Any]] | None = None,
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
    return ProductionReport(
        range=time_range,
        zone=zone,
        line=line,
        generated_at=generated_at,
        by_status=by_status,
        products=[ProductTotals(name, int(t[0]), round(t[1], 3), round(t[2], 3), round(t[3], 3))
                  for name, t in sorted(products.items())],
        silos=[SiloTotals(label, round(silo_kg[label], 3), silo_batches[label])
               for label in silo_kg if silo_batches[label]],
        out_of_tolerance=(outside or []) if tolerance_verdicts_recorded() else None,
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
             "deviation_percent": None if p.deviation_percent is None else round(p.deviation_percent, 2),
             "finished_kg": p.finished_kg}
            for p in report.products
        ],
        "completed_totals": {"batches": total.batches, "target_kg": round(total.target_kg, 3),
                             "actual_kg": round(total.actual_kg, 3), "deviation_kg": round(total.deviation_kg, 3),
                             "finished_kg": round(total.finished_kg, 3)},
        "silos": [{"silo": s.silo, "kg": s.kg, "batches": s.batches} for s in report.silos],
        "out_of_tolerance": report.out_of_tolerance,
        "dosed_not_produced": report.dosed_not_produced,
    }


# --------------------------------------------------------------------------- ticket


@dataclass(frozen=True)
class TicketLine:
    silo: str
    component: str
    target_kg: float | None
    actual_kg: float | None
    verdict: bool | None

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

    @property
    def target_total_kg(self) -> float:
        return sum(line.target_kg or 0.0 for line in self.lines)

    @property
    def actual_total_kg(self) -> float:
        return sum(line.actual_kg or 0.0 for line in self.lines)


def build_ticket(source: HistoryEntry | Batch, span: tuple[datetime | None, datetime | None],
                 zone: str, tolerance: tuple[str | None, str | None] | None = None) -> BatchTicket:
    """The ticket of an archived batch (HistoryEntry) or of a DONE batch still in the table (Batch)."""
    first, last = span
    if isinstance(source, HistoryEntry):
        status, actor, notes = source.status.upper(), source.actor, source.notes
        ended = last or source.archived_at
    else:
        status, actor, notes = source.state.value.upper(), None, None
        ended = last or source.last_read_from_plc
    lines = [
        TicketLine(line.silo.label, line.component_name or "", line.target_kg, line.actual_kg,
                   tolerance_verdict(tolerance, line.silo.label))
        for line in source.silos if line.target_kg or line.actual_kg
    ]
    return BatchTicket(source.mo_id, source.product_name or "", source.equipment_code or "", source.batch_no,
                       first, ended, actor, status, lines, source.actual_weight, zone, notes)


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
        dosed = report_queries.dosed_not_produced(self.engine, time_range.start, time_range.end, self.line)
        return build_report(groups, time_range, self.clock.zone_name, self.line, self.now(), outside, dosed)

    async def report(self, time_range: TimeRange) -> ProductionReport:
        return await self._call(self.report_blocking, time_range)

    def ticket_blocking(self, source: HistoryEntry | Batch) -> BatchTicket:
        span = report_queries.sample_span(self.engine, source.mo_id, source.batch_no)
        record = report_queries.tolerance_records(self.engine, [source.mo_id]).get(source.mo_id) \
            if isinstance(source, HistoryEntry) and source.status == "completed" else None
        return build_ticket(source, span, self.clock.zone_name, record)

    async def ticket(self, source: HistoryEntry | Batch) -> BatchTicket:
        return await self._call(self.ticket_blocking, source)

    def hourly_blocking(self, start: datetime, end: datetime) -> list[tuple[datetime, dict[str, float]]]:
        """Kg per silo per UTC hour of the batches archived in [start, end) (the Trends tab)."""
        return report_queries.hourly_consumption(self.engine, start, end, self.line)

    async def hourly(self, start: datetime, end: datetime) -> list[tuple[datetime, dict[str, float]]]:
        return await self._call(self.hourly_blocking, start, end)
