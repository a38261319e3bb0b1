"""Health: the last sync result, the consecutive-failure alert and stuck batches.

The seed asks for an alert when sync fails more than 3 times running; the alert is raised
at the third consecutive failure, logged once at ERROR, and stays up (API, window) until
the next successful sync, which logs the recovery.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hmi.domain import Batch
from hmi.store.repository import utc_now

log = logging.getLogger("hmi.health")

ALERT_AFTER_FAILURES = 3


@dataclass(frozen=True)
class SyncRecord:
    at: datetime
    trigger: str
    outcome: str  # "synced", "skipped", "failed", "busy"
    message: str
    count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "trigger": self.trigger, "outcome": self.outcome,
                "message": self.message, "count": self.count}


class HealthMonitor:
    def __init__(self, stuck_minutes: float = 15.0, alert_after: int = ALERT_AFTER_FAILURES) -> None:
        self.stuck_after = timedelta(minutes=stuck_minutes)
        self.alert_after = alert_after
        self.consecutive_failures = 0
        self.alert: str | None = None
        self.last_sync: SyncRecord | None = None
        self.last_success: datetime | None = None

    def record_sync(self, record: SyncRecord) -> None:
        self.last_sync = record
        if record.outcome == "failed":
            self.consecutive_failures += 1
            if self.consecutive_failures >= self.alert_after and self.alert is None:
                self.alert = (f"Sync failed {self.consecutive_failures} times in a row "
                              f"(last: {record.message})")
                log.error("ALERT: %s", self.alert)
            elif self.alert is not None:
                self.alert = (f"Sync failed {self.consecutive_failures} times in a row "
                              f"(last: {record.message})")
        elif record.outcome in ("synced", "skipped"):
            if self.alert is not None:
                log.info("Sync alert cleared: sync succeeded after %d failures", self.consecutive_failures)
            self.consecutive_failures = 0
            self.alert = None
            self.last_success = record.at

    def stuck_batches(self, batches: list[Batch], now: datetime | None = None) -> list[Batch]:
        """Unfinished batches with no PLC reading for longer than the stuck threshold."""
        now = now or utc_now()
        stuck = []
        for batch in batches:
            if batch.status_manufacturing or batch.status_operation:
                continue
            since = batch.last_read_from_plc or batch.created_at
            if since is not None and now - since > self.stuck_after:
                stuck.append(batch)
        return stuck
