"""The admin API's JSON: how every answer's data looks on the wire.

The services hand over typed values (domain types, the records of hmi.records, the services'
dataclasses: HealthReport, SchedulerStatus, SyncRecord, Alarm, ...); only here are they turned into
the dicts the API has always answered with (the seed's field names first, then the status fields).
The routers (one module per resource) wrap these in the ``{"status": "success", ...}`` envelope.
The production report's JSON is a file format shared with ``--report`` and the exports: it is
hmi.services.reports.report_as_dict, sent as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence

from hmi.domain import PERCENT_DECIMALS, Batch, BatchFigures, FigureLine, HandAddLine
from hmi.records import DosedBooking, HeldMo, HistoryEntry, HistoryPage
from hmi.services.admin import AlarmCounts, HealthReport, SchedulerStatus
from hmi.services.alarms import Alarm
from hmi.services.health import SyncRecord
from hmi.services.tolerance import BatchVerdict, SiloOverride, Tolerance
from hmi.silo_assignment import SiloAssignment


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, PERCENT_DECIMALS)


def _figure_line(line: FigureLine) -> dict[str, Any]:
    return {"target_kg": line.target_kg, "actual_kg": line.actual_kg,
            "deviation_kg": None if line.deviation_kg is None else round(line.deviation_kg, 3),
            "deviation_percent": _percent(line.deviation_percent)}


def figures(values: BatchFigures, verdict: BatchVerdict | None = None) -> dict[str, Any]:
    """A batch's figures (hmi.domain; docs/operations.md "Figures"): the batch total like for like (the silo
    lines and the confirmed hand-added components), the open hand-added lines beside it, the worst silo,
    each line's deviation and, for a batch the PLC finished, the verdict per silo and for the batch."""
    judged = {s.silo: s for s in verdict.silos} if verdict is not None else {}
    worst = values.worst_silo
    return {
        "target_kg": round(values.target_kg, 3),
        "actual_kg": round(values.actual_kg, 3),
        "deviation_kg": round(values.deviation_kg, 3),
        "deviation_percent": _percent(values.deviation_percent),
        "by_hand_kg": round(values.by_hand_kg, 3),
        "open_hand_added": {"count": len(values.open_lines), "target_kg": round(values.open_target_kg, 3),
                            "products": [line.component for line in values.open_lines]},
        "worst_silo": None if worst is None else {"silo": worst.label, **_figure_line(worst)},
        "verdict": None if verdict is None else verdict.word,
        "silos": [{"silo": line.label, "component": line.component, **_figure_line(line),
                   "verdict": judged[line.label].verdict.value if line.label in judged else None}
                  for line in values.silos],
        "hand_added": [{"product_name": line.component, **_figure_line(line), "open": line.is_open,
                        "confirmed_by": line.confirmed_by} for line in values.hand_added],
    }


def batch_summary(batch: Batch, verdict: BatchVerdict | None = None) -> dict[str, Any]:
    """One entry of ``batch-status.batches`` (seed fields first, then status fields)."""
    return {
        "batch_no": batch.batch_no,
        "mo_id": batch.mo_id,
        "equipment": batch.equipment_code,
        "consumption": batch.quantity,
        "finished_goods": batch.product_name,
        "state": batch.state.value,
        "status_manufacturing": batch.status_manufacturing,
        "status_operation": batch.status_operation,
        "actual_finished_goods": batch.actual_weight,
        "last_read_from_plc": _iso(batch.last_read_from_plc),
        "push_attempts": batch.push_attempts,
        "needs_attention": batch.needs_attention,
        "last_push_error": batch.last_push_error,
        "plc_key": batch.plc_key,
        "hold_reason": batch.hold_reason,
        "hand_added_open": len(batch.hand_added_open),
        "hand_added_total": len(batch.hand_added),
        "figures": figures(batch.figures, verdict),
    }


def batch_status(batches: Sequence[Batch], verdicts: dict[str, BatchVerdict] | None = None) -> dict[str, Any]:
    """The seed's ``batch-status`` data, plus the status fields added later; ``verdicts`` by MO of the batches
    the PLC finished (the others are not judged)."""
    verdicts = verdicts or {}
    done = sum(1 for b in batches if b.status_manufacturing)
    return {
        "total_batches": len(batches),
        "active_batches": len(batches) - done,
        "completed_batches": done,
        "is_empty": not batches,
        # Finished by the PLC, consumption not yet in Odoo: Clear leaves these, they wait to report.
        "waiting_to_report": [b.mo_id for b in batches
                              if (b.status_manufacturing or b.status_operation) and not b.update_odoo
                              and not b.odoo_cancelled],
        "batches": [batch_summary(b, verdicts.get(b.mo_id)) for b in batches],
    }


def sync_record(record: SyncRecord) -> dict[str, Any]:
    """The last sync, as ``health.last_sync`` shows it."""
    return {"at": record.at.isoformat(), "trigger": record.trigger, "outcome": record.outcome,
            "message": record.message, "count": record.count}


def scheduler_status(status: SchedulerStatus) -> dict[str, Any]:
    """``GET /api/admin/scheduler``'s data (and ``health.scheduler``)."""
    return {
        "auto_sync_enabled": status.auto_sync_enabled,
        "interval_minutes": status.interval_minutes,
        "batch_limit": status.batch_limit,
        "poll_interval_seconds": status.poll_interval_seconds,
        "next_sync_at": _iso(status.next_sync_at),
        "sync_running": status.sync_running,
    }


def alarm_counts(counts: AlarmCounts) -> dict[str, int]:
    """``health.alarms``: visible alarms per priority, and how many are unacknowledged."""
    return {"critical": counts.critical, "high": counts.high, "medium": counts.medium, "low": counts.low,
            "unacknowledged": counts.unacknowledged}


