"""LogRecordStore: the system_log table's plain writes and newest-first reads.

The log handler (hmi.store.log_writer) writes through it off the caller's thread; the plant
overview (hmi.store.plant) and the tests read the newest records. The Audit tab's filtered pages
are hmi.store.audit_log.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Engine, insert, select

from hmi.store.models import system_log


class LogRecordStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write_log_records(self, records: Sequence[dict[str, Any]]) -> None:
        if records:
            with self.engine.begin() as conn:
                conn.execute(insert(system_log), list(records))

    def recent_log(self, limit: int = 200, line: str | None = None) -> list[dict[str, Any]]:
        """The newest records, of one line's instance when ``line`` is given."""
        query = select(system_log).order_by(system_log.c.id.desc()).limit(limit)
        if line is not None:
            query = query.where(system_log.c.line == line)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
