"""The sync log: Python logging records shown in the window.

Records arrive from any thread (the DB runner, Odoo worker threads, the loop). The
handler only emits a Qt signal carrying plain values; the signal is connected with a
queued connection, so the text widget is touched on the GUI thread only.

Only the product's own records (loggers under ``hmi``) reach the window: they are written
in the product's words. Library lines (pymodbus, qasync, uvicorn, Qt's own warnings) go to
the log file only. Long lines wrap; there is no horizontal scrolling.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from hmi.ui.formatting import plain_error

MAX_LINES = 5000
LOG_LINE_FORMAT = "%(asctime)s %(levelname)-7s %(message)s"
#: Loggers whose records the window shows; everything else is a library talking.
PRODUCT_LOGGER = "hmi"
LEVELS = ((QT_TRANSLATE_NOOP("LogPanel", "Debug"), logging.DEBUG),
          (QT_TRANSLATE_NOOP("LogPanel", "Info"), logging.INFO),
          (QT_TRANSLATE_NOOP("LogPanel", "Warning"), logging.WARNING),
          (QT_TRANSLATE_NOOP("LogPanel", "Error"), logging.ERROR))


class _RecordSignal(QObject):
    record = Signal(int, str)


def is_product_record(record: logging.LogRecord) -> bool:
    return record.name == PRODUCT_LOGGER or record.name.startswith(PRODUCT_LOGGER + ".")


class QtLogHandler(logging.Handler):
    """logging.Handler → Qt signal bridge (thread-safe: formats in the caller, delivers queued)."""

    def __init__(self, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self.setFormatter(logging.Formatter(LOG_LINE_FORMAT, datefmt="%H:%M:%S"))
        self.addFilter(is_product_record)
        self.bridge = _RecordSignal()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # Library error fragments ("[Errno 111] ...") read as words; the log file keeps them verbatim.
            text = plain_error(self.format(record))
            self.bridge.record.emit(record.levelno, text)
        except RuntimeError:
            pass  # the bridge was deleted during shutdown; nothing left to show the record in
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self.handleError(record)


class LogPanel(QWidget):
    """Bounded log view with a level filter and a copy button."""

    def __init__(self, parent: QWidget | None = None, max_lines: int = MAX_LINES) -> None:
        super().__init__(parent)
        self.setObjectName("logPanel")
        self._lines: deque[tuple[int, str]] = deque(maxlen=max_lines)
        self._min_level = logging.INFO

        self.view = QPlainTextEdit(self)
        self.view.setObjectName("logView")
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(max_lines)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.level_combo = QComboBox(self)
        for name, level in LEVELS:
            self.level_combo.addItem(name, level)
        self.level_combo.setCurrentIndex(1)
        self.level_combo.currentIndexChanged.connect(self._on_level_changed)
        level_label = self.level_label = QLabel(self)
        level_label.setBuddy(self.level_combo)

        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.retranslate()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(level_label)
        bar.addWidget(self.level_combo)
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)

        self.handler = QtLogHandler()
        self.handler.bridge.record.connect(self.append_record, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ records

    @Slot(int, str)

    def retranslate(self) -> None:
        """The panel's words in the window's language; the log lines themselves stay English."""
        self.view.setAccessibleName(self.tr("Sync log"))
        for index, (name, _level) in enumerate(LEVELS):
            self.level_combo.setItemText(index, self.tr(name))
        self.level_combo.setToolTip(self.tr("Show records at this level and above"))
        self.level_label.setText(self.tr("&Level:"))
        self.copy_button.setText(self.tr("C&opy log"))
        self.copy_button.setToolTip(self.tr("Copy the shown log lines (or the selection) to the clipboard"))
    def append_record(self, level: int, text: str) -> None:
        self._lines.append((level, text))
        if level >= self._min_level:
            self.view.appendPlainText(text)

    def shown_text(self) -> str:
        return self.view.toPlainText()

    def set_min_level(self, level: int) -> None:
        index = self.level_combo.findData(level)
        if index >= 0:
            self.level_combo.setCurrentIndex(index)

    def _on_level_changed(self, _index: int) -> None:
        self._min_level = int(self.level_combo.currentData())
        self.view.setPlainText("\n".join(text for level, text in self._lines if level >= self._min_level))
        self.view.moveCursor(self.view.textCursor().MoveOperation.End)

    def copy_to_clipboard(self) -> None:
        selected = self.view.textCursor().selectedText().replace("\u2029", "\n")
        QGuiApplication.clipboard().setText(selected or self.view.toPlainText())

    # ------------------------------------------------------------------ wiring

    def attach(self, logger: logging.Logger | None = None) -> None:
        (logger or logging.getLogger()).addHandler(self.handler)

    def detach(self, logger: logging.Logger | None = None) -> None:
        (logger or logging.getLogger()).removeHandler(self.handler)
