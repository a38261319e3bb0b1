"""Archived batches with hand-picked numbers, written straight into mo_histories (report tests, the reports benchmark)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert

from hmi.domain import ALL_SILOS, Silo
from hmi.store.models import mo_histories


def history_row(mo_id: str, product: str, status: str, archived_at: datetime,
                dosing: dict[Silo, tuple[float, float]], finished: float | None = None,
                batch_no: int = 1, line: str = "PLC01", actor: str | None = None) -> dict:
    """dosing: silo -> (target kg, actual kg)."""
    row = {
        "id": uuid.uuid4(), "mo_id": mo_id, "batch_no": batch_no, "consumption": sum(t for t, _ in dosing.values()),
        "equipment_id_batch": line, "finished_goods": product, "status": status, "actor": actor,
        "archived_at": archived_at, "actual_weight_quantity_finished_goods": finished,
        "status_manufacturing": status == "completed", "status_operation": status == "failed",
    }
    for silo in ALL_SILOS:
        target, actual = dosing.get(silo, (None, None))
        row[silo.id_column] = silo.equipment_id
        row[silo.name_column] = f"Component {silo.label}" if silo in dosing else None
        row[silo.target_column] = target
        row[silo.actual_column] = actual
    return row


def write_history(engine, rows: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(mo_histories), rows)
