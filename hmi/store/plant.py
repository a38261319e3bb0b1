"""The plant overview's read of the shared database: every line's state in one query.

One SELECT per refresh, however many lines: line_instances (who serves each line, its
heartbeat) joined with per-line aggregates of mo_batch and each line's batch on the PLC.
Read only; it never takes a line lock, so the overview runs beside the lines' instances.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from hmi.domain import ALL_SILOS, Batch
from hmi.clock import as_utc
from hmi.records import LineSnapshot
from hmi.store.log_records import LogRecordStore
from hmi.store.repository import BatchStore


def _sum_of(columns: list[str]) -> str:
    return " + ".join(f"COALESCE({column}, 0)" for column in columns)


_TARGET = _sum_of([silo.target_column for silo in ALL_SILOS])
_ACTUAL = _sum_of([silo.actual_column for silo in ALL_SILOS])

OVERVIEW_SQL = f"""
WITH per_line AS (
    SELECT equipment_id_batch AS line,
           count(*) AS batches,
           sum(CASE WHEN status_manufacturing THEN 1 ELSE 0 END) AS done,
           sum(CASE WHEN status_operation THEN 1 ELSE 0 END) AS failed,
           sum(CASE WHEN needs_attention THEN 1 ELSE 0 END) AS attention,
           sum(CASE WHEN download_state = 'held' THEN 1 ELSE 0 END) AS held,
           sum(CASE WHEN download_state = 'pending' THEN 1 ELSE 0 END) AS pending,
           sum(CASE WHEN last_read_from_plc IS NOT NULL AND NOT status_manufacturing
                    AND NOT status_operation THEN 1 ELSE 0 END) AS dosing,
           max(created_at) AS filled_at,
           max(last_read_from_plc) AS last_read_at
    FROM mo_batch GROUP BY equipment_id_batch
),
on_plc AS (
    SELECT equipment_id_batch AS line, mo_id, batch_no, {_TARGET} AS target_kg, {_ACTUAL} AS actual_kg,
           row_number() OVER (PARTITION BY equipment_id_batch ORDER BY batch_no) AS position
    FROM mo_batch
    WHERE NOT status_manufacturing AND NOT status_operation AND last_read_from_plc IS NOT NULL
),
line_alarms AS (
    SELECT line,
           sum(CASE WHEN priority = 'critical' THEN 1 ELSE 0 END) AS critical,
           sum(CASE WHEN priority = 'high' THEN 1 ELSE 0 END) AS high,
           sum(CASE WHEN priority = 'medium' THEN 1 ELSE 0 END) AS medium,
           sum(CASE WHEN priority = 'low' THEN 1 ELSE 0 END) AS low
    FROM alarms WHERE state <> 'normal' AND shelved_until IS NULL GROUP BY line
),
lines AS (
    SELECT line FROM line_instances WHERE line <> ''
    UNION
    SELECT line FROM per_line
)
SELECT lines.line, li.host, li.pid, li.heartbeat_at,
       COALESCE(p.batches, 0) AS batches, COALESCE(p.done, 0) AS done, COALESCE(p.failed, 0) AS failed,
       COALESCE(p.attention, 0) AS attention, COALESCE(p.held, 0) AS held, COALESCE(p.pending, 0) AS pending,
       COALESCE(p.dosing, 0) AS dosing, p.filled_at, p.last_read_at,
       c.mo_id AS current_mo, c.batch_no AS current_batch_no, c.target_kg AS current_target_kg,
       c.actual_kg AS current_actual_kg,
       COALESCE(a.critical, 0) AS alarms_critical, COALESCE(a.high, 0) AS alarms_high,
       COALESCE(a.medium, 0) AS alarms_medium, COALESCE(a.low, 0) AS alarms_low
FROM lines
LEFT JOIN line_instances AS li ON li.line = lines.line
LEFT JOIN per_line AS p ON p.line = lines.line
LEFT JOIN on_plc AS c ON c.line = lines.line AND c.position = 1
LEFT JOIN line_alarms AS a ON a.line = lines.line
ORDER BY lines.line
"""


def _stamp(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands aggregates (max) back as text
        value = datetime.fromisoformat(value)
    return as_utc(value)


class PlantReader:
    """Read-only queries of the plant overview over the shared database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = BatchStore(engine)
        self.log_records = LogRecordStore(engine)

    def lines(self) -> list[LineSnapshot]:
        """Every line (with an instance row or batches), in one query."""
        with self.engine.connect() as conn:
            rows = conn.execute(text(OVERVIEW_SQL)).mappings().all()
        return [
            LineSnapshot(
                line=row["line"], host=row["host"], pid=row["pid"], heartbeat_at=_stamp(row["heartbeat_at"]),
                batches=int(row["batches"]), done=int(row["done"]), failed=int(row["failed"]),
                attention=int(row["attention"]), held=int(row["held"]), pending=int(row["pending"]),
                dosing=int(row["dosing"]), filled_at=_stamp(row["filled_at"]),
                last_read_at=_stamp(row["last_read_at"]), current_mo=row["current_mo"],
                current_batch_no=row["current_batch_no"],
                current_target_kg=float(row["current_target_kg"]) if row["current_target_kg"] is not None else None,
                current_actual_kg=float(row["current_actual_kg"]) if row["current_actual_kg"] is not None else None,
                alarms_critical=int(row["alarms_critical"]), alarms_high=int(row["alarms_high"]),
                alarms_medium=int(row["alarms_medium"]), alarms_low=int(row["alarms_low"]),
            )
            for row in rows
        ]

    def line_batches(self, line: str) -> list[Batch]:
        return self.store.list_batches(line)

    def line_log(self, line: str, limit: int = 200) -> list[dict[str, Any]]:
        return self.log_records.recent_log(limit, line=line)


__all__ = ["PlantReader"]
