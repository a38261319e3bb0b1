"""The alarms table: one transaction per alarm transition, with its system_log record.

The store knows rows, not rules: the ISA-18.2 state machine lives in hmi.services.alarms
and is handed in as a ``decide`` function, which the store runs on the current row inside
the transaction (the row locked on PostgreSQL). So a transition and its audit record are
written together or not at all, and two callers cannot both act on one stale row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import Engine, and_, func, insert, literal, select, update
from sqlalchemy.engine import Connection

from hmi.clock import as_utc
from hmi.records import AlarmQuery
from hmi.store.models import alarms, system_log

Row = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """What ``decide`` wants: new values (an insert when there was no row) and the log record."""

    values: Row
    log_level: str
    log_message: str
    actor: str | None = None


#: decide(current row or None, now) -> Change or None (nothing to do)
Decide = Callable[[Row | None, datetime], Change | None]

_TIME_COLUMNS = ("raised_at", "last_raised_at", "acknowledged_at", "returned_at", "normal_at", "shelved_until")


def _row(mapping) -> Row:
    row = dict(mapping)
    for name in _TIME_COLUMNS:
        row[name] = as_utc(row[name])
    return row


class AlarmStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open_alarms(self, line: str) -> list[Row]:
        """Every alarm of the line that is not back to normal (shelved ones too)."""
        query = select(alarms).where(alarms.c.line == line, alarms.c.state != "normal").order_by(alarms.c.id)
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query).mappings()]

    def get(self, alarm_id: int) -> Row | None:
        with self.engine.connect() as conn:
            found = conn.execute(select(alarms).where(alarms.c.id == alarm_id)).mappings().first()
        return _row(found) if found else None

    def change_condition(self, line: str, kind: str, subject: str, now: datetime, decide: Decide) -> Row | None:
        """Run ``decide`` on the open alarm of this condition (None if there is none); returns the row after."""
        with self.engine.begin() as conn:
            current = conn.execute(
                select(alarms).where(alarms.c.line == line, alarms.c.kind == kind, alarms.c.subject == subject,
                                     alarms.c.state != "normal").with_for_update()
            ).mappings().first()
            return self._apply(conn, _row(current) if current else None, now, decide)

    def change_alarm(self, alarm_id: int, now: datetime, decide: Decide) -> Row | None:
        """Run ``decide`` on one alarm by id; None if it does not exist."""
        with self.engine.begin() as conn:
            current = conn.execute(select(alarms).where(alarms.c.id == alarm_id).with_for_update()).mappings().first()
            if current is None:
                return None
            return self._apply(conn, _row(current), now, decide)

    def _apply(self, conn: Connection, current: Row | None, now: datetime, decide: Decide) -> Row | None:
        change = decide(current, now)
        if change is None:
            return current
        if current is None:
            alarm_id = conn.execute(insert(alarms).values(**change.values).returning(alarms.c.id)).scalar_one()
        else:
            alarm_id = current["id"]
            conn.execute(update(alarms).where(alarms.c.id == alarm_id).values(**change.values))
        after = _row(conn.execute(select(alarms).where(alarms.c.id == alarm_id)).mappings().one())
        conn.execute(insert(system_log).values(
            timestamp=now, level=change.log_level, module="hmi.alarms", message=change.log_message[:4000],
            batch_no=str(after["batch_no"]) if after["batch_no"] is not None else None, mo_id=after["mo_id"],
            actor=change.actor, line=after["line"]))
        return after

    def due_shelves(self, line: str, now: datetime) -> list[int]:
        """Open alarms whose shelf time has ended."""
        query = select(alarms.c.id).where(alarms.c.line == line, alarms.c.state != "normal",
                                          alarms.c.shelved_until.is_not(None), alarms.c.shelved_until <= now)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def page(self, line: str, query: AlarmQuery, limit: int = 50, offset: int = 0) -> tuple[int, list[Row]]:
        """The journal: every alarm of the line, newest first, filtered."""
        conditions = [alarms.c.line == line]
        if query.priority:
            conditions.append(alarms.c.priority == query.priority)
        if query.kind:
            conditions.append(alarms.c.kind == query.kind)
        if query.state == "shelved":
            conditions.append(alarms.c.shelved_until.is_not(None))
        elif query.state == "active":
            conditions.append(alarms.c.state.in_(("unack_active", "ack_active")))
        elif query.state:
            conditions.append(alarms.c.state == query.state)
        if query.since:
            conditions.append(alarms.c.raised_at >= query.since)
        if query.until:
            conditions.append(alarms.c.raised_at < query.until)
        where = and_(*conditions) if conditions else literal(True)
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(alarms).where(where)).scalar_one())
            rows = conn.execute(select(alarms).where(where).order_by(alarms.c.raised_at.desc(), alarms.c.id.desc())
                                .limit(limit).offset(offset)).mappings()
            return total, [_row(r) for r in rows]

    def transitions_logged(self) -> list[Row]:
        """The system_log records of alarm transitions (oldest first), for the journal and tests."""
        query = select(system_log).where(system_log.c.module == "hmi.alarms").order_by(system_log.c.id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]


__all__ = ["AlarmStore", "Change", "Decide", "Row"]
