"""Alarms the ISA-18.2 way: states, transitions, priorities per kind, shelving.

States of one alarm (one row of the ``alarms`` table)::

    raise                      acknowledge
    ──────► UNACKNOWLEDGED ACTIVE ──────────► ACKNOWLEDGED ACTIVE
                 │      ▲                          │
     return to   │      │ raise again              │ return to normal
     normal      ▼      │ (count + 1)              ▼
          RETURNED UNACKNOWLEDGED ──────────────► NORMAL
                               acknowledge

- The same condition (kind + subject, on this line) raised again while its alarm is not
  NORMAL is the same alarm: its ``count`` goes up, no second alarm appears. A flapping link
  is one alarm with a count, not a flood.
- Shelving hides an alarm from the list (and the counts, and the banner) until the shelf
  time ends; then it is back, in whatever state it reached meanwhile.
- Every transition (raised, raised again, acknowledged, returned to normal, shelved, back
  from the shelf) is one system_log record, written in the alarm's own transaction.

The services that detect a condition raise it and return it to normal; the window and the
API only present alarms and acknowledge or shelve them. Detectors call ``raise_alarm`` and
``clear`` on every edge they see; both are cheap no-ops when nothing changes (an in-memory
view of the open alarms answers without the database).

When the database is unreachable a transition cannot be written; it is kept in order (with
its time) and written once the database answers again, so database.unreachable itself is
recorded with the time it began.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from hmi.operator_text import first_line, from_stored, stored_parts
from hmi.services.audit import current_os_user
from hmi.store import DbRunner
from hmi.store.alarms import AlarmStore, Change, Decide, Row
from hmi.records import AlarmQuery
from hmi.clock import utc_now

log = logging.getLogger("hmi.alarms")


class Priority(enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 = most urgent (sorting)."""
        return _PRIORITY_ORDER.index(self)

    @property
    def word(self) -> str:
        return self.value.upper()


_PRIORITY_ORDER = (Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW)


class AlarmState(enum.Enum):
    UNACK_ACTIVE = "unack_active"
    ACK_ACTIVE = "ack_active"
    RTN_UNACK = "rtn_unack"
    NORMAL = "normal"

    @property
    def word(self) -> str:
        return _STATE_WORDS[self]

    @property
    def active(self) -> bool:
        return self in (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE)

    @property
    def unacknowledged(self) -> bool:
        return self in (AlarmState.UNACK_ACTIVE, AlarmState.RTN_UNACK)


_STATE_WORDS = {
    AlarmState.UNACK_ACTIVE: "ACTIVE, UNACKNOWLEDGED",
    AlarmState.ACK_ACTIVE: "ACTIVE, ACKNOWLEDGED",
    AlarmState.RTN_UNACK: "RETURNED, UNACKNOWLEDGED",
    AlarmState.NORMAL: "NORMAL",
}


@dataclass(frozen=True)
class AlarmKind:
    kind: str
    source: str  # plc, odoo, database, batch, silo, equipment
    priority: Priority
    cause: str
    action: str


