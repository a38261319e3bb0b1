"""Trigger sync and Pause/Resume auto-sync, and the status-bar sentence for each sync's outcome.

Handed the scheduler, the health port and callables (who acts, may they, show a message, is the
banner up); it tells the window by signals and never calls back into it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from hmi.services.access import Action
from hmi.services.sync import SyncOutcome
from hmi.ui.formatting import plant_clock
from hmi.ui.ports import SchedulerPort
from hmi.ui.window_status import describe_outcome

log = logging.getLogger("hmi.ui")
translate = QCoreApplication.translate


class SyncControls(QObject):
    #: A manual sync started or ended (the actions follow ``sync_running``).
    changed = Signal()
    #: A sync ended: the batch table should be read again and the status shown.
    finished = Signal()

    def __init__(self, parent: QObject, scheduler: SchedulerPort, *, running_elsewhere: Callable[[], bool],
                 blocked: Callable[[], bool], allowed: Callable[[str], bool], actor: Callable[[], str],
                 clock: Callable[[], datetime], show_status: Callable[..., None],
                 show_message: Callable[[str, bool], None]) -> None:
        super().__init__(parent)
        self.scheduler = scheduler
        self._running_elsewhere = running_elsewhere  # the timer's or the API's sync
        self._blocked = blocked  # a Clear is running
        self._allowed = allowed
        self._actor = actor
        self._clock = clock
        self._show_status = show_status
        self._show_message = show_message
        self.manual_running = False
        scheduler.sync_finished.connect(self.on_sync_finished)

    @property
    def sync_running(self) -> bool:
        return self.manual_running or self._running_elsewhere()

    def trigger_sync(self) -> None:
        if self.sync_running or self._blocked() or not self._allowed(Action.TRIGGER_SYNC):
            return
        self.manual_running = True
        self._show_status(translate("MainWindow", "Sync running…"))
        self.changed.emit()
        log.info("Trigger sync by %s", self._actor(), extra={"actor": self._actor()})
        self.scheduler.spawn(self._run_manual_sync())

    async def _run_manual_sync(self) -> None:
        try:
            await self.scheduler.run_sync("manual")  # same call as the timer; emits sync_finished
        finally:
            self.manual_running = False
            self.changed.emit()

    def on_sync_finished(self, outcome: SyncOutcome) -> None:
        # Connected to a signal emitted inside the sync task: never open a modal dialog here.
        text = describe_outcome(outcome)
        prefix = translate("MainWindow", "Trigger sync: ") if self.manual_running else ""
        english = ("Trigger sync: " if self.manual_running else "") + describe_outcome(outcome, english=True)
        stamp = plant_clock().local(self._clock()).strftime("%H:%M:%S")
        self._show_message(f"{stamp} {prefix}{text}", outcome.ok)
        if self.manual_running:
            log.log(logging.WARNING if outcome.outcome == "failed" else logging.INFO, "%s", english)
        self.finished.emit()

    def toggle_auto_sync(self) -> None:
        if not self._allowed(Action.TOGGLE_AUTO_SYNC):
            return
        self.scheduler.set_auto_sync_enabled(not self.scheduler.auto_sync_enabled, self._actor())

    def detach(self) -> None:
        try:
            self.scheduler.sync_finished.disconnect(self.on_sync_finished)
        except (RuntimeError, TypeError):
            pass
