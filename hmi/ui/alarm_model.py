"""What the Alarms dock and the alarm journal both show: the alarm table model, and each priority's
word, shape and colour and each state's word (ISA-101: never colour alone), in the window's language.

hmi.ui.alarm_dock (the dock, the counts, the views hooked into the window) and hmi.ui.alarm_journal
(the journal tab) build on this module; it imports neither.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

from hmi.services.alarms import Alarm, AlarmState, Priority, _short
from hmi.ui.formatting import NO_VALUE, format_local_time
from hmi.ui.i18n import localized
from hmi.ui.table_model import ReadOnlyTableModel


#: The words an operator reads for a priority and a state (the service's English words are the source).
PRIORITY_WORDS = {
    Priority.CRITICAL: QT_TRANSLATE_NOOP("Alarm", "CRITICAL"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Alarm", "HIGH"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Alarm", "MEDIUM"),
    Priority.LOW: QT_TRANSLATE_NOOP("Alarm", "LOW"),
}
STATE_WORDS = {
    AlarmState.UNACK_ACTIVE: QT_TRANSLATE_NOOP("Alarm", "ACTIVE, UNACKNOWLEDGED"),
    AlarmState.ACK_ACTIVE: QT_TRANSLATE_NOOP("Alarm", "ACTIVE, ACKNOWLEDGED"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("Alarm", "RETURNED, UNACKNOWLEDGED"),
    AlarmState.NORMAL: QT_TRANSLATE_NOOP("Alarm", "NORMAL"),
}


def _tr(text: str) -> str:
    """An alarm word or column title (context "Alarm") in the window's language."""
    return QCoreApplication.translate("Alarm", text)


def priority_word(priority: Priority) -> str:
    return _tr(PRIORITY_WORDS.get(priority, priority.word))


def state_word(state: AlarmState) -> str:
    return _tr(STATE_WORDS.get(state, state.word))

PRIORITY_COLOURS = {
    Priority.CRITICAL: QColor("#c62828"),
    Priority.HIGH: QColor("#e8710a"),
    Priority.MEDIUM: QColor("#e8c817"),
    Priority.LOW: QColor("#8fa7bf"),
}
INK = QColor("#303030")


def _paint_priority(priority: Priority, painter: QPainter, s: float) -> None:
    """Critical: diamond; high: triangle pointing down; medium: square; low: circle. Each carries its number."""
    painter.setPen(QPen(INK, max(1.0, s / 14)))
    painter.setBrush(QBrush(PRIORITY_COLOURS[priority]))
    if priority is Priority.CRITICAL:
        painter.drawPolygon(QPolygonF([QPointF(s * 0.5, s * 0.03), QPointF(s * 0.97, s * 0.5),
                                       QPointF(s * 0.5, s * 0.97), QPointF(s * 0.03, s * 0.5)]))
    elif priority is Priority.HIGH:
        painter.drawPolygon(QPolygonF([QPointF(s * 0.04, s * 0.1), QPointF(s * 0.96, s * 0.1),
                                       QPointF(s * 0.5, s * 0.94)]))
    elif priority is Priority.MEDIUM:
        painter.drawRect(QRectF(s * 0.12, s * 0.12, s * 0.76, s * 0.76))
    else:
        painter.drawEllipse(QRectF(s * 0.1, s * 0.1, s * 0.8, s * 0.8))
    font = QFont()
    font.setPixelSize(max(6, round(s * 0.5)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white") if priority is Priority.CRITICAL else INK)
    box = QRectF(0, -s * 0.1 if priority is Priority.HIGH else 0, s, s)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(priority.rank + 1))


def priority_pixmap(priority: Priority, size: int = 16, ratio: float = 2.0) -> QPixmap:
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint_priority(priority, painter, float(size))
    painter.end()
    return pixmap


@lru_cache(maxsize=None)
def priority_icon(priority: Priority) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32):
        icon.addPixmap(priority_pixmap(priority, size))
    return icon


