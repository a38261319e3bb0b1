"""The admin API's JSON: how a batch, the batch table and the health report look on the wire.

The services hand over domain objects (Batch, HealthReport); only here are they turned into the
dicts the API has always answered with (the seed's field names first, then the status fields).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from hmi.domain import Batch
from hmi.services.admin import HealthReport


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def batch_summary(batch: Batch) -> dict[str, Any]:
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
    }


def batch_status(batches: Sequence[Batch]) -> dict[str, Any]:
    """The seed's ``batch-status`` data, plus the status fields added later."""
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
        "batches": [batch_summary(b) for b in batches],
    }


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
        "last_sync": report.last_sync.as_dict() if report.last_sync else None,
        "consecutive_sync_failures": report.consecutive_sync_failures,
        "alert": report.alert,
        "stuck_batches": [batch_summary(b) for b in report.stuck_batches],
        "attention_batches": [batch_summary(b) for b in report.attention_batches],
        "held_batches": [batch_summary(b) for b in report.held_batches],
        "held_mos": report.held_mos,
        "system_log": report.system_log,
        "scheduler": report.scheduler,
        "alarms": report.alarms,
    }
