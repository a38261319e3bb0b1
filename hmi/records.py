"""What the store hands back and the window and the admin API show: frozen records, no I/O.

The store fills these (hmi.store.*), the services pass them up, and hmi.ui / hmi.api read them
without importing the store (docs/architecture.md). History rows and pages, the audit log's
page, the Held list, equipment failures, the plant overview's line snapshots, dosing samples and
the alarm journal's filters. Imports nothing of hmi but hmi.domain.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hmi.domain import SiloLine

__all__ = ["FINISHED_WEIGHT", "HEARTBEAT_SECONDS", "OFFLINE_AFTER_HEARTBEATS", "AlarmQuery", "AuditPage",
           "AuditRecord", "DosedBooking", "HeldMo", "HistoryEntry", "HistoryPage", "LineSnapshot", "LineState", "Sample",
           "StoredFailure"]


# ---- alarm journal ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlarmQuery:
    """Journal filters; None = any."""

    priority: str | None = None
    kind: str | None = None
    state: str | None = None
    since: datetime | None = None
    until: datetime | None = None


# ---- audit log ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRecord:
    timestamp: datetime
    level: str
    actor: str | None
    message: str
    mo_id: str | None


@dataclass(frozen=True)
class AuditPage:
    records: list[AuditRecord]
    total: int
    limit: int
    offset: int


# ---- the Held list and equipment failures --------------------------------------------------------------------


@dataclass(frozen=True)
class DosedBooking:
    """One silo's dosed amount of a batch that produced nothing Odoo books (failed, cancelled, cleared):
    on the manual-booking list until a person books it in Odoo and marks it booked."""

    id: int
    mo_id: str
    line: str
    batch_no: int
    outcome: str  # the history status: cancelled, failed, cleared
    component: str  # the Odoo equipment code of the silo (silo101, lq114, ...)
    component_name: str | None
    kg: float
    note: str | None
    recorded_at: datetime
    booked_at: datetime | None
    booked_by: str | None

    @property
    def is_open(self) -> bool:
        return self.booked_at is None


@dataclass(frozen=True)
class HeldMo:
    """An MO on the Held list: it left the table without an end and waits for an operator."""

    mo_id: str
    equipment_code: str
    reason: str
    held_at: datetime
    held_by: str | None


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
    last_occurred_at: datetime
    occurrences: int
    plc_acknowledged_at: datetime | None
    reported_occurrences: int
    reported_at: datetime | None
    report_attempts: int
    last_report_error: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def fully_reported(self) -> bool:
        """Odoo has heard of every occurrence."""
        return self.reported_occurrences >= self.occurrences


# ---- history (archived batches) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    mo_id: str
    batch_no: int
    product_name: str | None
    quantity: float
    equipment_code: str
    status: str
    notes: str | None
    actor: str | None
    archived_at: datetime
    actual_weight: float | None
    silos: tuple[SiloLine, ...] = field(default=())


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    total: int
    limit: int
    offset: int
    #: Where the next page starts (None: this is the last page); see hmi.store.history.
    next_cursor: str | None = None
    #: ``total`` is an estimate (an MO search with more than COUNT_CAP matches).
    total_is_estimate: bool = False
    #: How the MO text is matched: "contains" or "starts with" (hmi.store.history.SearchMode).
    search_mode: str = "contains"


# ---- plant overview (hmi.store.plant) ---------------------------------------------------------------------------


#: How often each instance writes its heartbeat (hmi.app.scheduler.LINE_HEARTBEAT_MS).
HEARTBEAT_SECONDS = 30
#: A line whose heartbeat is older than this many intervals is OFFLINE.
OFFLINE_AFTER_HEARTBEATS = 3


class LineState(enum.Enum):
    """What a line is doing, as its tile says it (ISA-101: participles and plain words)."""

    OFFLINE = "OFFLINE"  # no instance alive for the line
    FAULT = "FAULT"  # a batch failed on the PLC, or a report to Odoo needs attention
    SYNCING = "SYNCING"  # rows stored, download to the PLC not settled yet
    DOSING = "DOSING"  # the PLC reports on a batch that is not done
    WAITING = "WAITING"  # batches on the PLC, none started yet (or all done, waiting to be archived)
    IDLE = "IDLE"  # no batches: the next sync fetches


@dataclass(frozen=True)
class LineSnapshot:
    line: str
    host: str | None
    pid: int | None
    heartbeat_at: datetime | None
    batches: int
    done: int
    failed: int
    attention: int
    held: int
    pending: int
    dosing: int
    filled_at: datetime | None
    last_read_at: datetime | None
    current_mo: str | None
    current_batch_no: int | None
    current_target_kg: float | None
    current_actual_kg: float | None
    #: The line's visible alarms (not NORMAL, not shelved; revision 0009) by priority.
    alarms_critical: int = 0
    alarms_high: int = 0
    alarms_medium: int = 0
    alarms_low: int = 0

    def heartbeat_age(self, now: datetime) -> timedelta | None:
        return now - self.heartbeat_at if self.heartbeat_at else None

    def offline(self, now: datetime) -> bool:
        age = self.heartbeat_age(now)
        return age is None or age > timedelta(seconds=HEARTBEAT_SECONDS * OFFLINE_AFTER_HEARTBEATS)

    def state(self, now: datetime) -> LineState:
        if self.offline(now):
            return LineState.OFFLINE
        if self.failed or self.attention:
            return LineState.FAULT
        if self.pending:
            return LineState.SYNCING
        if self.dosing:
            return LineState.DOSING
        if self.batches:
            return LineState.WAITING
        return LineState.IDLE

    @property
    def batches_left(self) -> int:
        return self.batches - self.done

    @property
    def progress(self) -> float | None:
        """Share of the batch on the PLC dosed so far (0..1), from its silo actuals and targets."""
        if not self.current_target_kg or self.current_actual_kg is None:
            return None
        return max(0.0, min(1.0, self.current_actual_kg / self.current_target_kg))

    @property
    def abnormal_batches(self) -> dict[str, int]:
        """ATTENTION / HELD / FAILED batch counts."""
        return {"ATTENTION": self.attention, "HELD": self.held, "FAILED": self.failed}

    @property
    def alarms_by_priority(self) -> dict[str, int]:
        """The line's visible alarms per priority, most urgent first (as the window's status bar counts)."""
        return {"CRITICAL": self.alarms_critical, "HIGH": self.alarms_high, "MEDIUM": self.alarms_medium,
                "LOW": self.alarms_low}


# ---- dosing samples (batch_readings) --------------------------------------------------------------------------


#: The silo name of the finished-goods weight samples.
FINISHED_WEIGHT = "FG"


@dataclass(frozen=True)
class Sample:
    """One change of one value of a batch on the PLC."""

    mo_id: str
    batch_no: int
    equipment_code: str
    silo: str  # 'A'..'M', 'LQ114', 'LQ115', or FINISHED_WEIGHT
    recorded_at: datetime
    kg: float
