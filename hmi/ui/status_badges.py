"""Status badges: PLC, Odoo, database and the sync countdown.

What a badge says is decided by pure functions (``plc_badge``, ``odoo_badge``,
``database_badge``) so the rules are testable without a window. A badge shows a shape
and a word; colour is added by the theme only for abnormal severities.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from hmi.domain import ConnectionState
from hmi.ui.formatting import format_age, format_local_time
from hmi.ui.shapes import Shape, shape_pixmap

#: A PLC value older than this many poll intervals is STALE, then OFFLINE (FUXA's 2x/5x rule).
STALE_AFTER_POLLS = 2
OFFLINE_AFTER_POLLS = 5


class Severity(enum.Enum):
    NORMAL = "normal"
    NEUTRAL = "neutral"    # unknown yet / disabled: nothing wrong, nothing to report
    WARNING = "warning"
    FAULT = "fault"


SEVERITY_SHAPE = {
    Severity.NORMAL: Shape.DOT,
    Severity.NEUTRAL: Shape.RING,
    Severity.WARNING: Shape.WARNING,
    Severity.FAULT: Shape.CROSS,
}


@dataclass(frozen=True)
class BadgeState:
    severity: Severity
    text: str
    tooltip: str
    shape: Shape | None = None

    @property
    def icon_shape(self) -> Shape:
        return self.shape or SEVERITY_SHAPE[self.severity]


def plc_badge(plc, poll_interval_seconds: float, now: datetime, watching_since: datetime) -> BadgeState:
    """PLC link state; STALE after 2 poll intervals without a good read, OFFLINE after 5.

    ``plc`` is the PlcLink or None (PLC_ENABLED=false). Before the first good read, the age is
    measured from ``watching_since`` (when the window started watching).
    """
    if plc is None:
        return BadgeState(Severity.NEUTRAL, "PLC DISABLED",
                          "PLC_ENABLED=false: batches are stored without being written to a PLC", Shape.DASH)
    last = plc.last_good_read
    reference = last or watching_since
    age = max(0.0, (now - reference).total_seconds())
    read_text = f"last good read {format_age(last, now)} ago" if last else "no good read yet"
    details = f"{plc.endpoint} — link {plc.state.value}, {read_text}"
    if plc.last_error:
        details += f"\nLast error: {plc.last_error}"
    if age > OFFLINE_AFTER_POLLS * poll_interval_seconds:
        return BadgeState(Severity.FAULT, "PLC OFFLINE", details)
    if age > STALE_AFTER_POLLS * poll_interval_seconds:
        return BadgeState(Severity.WARNING, "PLC STALE", details)
    if plc.state is ConnectionState.CONNECTED:
        return BadgeState(Severity.NORMAL, "PLC CONNECTED", details)
    if plc.state is ConnectionState.CONNECTING:
        return BadgeState(Severity.NEUTRAL, "PLC CONNECTING", details)
    return BadgeState(Severity.WARNING, f"PLC {plc.state.value}", details)


def odoo_badge(odoo, now: datetime) -> BadgeState:
    """Odoo: the last error wins; otherwise how long ago Odoo last answered."""
    if odoo is None:
        return BadgeState(Severity.NEUTRAL, "ODOO —", "Odoo client not started")
    last_contact = odoo.last_contact
    contact = f"last contact {format_local_time(last_contact)}" if last_contact else "not contacted yet"
    if odoo.last_error:
        short = odoo.last_error if len(odoo.last_error) <= 48 else odoo.last_error[:47] + "…"
        return BadgeState(Severity.FAULT, f"ODOO ERROR: {short}", f"{contact}\nLast error: {odoo.last_error}")
    if last_contact is None:
        return BadgeState(Severity.NEUTRAL, "ODOO not contacted yet", "Odoo is asked at the next sync")
    return BadgeState(Severity.NORMAL, f"ODOO OK {format_age(last_contact, now)} ago", contact)


def database_badge(error: str | None, checked: bool) -> BadgeState:
    if not checked:
        return BadgeState(Severity.NEUTRAL, "DB …", "The batch table has not been read yet")
    if error:
        return BadgeState(Severity.FAULT, "DB FAULT", f"Reading the batch table failed: {error}")
    return BadgeState(Severity.NORMAL, "DB OK", "The batch table was read at the last refresh")


class StatusBadge(QFrame):
    """Shape + text; the ``severity`` property lets the theme colour abnormal badges."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("badge", True)
        self.setProperty("severity", Severity.NEUTRAL.value)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 1, 8, 1)
        layout.setSpacing(4)
        self.icon_label = QLabel(self)
        self.text_label = QLabel(self)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.text_label)
        self.state: BadgeState | None = None

    @property
    def text(self) -> str:
        return self.text_label.text()

    def show_state(self, state: BadgeState) -> None:
        if state == self.state:
            return
        previous = self.state
        self.state = state
        if previous is None or previous.icon_shape != state.icon_shape:
            self.icon_label.setPixmap(shape_pixmap(state.icon_shape, 14, self.devicePixelRatioF() or 1.0))
        self.text_label.setText(state.text)
        self.setToolTip(state.tooltip)
        self.setAccessibleName(state.text)
        if previous is None or previous.severity != state.severity:
            self.setProperty("severity", state.severity.value)
            # Re-polish so the stylesheet's [severity="..."] selector applies.
            self.style().unpolish(self)
            self.style().polish(self)