#: The one table of alarm kinds: priority fixed per kind (docs/operations.md repeats it).
ALARM_KINDS: dict[str, AlarmKind] = {k.kind: k for k in (
    AlarmKind("plc.offline", "plc", Priority.CRITICAL,
              "The PLC link is down: no connection to the PLC.",
              "Check the PLC's power and network cable; the link reconnects by itself. No batch progress is "
              "recorded meanwhile."),
    AlarmKind("database.unreachable", "database", Priority.CRITICAL,
              "The database does not answer: readings, completions and the log are not stored.",
              "Check the database server (or the disk of the plant PC); everything resumes when it answers."),
    AlarmKind("line.ownership_lost", "database", Priority.CRITICAL,
              "This instance lost its line (its database lock went away, or another instance took the line "
              "over): it stopped syncing, downloading, polling and completing.",
              "Check which instance serves the line (Settings, the overview); this one resumes by itself "
              "when it holds the line again and has asked the PLC what happened meanwhile."),
    AlarmKind("plc.stale", "plc", Priority.HIGH,
              "The PLC is connected but its readings fail (timeouts or refused reads): the table is not current.",
              "Check the PLC program and the register map; watch the PLC badge."),
    AlarmKind("odoo.sync_failing", "odoo", Priority.HIGH,
              "Three or more syncs in a row failed: no new MOs reach the line.",
              "Check Odoo (address, login, network); the alarm returns when a sync succeeds."),
    AlarmKind("odoo.push_failed", "odoo", Priority.HIGH,
              "A finished batch could not be reported to (or cancelled in) Odoo and is flagged ATTENTION.",
              "Open the batch (double-click), read the error, then Retry, Cancel in Odoo or Archive as failed."),
    AlarmKind("batch.failed", "batch", Priority.HIGH,
              "The PLC reported the batch failed (status_operation).",
              "Check the mixer; the batch is cancelled in Odoo and archived automatically."),
    AlarmKind("batch.held", "batch", Priority.HIGH,
              "The download of a batch could not be confirmed; it is HELD and never downloaded again blindly.",
              "Check the PLC's slots; if the PLC was reset, clear the table and release the MO."),
    AlarmKind("mo.held", "batch", Priority.MEDIUM,
              "MOs are on the Held list: they reached the PLC and left the table unfinished.",
              "Check on the PLC what happened to them, then Release (Held MOs) with a reason."),
    AlarmKind("batch.stuck", "batch", Priority.MEDIUM,
              "A batch has had no PLC reading for longer than STUCK_MINUTES.",
              "Check whether the PLC is dosing; a stuck batch blocks the next sync."),
    AlarmKind("batch.reading_refused", "batch", Priority.HIGH,
              "The PLC finished a batch but a value of its final reading was refused (outside 0..PLC_MAX_KG_PER_SILO): "
              "the batch is flagged ATTENTION and not reported to Odoo with the earlier figures.",
              "Open the batch (double-click): it names the refused and the last accepted figure. Check what was "
              "dosed, book it in Odoo, then Archive as failed (Retry is refused for it)."),
    AlarmKind("mo.left_out", "batch", Priority.MEDIUM,
              "The sync left an MO out: the line cannot dose it as it stands (a component in no silo, a unit the "
              "app cannot convert to kg, a quantity below the smallest batch, a silo target above "
              "PLC_MAX_KG_PER_SILO or above the MO's own quantity, or a target below what the PLC can carry).",
              "Read the message, correct the MO in Odoo (its bill of materials, units or quantity) or the silo "
              "assignment; the next sync takes it. The alarm returns to normal when a sync no longer leaves it out."),
    AlarmKind("batch.out_of_tolerance", "silo", Priority.LOW,
              "A completed batch dosed a silo outside its tolerance (DOSING_TOLERANCE_* or the silo's override).",
              "Check the silo's scale and feeder; the actuals went to Odoo as dosed."),
)}


@dataclass(frozen=True)
class Alarm:
    id: int
    line: str
    kind: str
    source: str
    subject: str
    mo_id: str | None
    batch_no: int | None
    silo: str | None
    priority: Priority
    message: str
    state: AlarmState
    count: int
    raised_at: datetime
    last_raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    returned_at: datetime | None
    normal_at: datetime | None
    shelved_until: datetime | None
    shelved_by: str | None
    shelf_reason: str | None
    #: The message's template and values (JSON) for the window's language; None on rows from before.
    message_template: str | None = None
    message_values: str | None = None

    @property
    def text(self) -> str:
        """The message as the window shows it: an OperatorText (hmi.ui.i18n.localized puts it in the
        window's language) when its template is stored, else the stored English."""
        return from_stored(self.message, self.message_template, self.message_values)

    @classmethod
    def from_row(cls, row: Row) -> "Alarm":
        return cls(**{**row, "priority": Priority(row["priority"]), "state": AlarmState(row["state"])})

    def shelved(self, now: datetime) -> bool:
        return self.shelved_until is not None and self.shelved_until > now

    @property
    def sort_key(self) -> tuple:
        """Priority first, then the newest first."""
        return (self.priority.rank, -self.last_raised_at.timestamp(), -self.id)


