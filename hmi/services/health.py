"""Health: the last sync result, the consecutive-failure alert, stuck batches and the links.

The seed asks for an alert when sync fails more than 3 times running; the alert is raised
at the third consecutive failure, logged once at ERROR, and stays up (API, window) until
the next successful sync, which logs the recovery.

The PLC and Odoo links are judged here too (``plc_status`` / ``odoo_status``), so the
window, the admin API and the tests share one definition of "healthy": a PLC value older
than 2 poll intervals is STALE, older than 5 is OFFLINE (FUXA's 2x/5x rule).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from hmi.domain import Batch, ConnectionState
from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText
from hmi.clock import utc_now

log = logging.getLogger("hmi.health")

ALERT_AFTER_FAILURES = 3

#: A PLC value older than this many poll intervals is STALE, then OFFLINE.
STALE_AFTER_POLLS = 2
OFFLINE_AFTER_POLLS = 5


class LinkQuality(enum.Enum):
    """How far the PLC's values can be trusted right now."""

    GOOD = "GOOD"              # connected, last good read within 2 poll intervals
    CONNECTING = "CONNECTING"  # not connected yet, still within the first poll intervals
    STALE = "STALE"            # no good read for more than 2 poll intervals
    OFFLINE = "OFFLINE"        # no good read for more than 5 poll intervals
    DISABLED = "DISABLED"      # PLC_ENABLED=false


@dataclass(frozen=True)
class PlcHealth:
    quality: LinkQuality
    endpoint: str | None = None
    link_state: str | None = None
    last_good_read: datetime | None = None
    last_error: str | None = None
    #: seconds since the last good read (or since watching began, before the first one)
    age_seconds: float = 0.0

    @property
    def values_current(self) -> bool:
        """False while the PLC's readings shown for a batch may be out of date."""
        return self.quality not in (LinkQuality.STALE, LinkQuality.OFFLINE)

    @property
    def healthy(self) -> bool:
        return self.quality in (LinkQuality.GOOD, LinkQuality.DISABLED)


@dataclass(frozen=True)
class OdooHealth:
    state: str  # "OK" | "FAULT" | "UNKNOWN" (not contacted yet)
    last_contact: datetime | None = None
    last_error: str | None = None


def judge_plc(connection, last: datetime | None, poll_interval_seconds: float, now: datetime,
              watching_since: datetime) -> PlcHealth:
    """The one rule for PLC link quality. ``connection`` is the PLC link's supervised transport
    (``PlcLink.connection``: state, endpoint, last error) or None (PLC disabled); ``last`` the
    link's last good read."""
    if connection is None:
        return PlcHealth(LinkQuality.DISABLED)
    age = max(0.0, (now - (last or watching_since)).total_seconds())
    if age > OFFLINE_AFTER_POLLS * poll_interval_seconds:
        quality = LinkQuality.OFFLINE
    elif age > STALE_AFTER_POLLS * poll_interval_seconds:
        quality = LinkQuality.STALE
    elif connection.state is ConnectionState.CONNECTED:
        quality = LinkQuality.GOOD
    elif last is None:
        quality = LinkQuality.CONNECTING
    else:
        quality = LinkQuality.STALE  # the link dropped: values are no longer current
    return PlcHealth(quality, connection.endpoint, connection.state.value, last, connection.last_error or None, age)


def judge_odoo(odoo) -> OdooHealth:
    if odoo is None:
        return OdooHealth("UNKNOWN")
    if odoo.last_error:
        return OdooHealth("FAULT", odoo.last_contact, odoo.last_error)
    if odoo.last_contact:
        return OdooHealth("OK", odoo.last_contact)
    return OdooHealth("UNKNOWN")


@dataclass(frozen=True)
class SyncRecord:
    at: datetime
    trigger: str
    outcome: str  # "synced", "skipped", "failed", "busy"
    message: str
    count: int = 0


def _sync_alert(failures: int, last: str) -> OperatorText:
    """The odoo.sync_failing alarm's sentence (``last``: the failed sync's own message, as it is)."""
    return OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Sync failed {failures} times in a row (last: {last})"),
                        failures=failures, last=last)


class HealthMonitor:
    def __init__(self, stuck_minutes: float = 15.0, alert_after: int = ALERT_AFTER_FAILURES) -> None:
        self.stuck_after = timedelta(minutes=stuck_minutes)
        self.alert_after = alert_after
        self.consecutive_failures = 0
        self.alert: str | None = None
        self.last_sync: SyncRecord | None = None
        self.last_success: datetime | None = None
        self._plc = None
        self._odoo = None
        self._poll_interval_seconds = 1.0
        self._watching_since = utc_now()

    def watch_links(self, plc, odoo, poll_interval_seconds: float) -> None:
        """Called once by the composition root with the PLC link (or None) and the Odoo client."""
        self._plc = plc
        self._odoo = odoo
        self._poll_interval_seconds = poll_interval_seconds
        self._watching_since = utc_now()

    @property
    def poll_interval_seconds(self) -> float:
        return self._poll_interval_seconds

    def plc_status(self, now: datetime | None = None) -> PlcHealth:
        """PLC link quality now (no I/O: cheap enough for a 1 s UI clock)."""
        connection, last = (None, None) if self._plc is None else (self._plc.connection, self._plc.last_good_read)
        return judge_plc(connection, last, self._poll_interval_seconds, now or utc_now(), self._watching_since)

    def odoo_status(self) -> OdooHealth:
        return judge_odoo(self._odoo)

    def record_sync(self, record: SyncRecord) -> None:
        self.last_sync = record
        if record.outcome == "failed":
            self.consecutive_failures += 1
            if self.consecutive_failures >= self.alert_after and self.alert is None:
                self.alert = _sync_alert(self.consecutive_failures, record.message)
                log.error("ALERT: %s", self.alert)
            elif self.alert is not None:
                self.alert = _sync_alert(self.consecutive_failures, record.message)
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
