"""Long press: a finger held on a row opens the row's menu (a touch screen has no right button)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QWidget

#: A press that moves further than this is a scroll or a drag, not a long press.
MOVE_TOLERANCE_PX = 12


class LongPressFilter(QObject):
    """Calls ``on_long_press(position)`` when the left button (or a finger) stays down ``hold_ms``."""

    def __init__(self, target: QWidget, hold_ms: int, on_long_press: Callable[[QPoint], None]) -> None:
        super().__init__(target)
        self._on_long_press = on_long_press
        self._position = QPoint()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self._fire)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._position = event.position().toPoint()
            self._timer.start()
        elif kind == QEvent.Type.MouseMove and self._timer.isActive():
            if (event.position().toPoint() - self._position).manhattanLength() > MOVE_TOLERANCE_PX:
                self._timer.stop()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Leave):
            self._timer.stop()
        return False

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def _fire(self) -> None:
        self._on_long_press(self._position)