class AlarmRefused(Exception):
    """An acknowledge or shelve that does not apply; the message says why, for the operator."""


def alarm_actor(action: str, who: Callable[[], str] = current_os_user) -> str:
    """The name recorded when an alarm is acknowledged (``action="acknowledge"``) or shelved
    (``"shelve"``). Sign-in and roles plug in here — acknowledging for a signed-in Operator,
    shelving for a Supervisor — and may then refuse with AlarmRefused. Until they exist it is
    ``who()``: the OS user in the window, ``api`` (or ``api:<name>``) for the admin API."""
    if action not in ("acknowledge", "shelve"):
        raise ValueError(f"unknown alarm action {action!r}")
    return who()


#: Longest shelf: an alarm must not disappear for more than a shift.
MAX_SHELF_MINUTES = 12 * 60


# ---------------------------------------------------------------------- transitions (pure)


def _message_columns(message: str) -> Row:
    """The stored message: the English (at most 4000 characters) and, for an OperatorText, its
    template and values, so the window can show it in its language. A message cut short keeps no
    template (the window shows the stored English)."""
    template, values = stored_parts(message)
    english = str(message)
    if len(english) > 4000:
        return {"message": english[:4000], "message_template": None, "message_values": None}
    return {"message": english, "message_template": template, "message_values": values}


def _raise(line: str, spec: AlarmKind, subject: str, message: str, mo_id: str | None, batch_no: int | None,
           silo: str | None) -> Decide:
    columns = _message_columns(message)
    message = columns["message"]

    def decide(row: Row | None, now: datetime) -> Change | None:
        if row is None:
            return Change(
                {"line": line, "kind": spec.kind, "source": spec.source, "subject": subject, "mo_id": mo_id,
                 "batch_no": batch_no, "silo": silo, "priority": spec.priority.value, **columns,
                 "state": AlarmState.UNACK_ACTIVE.value, "count": 1, "raised_at": now, "last_raised_at": now},
                _level(spec), f"ALARM {spec.priority.word} {spec.kind} raised: {message}")
        state = AlarmState(row["state"])
        count = row["count"] + 1
        if state is AlarmState.RTN_UNACK:
            return Change({"state": AlarmState.UNACK_ACTIVE.value, "count": count, "last_raised_at": now,
                           "returned_at": None, **columns},
                          _level(spec), f"ALARM {spec.priority.word} {spec.kind} raised again ({count} times): "
                                        f"{message}")
        return None  # already active: the same alarm, nothing changes

    return decide


def _return_to_normal(spec: AlarmKind) -> Decide:
    def decide(row: Row | None, now: datetime) -> Change | None:
        if row is None:
            return None
        state = AlarmState(row["state"])
        if state is AlarmState.UNACK_ACTIVE:
            return Change({"state": AlarmState.RTN_UNACK.value, "returned_at": now}, "INFO",
                          f"ALARM {spec.kind} returned to normal, not yet acknowledged: {row['message']}")
        if state is AlarmState.ACK_ACTIVE:
            return Change({"state": AlarmState.NORMAL.value, "returned_at": now, "normal_at": now,
                           "shelved_until": None}, "INFO", f"ALARM {spec.kind} returned to normal: {row['message']}")
        return None

    return decide


def _acknowledge(actor: str) -> Decide:
    def decide(row: Row | None, now: datetime) -> Change | None:
        state = AlarmState(row["state"])
        if state is AlarmState.UNACK_ACTIVE:
            return Change({"state": AlarmState.ACK_ACTIVE.value, "acknowledged_at": now, "acknowledged_by": actor},
                          "INFO", f"ALARM {row['kind']} acknowledged by {actor} (still active): {row['message']}",
                          actor)
        if state is AlarmState.RTN_UNACK:
            return Change({"state": AlarmState.NORMAL.value, "acknowledged_at": now, "acknowledged_by": actor,
                           "normal_at": now, "shelved_until": None},
                          "INFO", f"ALARM {row['kind']} acknowledged by {actor}, back to normal: {row['message']}",
                          actor)
        raise AlarmRefused(f"Alarm {row['id']} ({row['kind']}) is {state.word}: nothing to acknowledge")

    return decide


