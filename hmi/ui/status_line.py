"""The status bar: the last message fitted left of the badges, the PLC/Odoo/DB badges and the sync
countdown.

Handed the window's status bar; told what to show. It keeps a message fitted when the window is
resized or a badge grows, and drops a success ("Sync fetched …") once the banner reports a fault.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from hmi.services.health import OdooHealth, PlcHealth
from hmi.ui.status_badges import StatusBadge, database_badge, odoo_badge, plc_badge

STATUS_MESSAGE_MS = 30_000


class StatusLine(QObject):
    def __init__(self, bar: QStatusBar, owner: QWidget) -> None:
        super().__init__(owner)
        self.bar = bar
        bar.setObjectName("statusBar")
        self.plc_badge = StatusBadge("plcBadge", owner)
        self.odoo_badge = StatusBadge("odooBadge", owner)
        self.database_badge = StatusBadge("databaseBadge", owner)
        self.countdown_label = QLabel(owner)
        self.countdown_label.setObjectName("countdown")
        self.countdown_label.setMinimumWidth(owner.fontMetrics().horizontalAdvance("next sync in 00:00") + 24)
        for widget in (self.plc_badge, self.odoo_badge, self.database_badge, self.countdown_label):
            bar.addPermanentWidget(widget)
        self.success_shown = False
        #: (whole text, what the bar shows, when it goes) to fit it again when the window is resized.
        self._fit = ("", "", 0.0)
        # A timer owned by the window: it dies with the window, so no call can reach a deleted one.
        self._refit_timer = QTimer(owner)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self._refit)

    def show(self, text: str, timeout_ms: int = 0) -> None:
        """A plain message (as QStatusBar.showMessage)."""
        self.bar.showMessage(text, timeout_ms)

    def show_message(self, text: str, success: bool = False, banner_up: bool = False) -> None:
        """A message fitted left of the badges; a success is not shown while the banner reports a fault."""
        if success and banner_up:
            self.bar.clearMessage()
            self.success_shown = False
            return
        shown = self.fit_text(text)
        self.bar.showMessage(shown, STATUS_MESSAGE_MS)
        self.bar.setToolTip(text)
        self.success_shown = success
        self._fit = (text, shown, time.monotonic() + STATUS_MESSAGE_MS / 1000)

    def banner_shown(self, up: bool) -> None:
        """An old "Sync fetched …" must not sit under a fault as if all were well."""
        if up and self.success_shown:
            self.bar.clearMessage()
            self.success_shown = False

    def show_badges(self, plc: PlcHealth, odoo: OdooHealth, db_error: str | None, db_checked: bool,
                    now: datetime) -> None:
        self.plc_badge.show_state(plc_badge(plc, now))
        self.odoo_badge.show_state(odoo_badge(odoo, now))
        self.database_badge.show_state(database_badge(db_error, db_checked))

    def show_countdown(self, text: str) -> None:
        self.countdown_label.setText(text)

    def schedule_refit(self) -> None:
        """Fit the message again once the status bar has laid out its badges."""
        self._refit_timer.start()

    def _refit(self) -> None:
        whole, shown, until = self._fit
        left_ms = int((until - time.monotonic()) * 1000)
        if not whole or left_ms <= 0 or self.bar.currentMessage() != shown:
            return  # gone, or replaced by another message
        again = self.fit_text(whole)
        if again != shown:
            self.bar.showMessage(again, left_ms)
            self._fit = (whole, again, until)

    def fit_text(self, text: str) -> str:
        """The message as far as it fits left of the badges, ending in "…" when cut (the whole of it is
        the status bar's tooltip, and a failure's is in the log and the banner)."""
        bar = self.bar
        badges = [child.x() for child in bar.findChildren(QWidget)
                  if child.parent() is bar and child.isVisible() and child.x() > 0]
        room = min(badges, default=bar.width()) - 12
        return bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(80, room))
