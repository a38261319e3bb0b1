"""Status badges: PLC, Odoo, database and the sync countdown.

What a badge says is decided by pure functions (``plc_badge``, ``odoo_badge``,
``database_badge``) so the rules are testable without a window. A badge shows a shape
and a word; colour is added by the theme only for abnormal severities.

Words and tooltips are in the window's language when the state is made (context "StatusBadge");
the window makes the states again right after a language switch. Error texts from the libraries
(``plain_error``) and addresses stay as they are.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from hmi.services.health import LinkQuality, OdooHealth, PlcHealth
from hmi.ui.formatting import format_age, format_local_time, plain_error
from hmi.ui.shapes import Shape, shape_pixmap

#: The PLC link's state (hmi.domain.ConnectionState) as the tooltip says it.
LINK_WORDS = {
    "DISCONNECTED": QT_TRANSLATE_NOOP("StatusBadge", "disconnected"),
    "CONNECTING": QT_TRANSLATE_NOOP("StatusBadge", "connecting"),
    "CONNECTED": QT_TRANSLATE_NOOP("StatusBadge", "connected"),
    "FAULT": QT_TRANSLATE_NOOP("StatusBadge", "fault"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatusBadge", text)


def link_word(state: str | None) -> str:
    """'connected', 'disconnected', … in the window's language (an unknown state as it comes, lower case)."""
    state = (state or "").upper()
    return _tr(LINK_WORDS[state]) if state in LINK_WORDS else state.lower()


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


def plc_badge(plc: PlcHealth, now: datetime) -> BadgeState:
    """PLC link quality as the service layer judges it (HealthMonitor.plc_status)."""
    if plc.quality is LinkQuality.DISABLED:
        return BadgeState(Severity.NEUTRAL, QCoreApplication.translate("StatusBadge", "PLC DISABLED"),
                          QCoreApplication.translate("StatusBadge", "PLC_ENABLED=false: batches are stored without "
                                                                    "being written to a PLC"), Shape.DASH)
    read_text = (QCoreApplication.translate("StatusBadge", "last good read {age} ago").format(
        age=format_age(plc.last_good_read, now)) if plc.last_good_read
        else QCoreApplication.translate("StatusBadge", "no good read yet"))
    details = QCoreApplication.translate("StatusBadge", "PLC at {endpoint}: link {state}, {read}").format(
        endpoint=plc.endpoint, state=link_word(plc.link_state), read=read_text)
    if plc.last_error:
        details += "\n" + QCoreApplication.translate("StatusBadge", "Last error: {error}").format(
            error=plain_error(plc.last_error))
    if plc.quality is LinkQuality.OFFLINE:
        return BadgeState(Severity.FAULT, QCoreApplication.translate("StatusBadge", "PLC OFFLINE"), details)
    if plc.quality is LinkQuality.STALE:
        return BadgeState(Severity.WARNING, QCoreApplication.translate("StatusBadge", "PLC STALE"), details)
    if plc.quality is LinkQuality.CONNECTING:
        return BadgeState(Severity.NEUTRAL, QCoreApplication.translate("StatusBadge", "PLC CONNECTING"), details)
    return BadgeState(Severity.NORMAL, QCoreApplication.translate("StatusBadge", "PLC CONNECTED"), details)


def odoo_badge(odoo: OdooHealth, now: datetime) -> BadgeState:
    """Odoo: a short word in the bar, the whole story in the tooltip (and the banner)."""
    contact = (QCoreApplication.translate("StatusBadge", "Last answer from Odoo: {time}").format(
        time=format_local_time(odoo.last_contact)) if odoo.last_contact
        else QCoreApplication.translate("StatusBadge", "Odoo has not answered yet"))
    if odoo.state == "FAULT":
        return BadgeState(Severity.FAULT, QCoreApplication.translate("StatusBadge", "Odoo FAULT"),
                          contact + "\n" + QCoreApplication.translate("StatusBadge", "Last error: {error}").format(
                              error=plain_error(odoo.last_error)))
    if odoo.last_contact is None:
        return BadgeState(Severity.NEUTRAL, QCoreApplication.translate("StatusBadge", "Odoo not asked yet"),
                          QCoreApplication.translate("StatusBadge", "Odoo is asked at the next sync"))
    return BadgeState(Severity.NORMAL, QCoreApplication.translate("StatusBadge", "Odoo OK"),
                      QCoreApplication.translate("StatusBadge", "{contact} ({age} ago)").format(
                          contact=contact, age=format_age(odoo.last_contact, now)))


def database_badge(error: str | None, checked: bool) -> BadgeState:
    if not checked:
        return BadgeState(Severity.NEUTRAL, QCoreApplication.translate("StatusBadge", "DB …"),
                          QCoreApplication.translate("StatusBadge", "The batch table has not been read yet"))
    if error:
        return BadgeState(Severity.FAULT, QCoreApplication.translate("StatusBadge", "DB FAULT"),
                          QCoreApplication.translate("StatusBadge", "The batch table cannot be read: {error}").format(
                              error=plain_error(error)))
    return BadgeState(Severity.NORMAL, QCoreApplication.translate("StatusBadge", "DB OK"),
                      QCoreApplication.translate("StatusBadge", "The batch table was read at the last refresh"))


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
            repolish(self)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed, to the widget and its labels
    (a descendant selector such as [severity="fault"] QLabel is not re-evaluated otherwise)."""
    for each in (widget, *widget.findChildren(QLabel)):
        each.style().unpolish(each)
        each.style().polish(each)
        each.update()
