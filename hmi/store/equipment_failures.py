"""Store access for equipment-failure records (table ``equipment_failures``, revisions 0007 and 0014).

Blocking SQLAlchemy calls; services run them through the DbRunner.

One row per PLC record of a line: line, equipment code, the PLC's timestamp (as read, also when
invalid) and the info text identify it. ``record`` takes a record the PLC flags new (handshake 0):

- no row yet: stored, one occurrence (``FIRST``);
- a row whose latest occurrence is not acknowledged on the PLC yet (``plc_acknowledged_at`` NULL):
  the same occurrence read again — a restart or a failed write between storing and acknowledging —
  nothing is counted (``SAME``);
- a row whose latest occurrence was acknowledged: the PLC raised the record again, a new
  occurrence (``AGAIN``): ``occurrences`` + 1, ``last_occurred_at`` now, open until acknowledged,
  and unacknowledged for the operator again.

``reported_occurrences`` trails ``occurrences`` until Odoo has heard of every occurrence.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hmi.store.models import equipment_failures
from hmi.clock import utc_now
from hmi.records import StoredFailure

#: What ``record`` found: a record never seen, a new occurrence of a known one, the same occurrence again.
FIRST, AGAIN, SAME = "first", "again", "same"


def _row(mapping) -> StoredFailure:
    values = {name: mapping[name] for name in StoredFailure.__dataclass_fields__}
    values["line"] = values["line"] or None
    return StoredFailure(**values)


class EquipmentFailureStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _key(self, line: str | None, equipment_code: str, failure_time_text: str, info: str):
        t = equipment_failures.c
        return ((t.line == (line or "")) & (t.equipment_code == equipment_code)
                & (t.failure_time_text == failure_time_text) & (t.info == info))

    def record(
        self, *, equipment_code: str, info: str, failure_time: datetime | None, failure_time_text: str,
        notes: str | None, line: str | None = None,
    ) -> tuple[StoredFailure, str]:
        """Take a record the PLC flags new: (its row, FIRST / AGAIN / SAME), in one transaction.

        The PLC shows one record at a time, so an open occurrence of another record of this line
        was acknowledged or replaced meanwhile: it is closed (a later new flag on it counts).
        """
        values = dict(line=line or "", equipment_code=equipment_code, info=info, failure_time=failure_time,
                      failure_time_text=failure_time_text, notes=notes)
        try:
            return self._record(values)
        except IntegrityError:  # another instance stored it in between: its row is this occurrence
            return self._record(values)

    def _record(self, values: dict) -> tuple[StoredFailure, str]:
        t = equipment_failures.c
        line = values["line"]
        key = self._key(line, values["equipment_code"], values["failure_time_text"], values["info"])
        with self.engine.begin() as conn:
            now = utc_now()
            conn.execute(update(equipment_failures)
                         .where((t.line == line) & t.plc_acknowledged_at.is_(None) & ~key)
                         .values(plc_acknowledged_at=now))
            existing = conn.execute(select(equipment_failures).where(key).with_for_update()).mappings().first()
            if existing is None:
                conn.execute(insert(equipment_failures).values(**values, read_at=now, last_occurred_at=now,
                                                               occurrences=1))
                outcome = FIRST
            elif existing["plc_acknowledged_at"] is None:
                outcome = SAME
            else:
                conn.execute(update(equipment_failures).where(t.id == existing["id"]).values(
                    occurrences=t.occurrences + 1, last_occurred_at=now, plc_acknowledged_at=None,
                    notes=values["notes"], acknowledged_at=None, acknowledged_by=None))
                outcome = AGAIN
            return _row(conn.execute(select(equipment_failures).where(key)).mappings().one()), outcome

    def close_open_occurrences(self, line: str | None = None) -> int:
        """The PLC shows its record acknowledged: every open occurrence of the line is acknowledged
        (our write got through before a crash or a failed database update). Returns how many."""
        t = equipment_failures.c
        with self.engine.begin() as conn:
            result = conn.execute(update(equipment_failures)
                                  .where((t.line == (line or "")) & t.plc_acknowledged_at.is_(None))
                                  .values(plc_acknowledged_at=utc_now()))
        return result.rowcount

    def get(self, failure_id: int) -> StoredFailure | None:
        with self.engine.begin() as conn:
            row = conn.execute(select(equipment_failures).where(equipment_failures.c.id == failure_id)).mappings().first()
        return None if row is None else _row(row)

    def unreported(self, line: str | None = None) -> list[StoredFailure]:
        """Rows of the line with occurrences Odoo has not heard of, oldest first."""
        t = equipment_failures.c
        query = (select(equipment_failures)
                 .where((t.line == (line or "")) & (t.reported_occurrences < t.occurrences)).order_by(t.id))
        with self.engine.begin() as conn:
            return [_row(row) for row in conn.execute(query).mappings()]

    def mark_reported(self, failure_id: int, occurrences: int) -> None:
        """Odoo has heard of the record's occurrences up to ``occurrences`` (never lowered)."""
        t = equipment_failures.c
        with self.engine.begin() as conn:
            conn.execute(update(equipment_failures)
                         .where((t.id == failure_id) & (t.reported_occurrences < occurrences))
                         .values(reported_occurrences=occurrences, reported_at=utc_now(), last_report_error=None,
                                 report_attempts=t.report_attempts + 1))

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
        """Latest occurrence first; ``equipment_code`` exact, ``text`` a case-insensitive part of the info."""
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
        query = query.order_by(t.last_occurred_at.desc(), t.id.desc()).limit(limit).offset(offset)
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