#: Column titles (also the keys of AlarmListModel._cell); shown translated.
_COLUMNS = (QT_TRANSLATE_NOOP("Alarm", "Priority"), QT_TRANSLATE_NOOP("Alarm", "State"),
            QT_TRANSLATE_NOOP("Alarm", "Count"), QT_TRANSLATE_NOOP("Alarm", "Raised"),
            QT_TRANSLATE_NOOP("Alarm", "Alarm"), QT_TRANSLATE_NOOP("Alarm", "Message"))


def message_text(alarm: Alarm) -> str:
    """The alarm's message in the window's language (its stored English when it has no template)."""
    return localized(alarm.text)


def state_text(alarm: Alarm) -> str:
    marker = "● " if alarm.state.unacknowledged else ""
    return marker + state_word(alarm.state)


def alarm_banner_lines(alarms: list[Alarm], limit: int = 3) -> list[str]:
    """The banner's alarm lines (as hmi.services.alarms.banner_lines) with the priority word and the
    closing line, and each message, in the window's language."""
    waiting = sorted((a for a in alarms if a.state.unacknowledged), key=lambda a: a.sort_key)
    line = QCoreApplication.translate("Alarm", "{priority}: {message}")
    lines = [line.format(priority=priority_word(a.priority), message=_short(message_text(a)))
             + (f" (×{a.count})" if a.count > 1 else "") for a in waiting[:limit]]
    if len(waiting) > limit:
        lines.append(QCoreApplication.translate("Alarm", "… and {count} more unacknowledged alarm(s): see Alarms")
                     .format(count=len(waiting) - limit))
    return lines


class AlarmListModel(ReadOnlyTableModel):
    """Rows of alarms; the journal shows the same columns (plus who acknowledged and when it ended)."""

    def __init__(self, parent=None, columns: tuple[str, ...] = _COLUMNS) -> None:
        super().__init__(parent)
        self._alarms: list[Alarm] = []
        self._columns = columns

    def set_alarms(self, alarms: list[Alarm]) -> None:
        self.beginResetModel()
        self._alarms = list(alarms)
        self.endResetModel()

    @property
    def alarms(self) -> list[Alarm]:
        return list(self._alarms)

    def _row_count(self) -> int:
        return len(self._alarms)

    def _column_count(self) -> int:
        return len(self._columns)

    def _header_text(self, section: int) -> str:
        return _tr(self._columns[section])

    def retranslate(self) -> None:
        """Titles and words again in the window's language (the cells are read at paint time)."""
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._alarms:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._alarms) - 1, len(self._columns) - 1))

    def _cell(self, alarm: Alarm, column: str) -> str:
        if column == "Priority":
            return priority_word(alarm.priority)
        if column == "State":
            return state_text(alarm)
        if column == "Count":
            return str(alarm.count)
        if column == "Raised":
            return format_local_time(alarm.raised_at)
        if column == "Alarm":
            return alarm.kind
        if column == "Message":
            return message_text(alarm)
        if column == "Acknowledged":
            if alarm.acknowledged_at is None:
                return NO_VALUE
            return QCoreApplication.translate("Alarm", "{time} by {who}").format(
                time=format_local_time(alarm.acknowledged_at), who=alarm.acknowledged_by or NO_VALUE)
        if column == "Normal":
            return format_local_time(alarm.normal_at) if alarm.normal_at else NO_VALUE
        if column == "Shelved":
            if alarm.shelved_until is None:
                return NO_VALUE
            return QCoreApplication.translate("Alarm", "until {time} by {who}: {reason}").format(
                time=format_local_time(alarm.shelved_until), who=alarm.shelved_by, reason=alarm.shelf_reason)
        return ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._alarms):
            return None
        alarm = self._alarms[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(alarm, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "Priority":
            return priority_icon(alarm.priority)
        if role == Qt.ItemDataRole.FontRole and alarm.state.unacknowledged:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{priority_word(alarm.priority)} — {state_word(alarm.state)} — {message_text(alarm)}"
        if role == Qt.ItemDataRole.UserRole:
            return alarm
        return None


__all__ = ["INK", "PRIORITY_COLOURS", "PRIORITY_WORDS", "STATE_WORDS", "AlarmListModel", "alarm_banner_lines",
           "message_text", "priority_icon", "priority_pixmap", "priority_word", "state_text", "state_word"]
