"""Bulk-load mo_histories with N archived batches, fast: raw executemany on SQLite, COPY on PostgreSQL."""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime, timedelta, timezone

from hmi.domain import ALL_SILOS

STATUSES = ("completed",) * 18 + ("cancelled", "cleared")
_SILOS = ALL_SILOS[:6]


def _columns() -> list[str]:
    columns = ["id", "mo_id", "batch_no", "consumption", "equipment_id_batch", "finished_goods",
               "status_manufacturing", "status_operation", "actual_weight_quantity_finished_goods",
               "status", "notes", "archived_at", "dosed_at"]
    for silo in _SILOS:
        columns += [silo.name_column, silo.target_column, silo.actual_column]
    return columns


def _rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for number in range(count):
        status = STATUSES[rng.randrange(len(STATUSES))]
        row = [uuid.uuid4(), f"WH/MO/{number:07d}", number % 10 + 1, 1000.0, "PLC01", "[10101] JF PEDAGING 511",
               status == "completed", status == "cancelled", 998.5 if status == "completed" else None,
               status, "Reported to Odoo", start + timedelta(minutes=3 * number)]
        row.append(row[11])  # dosed_at: archived as soon as dosed
        row += ["PKE PELLET", 166.0, 165.2] * len(_SILOS)
        yield row


def load_sqlite(path: str, count: int, chunk: int = 20_000) -> None:
    import sqlite3

    columns = _columns()
    sql = f"INSERT INTO mo_histories ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    batch = []
    for row in _rows(count):
        row[0] = row[0].hex  # SQLAlchemy's Uuid on SQLite: 32 hex digits
        row[11] = row[12] = row[11].strftime("%Y-%m-%d %H:%M:%S.%f")
        batch.append(row)
        if len(batch) == chunk:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def load_postgres(engine, count: int, chunk: int = 100_000) -> None:
    columns = _columns()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        buffer = io.StringIO()
        written = 0
        for row in _rows(count):
            buffer.write("\t".join(_pg_text(value) for value in row))
            buffer.write("\n")
            written += 1
            if written % chunk == 0:
                buffer.seek(0)
                cursor.copy_expert(f"COPY mo_histories ({', '.join(columns)}) FROM STDIN", buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.copy_expert(f"COPY mo_histories ({', '.join(columns)}) FROM STDIN", buffer)
        raw.commit()
        cursor.execute("ANALYZE mo_histories")
        raw.commit()
    finally:
        raw.close()


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
