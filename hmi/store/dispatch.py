"""The dispatch ledger: one row per MO that was ever about to be written to a PLC.

This is where the rule "an MO whose recipe reached a PLC is never downloaded again unless an
operator releases it" is kept, in one place:

- the sync reserves an MO (:func:`reserve`) in the same transaction that stores its pending
  batch row, committed before the first PLC write; the MO's primary key makes the row unique
  across every line sharing the database;
- every later step moves the row (:func:`move`) in the same transaction as the change that
  causes it, and only along :data:`MOVES`; a move the table does not allow is refused;
- nothing deletes a row, and the only way back to "may be downloaded" is ``released``: an
  operator's release (recorded with who and why), or the PLC's own answer that it never took
  a download (recorded as ``system``);
- the sync asks :func:`blocked_ids` which MOs it must leave out: every MO with a row that is
  not ``released``. The Held list is the rows in state ``held``.

Every move appends a row to ``mo_dispatch_events`` (from, to, who, why, the writer's epoch).
The functions take an open connection; the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from hmi.domain import DispatchState as S
from hmi.clock import as_utc, utc_now
from hmi.records import HeldMo
from hmi.store.models import mo_dispatch, mo_dispatch_events

#: Which states each state may move to. A reading of the PLC may show a row the ledger holds
#: (a partial download's remainder), so ``held`` can still become on_plc, finished or failed.
MOVES: dict[S, frozenset[S]] = {
    S.RELEASED: frozenset({S.RESERVED}),
    S.RESERVED: frozenset({S.ON_PLC, S.FINISHED, S.FAILED, S.HELD, S.RELEASED, S.CLOSED}),
    S.ON_PLC: frozenset({S.FINISHED, S.FAILED, S.HELD, S.RELEASED, S.CLOSED}),
    S.FINISHED: frozenset({S.REPORTED, S.HELD, S.CLOSED}),
    S.REPORTED: frozenset({S.CLOSED}),
    S.FAILED: frozenset({S.HELD, S.CLOSED}),
    S.HELD: frozenset({S.RELEASED, S.ON_PLC, S.FINISHED, S.FAILED, S.CLOSED}),
    S.CLOSED: frozenset(),
}

#: The actor of moves the product makes by itself (the PLC's answer, a sync, a completion round).
SYSTEM = "system"


class AlreadyDispatched(Exception):
    """An MO to reserve has a ledger row that is not released: it must not be downloaded."""

    def __init__(self, states: dict[str, str]) -> None:
        super().__init__("already dispatched: " + ", ".join(f"{mo} ({state})" for mo, state in sorted(states.items())))
        self.states = states


@dataclass(frozen=True)
class DispatchRow:
    mo_id: str
    line: str
    plc_key: str
    state: S
    epoch: int
    dispatches: int
    reason: str | None
    actor: str | None
    updated_at: datetime


def _sources(state: S) -> list[str]:
    return [source.value for source, targets in MOVES.items() if state in targets]


def reserve(conn: Connection, rows: Iterable[tuple[str, str, str]], epoch: int, actor: str = SYSTEM) -> None:
    """Reserve each (mo_id, line, plc_key) for a PLC download, or raise :class:`AlreadyDispatched`.

    A new MO gets a row; a released one is reserved again (``dispatches`` counts it). The row is
    the MO's primary key, so two instances reserving one MO cannot both commit.
    """
    rows = list(rows)
    if not rows:
        return
    existing = {r.mo_id: r.state for r in conn.execute(
        select(mo_dispatch.c.mo_id, mo_dispatch.c.state).where(mo_dispatch.c.mo_id.in_([m for m, _, _ in rows]))
    )}
    blocked = {mo: state for mo, state in existing.items() if state != S.RELEASED.value}
    if blocked:
        raise AlreadyDispatched(blocked)
    now = utc_now()
    fresh = [{"mo_id": mo, "line": line, "plc_key": key, "state": S.RESERVED.value, "epoch": epoch,
              "dispatches": 1, "actor": actor, "reason": None, "created_at": now, "updated_at": now}
             for mo, line, key in rows if mo not in existing]
    if fresh:
        conn.execute(insert(mo_dispatch), fresh)
    for mo, line, key in rows:
        if mo not in existing:
            continue
        taken = conn.execute(
            update(mo_dispatch)
            .where(mo_dispatch.c.mo_id == mo, mo_dispatch.c.state == S.RELEASED.value)
            .values(state=S.RESERVED.value, line=line, plc_key=key, epoch=epoch, actor=actor, reason=None,
                    dispatches=mo_dispatch.c.dispatches + 1, updated_at=now)
        ).rowcount
        if taken != 1:
            raise AlreadyDispatched({mo: "reserved meanwhile"})
    conn.execute(insert(mo_dispatch_events), [
        {"mo_id": mo, "line": line, "epoch": epoch, "from_state": existing.get(mo), "to_state": S.RESERVED.value,
         "plc_key": key, "actor": actor, "reason": None, "at": now}
        for mo, line, key in rows
    ])


def move(conn: Connection, mo_ids: Sequence[str], to: S, *, epoch: int, actor: str = SYSTEM,
         reason: str | None = None, line: str | None = None) -> list[str]:
    """Move the rows of ``mo_ids`` that may move to ``to`` (see :data:`MOVES`); returns those moved.

    A row already in ``to`` is left as it is (not returned); a row that may not move there is
    left too. ``line`` limits the move to that line's rows.
    """
    if not mo_ids:
        return []
    where = [mo_dispatch.c.mo_id.in_(list(mo_ids)), mo_dispatch.c.state.in_(_sources(to))]
    if line:
        where.append(mo_dispatch.c.line == line)
    query = select(mo_dispatch.c.mo_id, mo_dispatch.c.line, mo_dispatch.c.state).where(*where)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    rows = conn.execute(query).all()
    if not rows:
        return []
    now = utc_now()
    moved = [r.mo_id for r in rows]
    conn.execute(update(mo_dispatch).where(mo_dispatch.c.mo_id.in_(moved))
                 .values(state=to.value, epoch=epoch, actor=actor, reason=reason[:2000] if reason else None,
                         updated_at=now))
    conn.execute(insert(mo_dispatch_events), [
        {"mo_id": r.mo_id, "line": r.line, "epoch": epoch, "from_state": r.state, "to_state": to.value,
         "actor": actor, "reason": reason[:2000] if reason else None, "at": now}
        for r in rows
    ])
    return moved


def blocked_ids(conn: Connection, mo_ids: Sequence[str]) -> dict[str, str]:
    """Which of these MOs the sync must leave out, with their ledger state (every row not released)."""
    if not mo_ids:
        return {}
    return {r.mo_id: r.state for r in conn.execute(
        select(mo_dispatch.c.mo_id, mo_dispatch.c.state)
        .where(mo_dispatch.c.mo_id.in_(list(mo_ids)), mo_dispatch.c.state != S.RELEASED.value))}


def states_of(conn: Connection, mo_ids: Sequence[str]) -> dict[str, S]:
    if not mo_ids:
        return {}
    return {r.mo_id: S(r.state) for r in conn.execute(
        select(mo_dispatch.c.mo_id, mo_dispatch.c.state).where(mo_dispatch.c.mo_id.in_(list(mo_ids))))}


def rows(conn: Connection, line: str | None = None, states: Sequence[S] | None = None) -> list[DispatchRow]:
    query = select(mo_dispatch).order_by(mo_dispatch.c.updated_at, mo_dispatch.c.mo_id)
    if line:
        query = query.where(mo_dispatch.c.line == line)
    if states:
        query = query.where(mo_dispatch.c.state.in_([s.value for s in states]))
    return [DispatchRow(r.mo_id, r.line, r.plc_key, S(r.state), r.epoch, r.dispatches, r.reason, r.actor,
                        as_utc(r.updated_at)) for r in conn.execute(query)]


def list_held(conn: Connection, line: str | None) -> list[HeldMo]:
    return [HeldMo(r.mo_id, r.line, r.reason or "", r.updated_at, r.actor) for r in rows(conn, line, [S.HELD])]


def keys_of_released(conn: Connection, mo_ids: Sequence[str]) -> set[str]:
    """Every PLC key these MOs ever had, for those an operator released (their earlier runs may
    still be on a PLC that was not reset after all); a download the system released never
    reached a PLC, so it needs no new key."""
    if not mo_ids:
        return set()
    released = select(mo_dispatch.c.mo_id).where(
        mo_dispatch.c.mo_id.in_(list(mo_ids)), mo_dispatch.c.state == S.RELEASED.value, mo_dispatch.c.actor != SYSTEM)
    return set(conn.execute(
        select(mo_dispatch_events.c.plc_key).distinct().where(
            mo_dispatch_events.c.mo_id.in_(released), mo_dispatch_events.c.plc_key.is_not(None))).scalars())


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(mo_dispatch)).scalar_one())