def _shelve(until: datetime, reason: str, actor: str) -> Decide:
    def decide(row: Row | None, now: datetime) -> Change | None:
        if AlarmState(row["state"]) is AlarmState.NORMAL:
            raise AlarmRefused(f"Alarm {row['id']} ({row['kind']}) is back to normal: nothing to shelve")
        return Change({"shelved_until": until, "shelved_by": actor, "shelf_reason": reason}, "WARNING",
                      f"ALARM {row['kind']} shelved by {actor} until {until:%Y-%m-%d %H:%M} UTC ({reason}): "
                      f"{row['message']}", actor)

    return decide


def _unshelve(row: Row | None, now: datetime) -> Change | None:
    if row is None or row["shelved_until"] is None or row["shelved_until"] > now:
        return None
    return Change({"shelved_until": None}, "INFO",
                  f"ALARM {row['kind']} back from the shelf ({AlarmState(row['state']).word}): {row['message']}",
                  row["shelved_by"])


def _level(spec: AlarmKind) -> str:
    return {Priority.CRITICAL: "ERROR", Priority.HIGH: "ERROR", Priority.MEDIUM: "WARNING",
            Priority.LOW: "WARNING"}[spec.priority]


# ---------------------------------------------------------------------- service


class AlarmService:
    def __init__(self, store: AlarmStore, db: DbRunner, line: str | None = None,
                 clock: Callable[[], datetime] = utc_now, backlog_limit: int = 1000) -> None:
        self.store = store
        self.db = db
        self.line = line or ""
        self.clock = clock
        self._lock = asyncio.Lock()
        self._open: dict[tuple[str, str], AlarmState] | None = None  # what the table says is open
        self._partial = False  # _open was started while the table could not be read: do not trust misses
        self._backlog: deque[tuple[str, str, datetime, Decide]] = deque(maxlen=backlog_limit)
        self._listeners: list[Callable[[], None]] = []
        #: The earliest shelf end known (None: no shelved alarm); tick() is a no-op until then.
        self._next_shelf_end: datetime | None = None

    # ---- listeners (the window refreshes its dock; never called with the lock held)

    def add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # noqa: BLE001 - a listener must not stop a detector
                log.exception("Alarm listener %r failed", listener)

    # ---- detectors

    async def raise_alarm(self, kind: str, message: str, subject: str = "", *, mo_id: str | None = None,
                          batch_no: int | None = None, silo: str | None = None) -> None:
        """The condition ``kind``/``subject`` is present. Cheap when its alarm is already active."""
        spec = ALARM_KINDS[kind]
        key = (kind, subject)
        async with self._lock:
            await self._load()
            if self._open is not None and self._open.get(key) in (AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE):
                return  # already active: the same alarm
            changed = await self._transition(key, _raise(self.line, spec, subject, message, mo_id, batch_no, silo),
                                             AlarmState.UNACK_ACTIVE)
        if changed:
            self._changed()

    async def clear(self, kind: str, subject: str = "") -> None:
        """The condition is gone (returned to normal). Cheap when it has no active alarm."""
        spec = ALARM_KINDS[kind]
        key = (kind, subject)
        async with self._lock:
            await self._load()
            if self._open is not None and not self._partial and self._open.get(key) not in (
                    AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE):
                return  # nothing active to return
            guess = (AlarmState.RTN_UNACK if self._open is None or self._open.get(key) is AlarmState.UNACK_ACTIVE
                     else None)
            changed = await self._transition(key, _return_to_normal(spec), guess)
        if changed:
            self._changed()

    async def clear_all(self, kind: str, keep: set[str] = frozenset()) -> None:
        """Return every active alarm of ``kind`` to normal except those of the subjects in ``keep``."""
        async with self._lock:
            await self._load()
            subjects = [s for (k, s), state in (self._open or {}).items() if k == kind and state.active
                        and s not in keep]
        for subject in subjects:
            await self.clear(kind, subject)

    async def event(self, kind: str, message: str, subject: str = "", **where) -> None:
        """A momentary condition (a batch out of tolerance): raised and returned at once, so it
        waits in RETURNED, UNACKNOWLEDGED until an operator has seen it."""
        await self.raise_alarm(kind, message, subject, **where)
        await self.clear(kind, subject)

    async def _load(self) -> None:
        if self._open is not None:  # known (or partial: the next _flush writes what is kept and reads again)
            return
        try:
            rows = await self.db(self.store.open_alarms, self.line)
        except Exception:  # noqa: BLE001 - the database is away: decide without the cache
            return
        self._open = {(r["kind"], r["subject"]): AlarmState(r["state"]) for r in rows}
        self._note_shelves(rows)

    def _note_shelves(self, rows: list[Row]) -> None:
        ends = [r["shelved_until"] for r in rows if r["shelved_until"] is not None]
        self._next_shelf_end = min(ends) if ends else None

    async def tick(self) -> int:
        """Bring back alarms whose shelf time has ended; cheap until the earliest shelf end
        (the completion round calls it, so shelves end in headless mode too)."""
        if self._next_shelf_end is None or self.clock() < self._next_shelf_end:
            return 0
        return await self.expire_shelves()

    async def _transition(self, key: tuple[str, str], decide: Decide, expected: AlarmState | None) -> bool:
        """Write one transition; when the database is away keep it (in order) for later."""
        now = self.clock()
        if self._backlog and not await self._flush():
            self._keep(key, now, decide, expected)
            return True
        try:
            row = await self.db(self.store.change_condition, self.line, key[0], key[1], now, decide)
        except Exception as exc:  # noqa: BLE001 - the database is away: written when it answers again
            log.debug("Alarm transition of %s kept until the database answers: %s", key, exc)
            self._keep(key, now, decide, expected)
            return True
        return self._remember(key, row)

    def _keep(self, key: tuple[str, str], now: datetime, decide: Decide, expected: AlarmState | None) -> None:
        self._backlog.append((key[0], key[1], now, decide))
        if self._open is None:
            self._open = {}
            self._partial = True
        if expected is None:
            self._open.pop(key, None)
        else:
            self._open[key] = expected

    async def _flush(self) -> bool:
        """Write kept transitions; True when none is left."""
        while self._backlog:
            kind, subject, at, decide = self._backlog[0]
            try:
                await self.db(self.store.change_condition, self.line, kind, subject, at, decide)
            except Exception:  # noqa: BLE001 - still away
                return False
            self._backlog.popleft()
        self._open = None  # re-read what the table says now
        self._partial = False
        await self._load()
        return True

    def _remember(self, key: tuple[str, str], row: Row | None) -> bool:
        if self._open is None:
            return row is not None
        before = self._open.get(key)
        if row is None or row["state"] == AlarmState.NORMAL.value:
            self._open.pop(key, None)
            after = None
        else:
            after = AlarmState(row["state"])
            self._open[key] = after
        return before is not after

    # ---- operators (window, API)

    async def acknowledge(self, alarm_id: int, actor: str) -> Alarm:
        return (await self.acknowledge_many([alarm_id], actor))[0]

    async def acknowledge_many(self, alarm_ids: list[int], actor: str) -> list[Alarm]:
        """Acknowledge each alarm; one that cannot be acknowledged refuses (AlarmRefused) when it is the only one."""
        done: list[Alarm] = []
        refused: list[str] = []
        async with self._lock:
            for alarm_id in alarm_ids:
                try:
                    row = await self.db(self.store.change_alarm, alarm_id, self.clock(), _acknowledge(actor))
                except AlarmRefused as exc:
                    refused.append(str(exc))
                    continue
                if row is None:
                    refused.append(f"Alarm {alarm_id} does not exist")
                    continue
                self._remember((row["kind"], row["subject"]), row)
                done.append(Alarm.from_row(row))
        if done:
            self._changed()
        if refused and not done:
            raise AlarmRefused("; ".join(refused))
        return done

    async def shelve(self, alarm_id: int, minutes: float, reason: str, actor: str) -> Alarm:
        reason = reason.strip()
        if not reason:
            raise AlarmRefused("Shelving needs a reason")
        if not 0 < minutes <= MAX_SHELF_MINUTES:
            raise AlarmRefused(f"Shelve for 1 to {MAX_SHELF_MINUTES} minutes")
        async with self._lock:
            now = self.clock()
            row = await self.db(self.store.change_alarm, alarm_id, now,
                                _shelve(now + timedelta(minutes=minutes), reason[:500], actor))
        if row is None:
            raise AlarmRefused(f"Alarm {alarm_id} does not exist")
        if self._next_shelf_end is None or row["shelved_until"] < self._next_shelf_end:
            self._next_shelf_end = row["shelved_until"]
        self._changed()
        return Alarm.from_row(row)

    async def expire_shelves(self) -> int:
        """Bring back alarms whose shelf time has ended; returns how many."""
        now = self.clock()
        due = await self.db(self.store.due_shelves, self.line, now)
        for alarm_id in due:
            async with self._lock:
                await self.db(self.store.change_alarm, alarm_id, now, _unshelve)
        self._note_shelves(await self.db(self.store.open_alarms, self.line))
        if due:
            self._changed()
        return len(due)

    # ---- reading

    async def open_alarms(self) -> list[Alarm]:
        """Every alarm not back to normal, shelved ones too, most urgent first."""
        if self._backlog:
            async with self._lock:
                await self._flush()
        await self.expire_shelves()
        rows = await self.db(self.store.open_alarms, self.line)
        self._note_shelves(rows)
        return sorted((Alarm.from_row(r) for r in rows), key=lambda a: a.sort_key)

    async def visible(self) -> list[Alarm]:
        """The alarm list: active and returned-unacknowledged, not shelved, priority then newest first."""
        now = self.clock()
        return [a for a in await self.open_alarms() if not a.shelved(now)]

    async def get(self, alarm_id: int) -> Alarm | None:
        row = await self.db(self.store.get, alarm_id)
        return Alarm.from_row(row) if row else None

    async def journal(self, query: AlarmQuery | None = None, limit: int = 50,
                      offset: int = 0) -> tuple[int, list[Alarm]]:
        total, rows = await self.db(self.store.page, self.line, query or AlarmQuery(), limit, offset)
        return total, [Alarm.from_row(r) for r in rows]

    @property
    def kept(self) -> int:
        """Transitions waiting for the database."""
        return len(self._backlog)


def counts_by_priority(alarms: list[Alarm]) -> dict[Priority, int]:
    counts = {p: 0 for p in _PRIORITY_ORDER}
    for alarm in alarms:
        counts[alarm.priority] += 1
    return counts


def _short(message: str, width: int = 150) -> str:
    """One banner line: the first line of the message, cut at ``width`` characters."""
    text = first_line(message)
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def banner_lines(alarms: list[Alarm], limit: int = 3) -> list[str]:
    """The banner: unacknowledged alarms, highest priority first (then the newest)."""
    waiting = sorted((a for a in alarms if a.state.unacknowledged), key=lambda a: a.sort_key)
    lines = [f"{a.priority.word}: {_short(a.message)}" + (f" (×{a.count})" if a.count > 1 else "")
             for a in waiting[:limit]]
    if len(waiting) > limit:
        lines.append(f"… and {len(waiting) - limit} more unacknowledged alarm(s): see Alarms")
    return lines


__all__ = ["ALARM_KINDS", "Alarm", "AlarmKind", "AlarmQuery", "AlarmRefused", "AlarmService", "AlarmState",
           "MAX_SHELF_MINUTES", "Priority", "alarm_actor", "banner_lines", "counts_by_priority"]
