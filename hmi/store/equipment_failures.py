"""Store access for equipment-failure records (table ``equipment_failures``, revision 0007).

Blocking SQLAlchemy calls; services run them through the DbRunner. A record is identified by
equipment code, the PLC's timestamp (as read) and the info text: storing it again (a re-read, a
restart between reading and acknowledging) returns the existing row instead of a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hmi.store.models import equipment_failures
from hmi.store.repository import utc_now


@dataclass(frozen=True)
class StoredFailure:
    id: int
    line: str | None
    equipment_code: str
    info: str
    failure_time: datetime | None
    failure_time_text: str
    notes: str | None
    read_at: datetime
    plc_acknowledged_at: datetime | None
    reported_at: datetime | None
    report_attempts: int
    last_report_error: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


def _row(mapping) -> StoredFailure:
    return StoredFailure(**{name: mapping[name] for name in StoredFailure.__dataclass_fields__})


class EquipmentFailureStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _key(self, equipment_code: str, failure_time_text: str, info: str):
        t = equipment_failures.c
        return (t.equipment_code == equipment_code) & (t.failure_time_text == failure_time_text) & (t.info == info)

    def store(
        self, *, equipment_code: str, info: str, failure_time: datetime | None, failure_time_text: str,
        notes: str | None, line: str | None = None,
    ) -> tuple[StoredFailure, bool]:
        """(the row, True if it was new). Never a second row for the same record."""
        key = self._key(equipment_code, failure_time_text, info)
        with self.engine.begin() as conn:
            existing = conn.execute(select(equipment_failures).where(key)).mappings().first()
            if existing is not None:
                return _row(existing), False
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(equipment_failures).values(
                    line=line, equipment_code=equipment_code, info=info, failure_time=failure_time,
                    failure_time_text=failure_time_text, notes=notes, read_at=utc_now()))
                created = True
        except IntegrityError:  # another instance stored it in between
            created = False
        with self.engine.begin() as conn:
            return _row(conn.execute(select(equipment_failures).where(key)).mappings().one()), created

    def get(self, failure_id: int) -> StoredFailure | None:
        with self.engine.begin() as conn:
            row = conn.execute(select(equipment_failures).where(equipment_failures.c.id == failure_id)).mappings().first()
        return None if row is None else _row(row)

    def unreported(self, line: str | None = None) -> list[StoredFailure]:
        t = equipment_failures.c
        query = select(equipment_failures).where(t.reported_at.is_(None)).order_by(t.id)
        if line is not None:
            query = query.where(t.line == line)
        with self.engine.begin() as conn:
            return [_row(row) for row in conn.execute(query).mappings()]

    def mark_reported(self, failure_id: int) -> None:
        self._update(failure_id, reported_at=utc_now(), last_report_error=None,
                     report_attempts=equipment_failures.c.report_attempts + 1)

    def mark_report_failed(self, failure_id: int, error: str) -> None:
        self._update(failure_id, last_report_error=error, report_attempts=equipment_failures.c.report_attempts + 1)

    def mark_plc_acknowledged(self, failure_id: int) -> None:
        self._update(failure_id, plc_acknowledged_at=utc_now())

    def acknowledge(self, failure_id: int, actor: str) -> bool:
        """An operator acknowledged it (the banner goes); False if unknown or acknowledged already."""
        t = equipment_failures.c
        with self.engine.begin() as conn:
            result = conn.execute(update(equipment_failures)
                                  .where((t.id == failure_id) & t.acknowledged_at.is_(None))
                                  .values(acknowledged_at=utc_now(), acknowledged_by=actor))
        return result.rowcount == 1

    def list(
        self, *, line: str | None = None, equipment_code: str | None = None, text: str | None = None,
        unacknowledged_only: bool = False, limit: int = 200, offset: int = 0,
    ) -> list[StoredFailure]:
        """Newest first; ``equipment_code`` exact, ``text`` a case-insensitive part of the info."""
        t = equipment_failures.c
        query = select(equipment_failures)
        if line is not None:
            query = query.where(t.line == line)
        if equipment_code:
            query = query.where(t.equipment_code == equipment_code)
        if text:
            query = query.where(func.lower(t.info).contains(text.lower()))
        if unacknowledged_only:
            query = query.where(t.acknowledged_at.is_(None))
        query = query.order_by(t.read_at.desc(), t.id.desc()).limit(limit).offset(offset)
        with self.engine.begin() as conn:
            return [_row(row) for row in conn.execute(query).mappings()]

    def unacknowledged_count(self, line: str | None = None) -> int:
        t = equipment_failures.c
        query = select(func.count()).select_from(equipment_failures).where(t.acknowledged_at.is_(None))
        if line is not None:
            query = query.where(t.line == line)
        with self.engine.begin() as conn:
            return int(conn.execute(query).scalar_one())

    def _update(self, failure_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(equipment_failures).where(equipment_failures.c.id == failure_id).values(**values))