def health(report: HealthReport) -> dict[str, Any]:
    """``GET /api/health``."""
    plc: dict[str, Any] = {"enabled": report.plc is not None}
    if report.plc is not None:
        plc.update(state=report.plc.state, endpoint=report.plc.endpoint,
                   last_good_read=_iso(report.plc.last_good_read), last_error=report.plc.last_error)
    plc["quality"] = report.plc_quality
    return {
        "status": "ok" if report.healthy else "degraded",
        "time": report.time.isoformat(),
        "plc": plc,
        "odoo": {"state": report.odoo_state, "last_contact": _iso(report.odoo_last_contact),
                 "last_error": report.odoo_last_error},
        "database": {"state": "OK" if report.database_error is None else "FAULT", "error": report.database_error},
        "last_sync": sync_record(report.last_sync) if report.last_sync else None,
        "consecutive_sync_failures": report.consecutive_sync_failures,
        "alert": report.alert,
        "stuck_batches": [batch_summary(b) for b in report.stuck_batches],
        "attention_batches": [batch_summary(b) for b in report.attention_batches],
        "held_batches": [batch_summary(b) for b in report.held_batches],
        "held_mos": report.held_mos,
        "system_log": dict(report.system_log) if report.system_log is not None else None,
        "scheduler": scheduler_status(report.scheduler) if report.scheduler is not None else None,
        "alarms": alarm_counts(report.alarms) if report.alarms is not None else None,
    }


def held_mo(held: HeldMo) -> dict[str, Any]:
    """One MO of ``GET /api/admin/held``."""
    return {"mo_id": held.mo_id, "equipment": held.equipment_code, "reason": held.reason,
            "held_at": held.held_at.isoformat(), "held_by": held.held_by}


def dosed_booking(booking: DosedBooking) -> dict[str, Any]:
    """One row of ``GET /api/admin/dosed-bookings`` (what to book in Odoo by hand)."""
    return {"id": booking.id, "mo_id": booking.mo_id, "equipment": booking.line, "batch_no": booking.batch_no,
            "outcome": booking.outcome, "component": booking.component, "component_name": booking.component_name,
            "kg": booking.kg, "note": booking.note, "recorded_at": booking.recorded_at.isoformat(),
            "booked_at": booking.booked_at.isoformat() if booking.booked_at else None,
            "booked_by": booking.booked_by}


def history_entry(entry: HistoryEntry) -> dict[str, Any]:
    """One archived batch of ``GET /api/admin/history`` (silos with neither target nor actual left out)."""
    return {
        "mo_id": entry.mo_id, "batch_no": entry.batch_no, "finished_goods": entry.product_name,
        "consumption": entry.quantity, "equipment": entry.equipment_code, "status": entry.status,
        "notes": entry.notes, "actor": entry.actor, "archived_at": entry.archived_at.isoformat(),
        "actual_finished_goods": entry.actual_weight,
        "silos": {line.silo.label: {"component": line.component_name, "target": line.target_kg,
                                    "actual": line.actual_kg}
                  for line in entry.silos if line.target_kg or line.actual_kg},
    }


def history_page(page: HistoryPage) -> dict[str, Any]:
    """``GET /api/admin/history``'s data."""
    return {
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "total_is_estimate": page.total_is_estimate,
        "next_cursor": page.next_cursor,
        "search_mode": page.search_mode,
        "items": [history_entry(e) for e in page.entries],
    }


def hand_add_line(line: HandAddLine) -> dict[str, Any]:
    """One hand-added component of a batch (premix, medicines)."""
    return {
        "mo_id": line.mo_id,
        "product_id": line.product_id,
        "product_name": line.product_name,
        "target_kg": line.target_kg,
        "uom": line.uom,
        "actual_kg": line.actual_kg,
        "confirmed": line.is_confirmed,
        "confirmed_at": _iso(line.confirmed_at),
        "confirmed_by": line.confirmed_by,
        "source": line.source.value if line.source else None,
    }


def alarm(alarm: Alarm) -> dict[str, Any]:
    """One alarm (the list, the journal, and the answer of ack and shelve)."""
    return {
        "id": alarm.id, "kind": alarm.kind, "source": alarm.source, "priority": alarm.priority.value,
        "state": alarm.state.value, "message": alarm.message, "count": alarm.count,
        "mo_id": alarm.mo_id, "batch_no": alarm.batch_no, "silo": alarm.silo, "line": alarm.line,
        "raised_at": _iso(alarm.raised_at), "last_raised_at": _iso(alarm.last_raised_at),
        "acknowledged_at": _iso(alarm.acknowledged_at), "acknowledged_by": alarm.acknowledged_by,
        "returned_at": _iso(alarm.returned_at), "normal_at": _iso(alarm.normal_at),
        "shelved_until": _iso(alarm.shelved_until), "shelved_by": alarm.shelved_by,
        "shelf_reason": alarm.shelf_reason,
    }


def silo_assignment(assignment: SiloAssignment) -> list[dict[str, str]]:
    """The silo assignment, in silo order (A..M, LQ114, LQ115)."""
    return [{"silo": e.silo.label, "product_code": e.product_code, "product_name": e.product_name}
            for e in assignment.entries]


def tolerances(default: Tolerance, overrides: Iterable[SiloOverride]) -> dict[str, Any]:
    """The dosing tolerances: the defaults and every per-silo override."""
    return {"defaults": {"kg": default.kg, "percent": default.percent},
            "silos": [{"silo": o.silo, "kg": o.kg, "percent": o.percent} for o in overrides]}
