"""Scheduler: the only owner of timers (Qt QTimers on the qasync loop).

- sync every SYNC_INTERVAL_MINUTES, the first run a few seconds after start, and right away
  when a completion round archived the last batch of the table (SYNC_ON_EMPTY);
- poll every PLC_POLL_INTERVAL_SECONDS;
- completion on its own timer at the same interval, independent of the poll: with Odoo
  hanging, a completion round may take minutes, and the PLC must still be read meanwhile.

Each tick starts the service call as an asyncio task and keeps a reference to it (qasync
0.28 keeps only weak ones). A tick that finds its task still running is skipped and logged,
never stacked.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Coroutine

from PySide6.QtCore import QObject, QTimer, Signal

from hmi.app.runtime import Runtime
from hmi.services.admin import SchedulerStatus
from hmi.services.tasks import TaskGroup
from hmi.clock import utc_now

log = logging.getLogger("hmi.scheduler")

FIRST_SYNC_DELAY_MS = 3000
#: This instance's heartbeat in line_instances (who serves the line, and since when it is alive).
LINE_HEARTBEAT_MS = 30_000


def describe_interval(minutes: float) -> str:
    """'5 minutes' as the seed logs it; a commissioning fraction also in seconds: '0.33 minutes (20 s)'."""
    if float(minutes).is_integer():
        return f"{minutes:g} minutes"
    return f"{minutes:.3g} minutes ({minutes * 60:.3g} s)"


class Scheduler(QObject):
    #: A sync finished (any trigger); carries the SyncOutcome.
    sync_finished = Signal(object)
    #: A PLC poll finished.
    poll_finished = Signal()
    #: A completion round finished.
    completion_finished = Signal()
    #: Auto-sync was switched on or off.
    auto_sync_changed = Signal(bool)

    def __init__(self, runtime: Runtime, first_sync_delay_ms: int = FIRST_SYNC_DELAY_MS) -> None:
        super().__init__()
        settings = runtime.settings
        self.runtime = runtime
        self.interval_minutes = settings.sync_interval_minutes
        self.poll_interval_seconds = settings.plc_poll_interval_seconds
        self._auto_sync = settings.enable_auto_sync
        self._first_sync_delay_ms = first_sync_delay_ms
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(max(1, round(self.interval_minutes * 60_000)))
        self._sync_timer.timeout.connect(self._on_sync_tick)
        self._first_sync = QTimer(self)
        self._first_sync.setSingleShot(True)
        self._first_sync.timeout.connect(self._on_first_sync)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(max(10, round(self.poll_interval_seconds * 1000)))
        self._poll_timer.timeout.connect(self._on_poll_tick)
        self._completion_timer = QTimer(self)
        self._completion_timer.setInterval(self._poll_timer.interval())
        self._completion_timer.timeout.connect(self._on_completion_tick)
        self.sync_on_empty = settings.sync_on_empty
        self._heartbeat_timer = QTimer(self)
        self._heartbeat_timer.setInterval(LINE_HEARTBEAT_MS)
        self._heartbeat_timer.timeout.connect(self._on_heartbeat_tick)
        self._heartbeat_task: asyncio.Task | None = None
        self._tasks = TaskGroup("Scheduled", log)
        self._poll_task: asyncio.Task | None = None
        self._completion_task: asyncio.Task | None = None
        self._poll_overrun_logged = False

    # ------------------------------------------------------------------ control

    def start(self) -> None:
        limit = self.runtime.sync.batch_limit if self.runtime.sync else 0
        if self._auto_sync:
            log.info("Auto-sync scheduler STARTED: interval=%s, batch_limit=%d", describe_interval(self.interval_minutes),
                     limit)
            self._first_sync.start(self._first_sync_delay_ms)
        else:
            log.info("Auto-sync scheduler NOT started (ENABLE_AUTO_SYNC=false); manual and API triggers still work")
        self._poll_timer.start()
        self._completion_timer.start()
        self._heartbeat_timer.start()

    @property
    def auto_sync_enabled(self) -> bool:
        return self._auto_sync

    def set_auto_sync_enabled(self, enabled: bool, actor: str) -> None:
        if enabled == self._auto_sync:
            return
        self._auto_sync = enabled
        if enabled:
            self._sync_timer.start()
            log.warning("Auto-sync RESUMED by %s: interval=%s", actor, describe_interval(self.interval_minutes),
                        extra={"actor": actor})
        else:
            self._sync_timer.stop()
            self._first_sync.stop()
            log.warning("Auto-sync PAUSED by %s", actor, extra={"actor": actor})
        self.auto_sync_changed.emit(enabled)

    def set_intervals(self, sync_minutes: float, poll_seconds: float, actor: str) -> None:
        """New sync and poll intervals from the Settings dialog, without a restart (running timers restart)."""
        if sync_minutes != self.interval_minutes:
            self.interval_minutes = sync_minutes
            self._sync_timer.setInterval(max(1, round(sync_minutes * 60_000)))
            log.warning("Sync interval set to %s by %s", describe_interval(sync_minutes), actor, extra={"actor": actor})
        if poll_seconds != self.poll_interval_seconds:
            self.poll_interval_seconds = poll_seconds
            self._poll_timer.setInterval(max(10, round(poll_seconds * 1000)))
            self._completion_timer.setInterval(self._poll_timer.interval())
            log.warning("PLC poll interval set to %g s by %s", poll_seconds, actor, extra={"actor": actor})
        self.auto_sync_changed.emit(self._auto_sync)  # the countdown shows the new interval

    def next_sync_in_seconds(self) -> float | None:
        for timer in (self._first_sync, self._sync_timer):
            if timer.isActive():
                return max(0.0, timer.remainingTime() / 1000)
        return None

    def status(self) -> SchedulerStatus:
        remaining = self.next_sync_in_seconds()
        return SchedulerStatus(
            auto_sync_enabled=self._auto_sync,
            interval_minutes=self.interval_minutes,
            batch_limit=self.runtime.sync.batch_limit if self.runtime.sync else None,
            poll_interval_seconds=self.poll_interval_seconds,
            next_sync_at=utc_now() + timedelta(seconds=remaining) if remaining is not None else None,
            sync_running=bool(self.runtime.sync and self.runtime.sync.running),
        )

    async def stop(self, grace: float = 1.5) -> None:
        """Stop the timers and let running tasks finish for up to ``grace`` seconds, then cancel them.

        A task cancelled while its database call runs stays in that call until it ends or the
        runtime abandons it at stop (hmi.store.runner); it never blocks the stop itself.
        """
        for timer in (self._first_sync, self._sync_timer, self._poll_timer, self._completion_timer,
                      self._heartbeat_timer):
            timer.stop()
        await self._tasks.drain(timeout=grace)

    # ------------------------------------------------------------------ ticks

    def spawn(self, coroutine: Coroutine) -> asyncio.Task:
        return self._tasks.spawn(coroutine)

    def _on_first_sync(self) -> None:
        self._sync_timer.start()
        self._on_sync_tick()

    def _on_sync_tick(self) -> None:
        if self.runtime.sync is None:
            return
        self.spawn(self.run_sync("timer"))

    async def run_sync(self, trigger: str):
        outcome = await self.runtime.sync.sync(trigger)
        self.sync_finished.emit(outcome)
        return outcome

    def _on_heartbeat_tick(self) -> None:
        if self._heartbeat_task is None or self._heartbeat_task.done():
            self._heartbeat_task = self.spawn(self.runtime.line_heartbeat())

    def _on_poll_tick(self) -> None:
        if self._poll_task is not None and not self._poll_task.done():
            if not self._poll_overrun_logged:
                log.warning("PLC poll is taking longer than %g s; ticks are skipped until it finishes",
                            self.poll_interval_seconds)
                self._poll_overrun_logged = True
            return
        self._poll_overrun_logged = False
        self._poll_task = self.spawn(self._poll_round())

    async def _poll_round(self) -> None:
        if self.runtime.poll is not None:
            await self.runtime.poll.poll()
        self.poll_finished.emit()

    def _on_completion_tick(self) -> None:
        # A round still running (Odoo slow) is simply not started again; it is no fault of the PLC link.
        if self._completion_task is not None and not self._completion_task.done():
            return
        self._completion_task = self.spawn(self._completion_round())

    async def _completion_round(self) -> None:
        if self.runtime.completion is None:
            return
        report = await self.runtime.completion.complete()
        self.completion_finished.emit()
        if report is not None and report.emptied and self.sync_on_empty and self._auto_sync:
            log.info("The batch table is empty: syncing now instead of waiting for the timer")
            self.spawn(self.run_sync("empty"))
        if self.runtime.equipment_failures is not None:  # reported here, never inside the PLC poll
            await self.runtime.equipment_failures.report_outstanding()
