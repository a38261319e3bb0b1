"""Plant overview: one tile per line over the shared database, read only.

Each refresh is one query for every line (hmi.store.plant.PlantReader.lines) run off the GUI
thread; the tiles are updated in place, so nothing flickers and nothing blocks. A refresh
still running when the timer fires again is skipped, never queued. Double-click a tile (or
press Enter on it) for that line's batch table and log, read only.

ISA-101: grey tiles for normal states; colour only for abnormal ones (FAULT, OFFLINE), and
always with a shape and a word.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Awaitable, Callable, Coroutine, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.services.messages import first_line
from hmi.domain import Batch
from hmi.clock import utc_now
from hmi.records import HEARTBEAT_SECONDS, OFFLINE_AFTER_HEARTBEATS, LineSnapshot, LineState
from hmi.ui.batch_model import BatchTableModel
from hmi.ui.formatting import NO_VALUE, format_local_time
from hmi.ui.shapes import Shape, shape_pixmap

log = logging.getLogger("hmi.ui")

REFRESH_MS = 2000
UNREACHABLE = QT_TRANSLATE_NOOP("OverviewWindow", "DATABASE UNREACHABLE: {error} — tiles show the last reading")
TILE_COLUMNS = 3

Spawn = Callable[[Coroutine], "asyncio.Task"]

_SHAPES = {
    LineState.OFFLINE: Shape.DASH,
    LineState.FAULT: Shape.CROSS,
    LineState.SYNCING: Shape.RING,
    LineState.DOSING: Shape.PLAY,
    LineState.WAITING: Shape.RING,
    LineState.IDLE: Shape.DOT,
}

_TILE_STYLE = """
QFrame#lineTile { background: #dcdcdc; border: 1px solid #9a9a9a; border-radius: 4px; }
QFrame#lineTile:focus { border: 2px solid #3c4a58; }
QFrame#lineTile[state="FAULT"] { border: 3px solid #b3261e; }
QFrame#lineTile[state="OFFLINE"] { background: #c4c4c4; border: 2px dashed #5a5a5a; }
QLabel#tileLine { font-size: 15pt; font-weight: 700; }
QLabel#tileState { font-size: 12pt; font-weight: 700; }
QLabel#tileState[state="FAULT"] { color: #ffffff; background: #b3261e; padding: 1px 6px; border-radius: 3px; }
QLabel#tileState[state="OFFLINE"] { color: #ffffff; background: #4a4a4a; padding: 1px 6px; border-radius: 3px; }
QLabel#tileAlarms[abnormal="true"] { color: #7a1a14; font-weight: 700; }
QLabel#tileLineAlarms[abnormal="true"] { color: #7a1a14; font-weight: 700; }
QProgressBar { border: 1px solid #8c8c8c; background: #ececec; text-align: center; height: 14px; }
QProgressBar::chunk { background: #7d8a96; }
"""


#: The line states as a tile says them (LineState values are the English words).
STATE_WORDS = {
    LineState.OFFLINE: QT_TRANSLATE_NOOP("LineTile", "OFFLINE"),
    LineState.FAULT: QT_TRANSLATE_NOOP("LineTile", "FAULT"),
    LineState.SYNCING: QT_TRANSLATE_NOOP("LineTile", "SYNCING"),
    LineState.DOSING: QT_TRANSLATE_NOOP("LineTile", "DOSING"),
    LineState.WAITING: QT_TRANSLATE_NOOP("LineTile", "WAITING"),
    LineState.IDLE: QT_TRANSLATE_NOOP("LineTile", "IDLE"),
}
#: Batch states (LineSnapshot.abnormal_batches) and alarm priorities (alarms_by_priority) on a tile.
COUNT_WORDS = (
    QT_TRANSLATE_NOOP("LineTile", "ATTENTION"), QT_TRANSLATE_NOOP("LineTile", "HELD"),
    QT_TRANSLATE_NOOP("LineTile", "FAILED"), QT_TRANSLATE_NOOP("LineTile", "CRITICAL"),
    QT_TRANSLATE_NOOP("LineTile", "HIGH"), QT_TRANSLATE_NOOP("LineTile", "MEDIUM"),
    QT_TRANSLATE_NOOP("LineTile", "LOW"),
)


def state_word(state: LineState) -> str:
    return QCoreApplication.translate("LineTile", STATE_WORDS[state])


def _seconds(value: float) -> str:
    seconds = int(value)
    if seconds < 120:
        return QCoreApplication.translate("LineTile", "{seconds} s").format(seconds=seconds)
    if seconds < 7200:
        return QCoreApplication.translate("LineTile", "{minutes} min").format(minutes=seconds // 60)
    return QCoreApplication.translate("LineTile", "{hours} h {minutes} min").format(
        hours=seconds // 3600, minutes=seconds % 3600 // 60)


class LineTile(QFrame):
    """One line: state word and shape, batch on the PLC with progress, batches left, last fill,
    the line's alarms, and whether its instance is alive."""

    opened = Signal(str)

    def __init__(self, line: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = line
        self.setObjectName("lineTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(300)
        self.name_label = QLabel(line, self)
        self.name_label.setObjectName("tileLine")
        self.shape_label = QLabel(self)
        self.state_label = QLabel("", self)
        self.state_label.setObjectName("tileState")
        self.batch_label = QLabel("", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.left_label = QLabel("", self)
        self.fill_label = QLabel("", self)
        # ALARMS: until the line alarm service lands, the tile counts the line's abnormal batches
        # (ATTENTION / HELD / FAILED). Replace this label's text with the active alarms by priority.
        self.alarms_label = QLabel("", self)
        self.alarms_label.setObjectName("tileAlarms")
        self.line_alarms_label = QLabel("", self)
        self.line_alarms_label.setObjectName("tileLineAlarms")
        self.instance_label = QLabel("", self)
        self.instance_label.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(self.name_label)
        header.addStretch(1)
        header.addWidget(self.shape_label)
        header.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.left_label)
        layout.addWidget(self.fill_label)
        layout.addWidget(self.line_alarms_label)
        layout.addWidget(self.alarms_label)
        layout.addWidget(self.instance_label)
        layout.addStretch(1)
        self.state: LineState | None = None
        self._shown: tuple[LineSnapshot, datetime] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """The tile's words in the window's language: the last snapshot is shown again."""
        self.setToolTip(self.tr("Double-click for line {line}'s batches and log").format(line=self.line))
        if self._shown is not None:
            self.show_snapshot(*self._shown)

    def show_snapshot(self, snapshot: LineSnapshot, now: datetime) -> None:
        self._shown = (snapshot, now)
        state = snapshot.state(now)
        if state is not self.state:
            self.state = state
            for widget in (self, self.state_label):
                widget.setProperty("state", state.value)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            self.shape_label.setPixmap(shape_pixmap(_SHAPES[state], 18))
        self.state_label.setText(state_word(state))
        if snapshot.current_mo:
            self.batch_label.setText(self.tr("On the PLC: {mo} · batch {batch}").format(
                mo=snapshot.current_mo, batch=snapshot.current_batch_no))
            progress = snapshot.progress
            self.progress.setEnabled(True)
            self.progress.setValue(round((progress or 0.0) * 100))
            self.progress.setFormat(self.tr("%p% dosed"))
        else:
            self.batch_label.setText(self.tr("On the PLC: {mo}").format(mo=NO_VALUE))
            self.progress.setValue(0)
            self.progress.setEnabled(False)
            self.progress.setFormat(self.tr("no batch dosing"))
        self.left_label.setText(self.tr("Batches left: {left} of {batches}").format(
            left=snapshot.batches_left, batches=snapshot.batches))
        self.fill_label.setText(self.tr("Last fill: {time}").format(
            time=format_local_time(snapshot.filled_at) if snapshot.filled_at else "—"))
        counts = snapshot.abnormal_batches
        none = self.tr("none")
        abnormal = [f"{self.tr(name)} {count}" for name, count in counts.items() if count]
        self.alarms_label.setText(self.tr("Batches needing action: {batches}").format(
            batches=" · ".join(abnormal) if abnormal else none))
        self.alarms_label.setProperty("abnormal", "true" if abnormal else "false")
        self.alarms_label.style().unpolish(self.alarms_label)
        self.alarms_label.style().polish(self.alarms_label)
        active = [f"{self.tr(word)} {count}" for word, count in snapshot.alarms_by_priority.items() if count]
        self.line_alarms_label.setText(self.tr("Alarms: {alarms}").format(
            alarms=" · ".join(active) if active else none))
        self.line_alarms_label.setProperty("abnormal", "true" if active else "false")
        self.line_alarms_label.style().unpolish(self.line_alarms_label)
        self.line_alarms_label.style().polish(self.line_alarms_label)
        age = snapshot.heartbeat_age(now)
        where = (f"{snapshot.host} (PID {snapshot.pid})" if snapshot.host
                 else self.tr("no instance on record"))
        if state is LineState.OFFLINE:
            since = (self.tr("last heartbeat {age} ago").format(age=_seconds(age.total_seconds()))
                     if age is not None else self.tr("never seen"))
            self.instance_label.setText(f"{state_word(state)} · {since} · {where}")
        else:
            self.instance_label.setText(self.tr("Alive · heartbeat {age} ago · {where}").format(
                age=_seconds(max(0.0, age.total_seconds())), where=where))

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.opened.emit(self.line)
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.opened.emit(self.line)
            return
        super().keyPressEvent(event)


class LineDetailDialog(QDialog):
    """One line's batch table and log, read only (the same batch table as the operator window)."""

    def __init__(self, line: str, batches: Sequence[Batch], records: Sequence[dict[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = line
        self.batch_count = len(batches)
        self.has_records = bool(records)
        self.resize(1100, 640)
        self.model = BatchTableModel(self)
        self.model.apply(list(batches))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.log_view = QPlainTextEdit(self)
        self.log_view.setReadOnly(True)
        # The log records stay English (the plant's record); only "no records" is the window's word.
        self.log_view.setPlainText("\n".join(
            f"{format_local_time(record['timestamp'])}  {record['level']:<7}  {record['message']}"
            for record in reversed(list(records))
        ))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.log_view)
        buttons = self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.heading = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Line {line} — batches and log (read only)").format(line=self.line))
        self.heading.setText(self.tr("Line {line}: {count} batch(es) in the table; newest log records last.").format(
            line=self.line, count=self.batch_count))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        if not self.has_records:
            self.log_view.setPlainText(self.tr("No log records for this line."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        self.model.layoutChanged.emit()  # the state words of the rows

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class OverviewWindow(QMainWindow):
    """Tiles for every line; refreshes itself every REFRESH_MS without blocking."""

    closed = Signal()

    def __init__(self, fetch_lines: Callable[[], Awaitable[list[LineSnapshot]]],
                 fetch_detail: Callable[[str], Awaitable[tuple[list[Batch], list[dict[str, Any]]]]],
                 spawn: Spawn, database: str, clock: Callable[[], datetime] = utc_now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewWindow")
        self.setStyleSheet(_TILE_STYLE)
        self._fetch_lines = fetch_lines
        self._fetch_detail = fetch_detail
        self._spawn = spawn
        self._clock = clock
        self._refreshing = False
        self.tiles: dict[str, LineTile] = {}
        self.refreshes = 0
        self.last_error: str | None = None

        self.database = database
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("overviewSummary")
        #: What the summary says: (source text, fields), or None when it counts the lines shown.
        self._summary: tuple[str, dict] | None = (QT_TRANSLATE_NOOP("OverviewWindow", "Reading the database…"), {})
        self._counted: tuple[list[LineState], datetime] | None = None
        source = self.source_label = QLabel(self)
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        tiles_host = QWidget(self)
        tiles_host.setLayout(self.grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(tiles_host)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        top.addWidget(self.summary_label)
        top.addStretch(1)
        top.addWidget(source)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.setCentralWidget(central)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        """The window's words in the chosen language; tiles and an open line detail follow now."""
        self.setWindowTitle(self.tr("Batch HMI — plant overview (read only)"))
        self.source_label.setText(self.tr("Database: {database} · read only · {offline} after {beats} missed "
                                          "heartbeats ({seconds} s)").format(
            database=self.database, offline=state_word(LineState.OFFLINE), beats=OFFLINE_AFTER_HEARTBEATS,
            seconds=OFFLINE_AFTER_HEARTBEATS * HEARTBEAT_SECONDS))
        if self._summary is not None:
            self._say(*self._summary)
        elif self._counted is not None:
            self._count(*self._counted)
        for tile in self.tiles.values():
            tile.retranslate()
        detail = getattr(self, "detail_dialog", None)
        if detail is not None:
            try:
                detail.retranslate()
            except RuntimeError:  # closed and deleted already
                self.detail_dialog = None

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # A window of its own: the main window's walk does not reach it, Qt's LanguageChange does.
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "source_label"):
            self.retranslate()
        super().changeEvent(event)

    def _say(self, text: str, fields: dict | None = None) -> None:
        self._summary = (text, fields or {})
        self.summary_label.setText(self.tr(text).format(**(fields or {})))

    def _count(self, states: list[LineState], now: datetime) -> None:
        self._summary = None
        self._counted = (states, now)
        counts = {state: states.count(state) for state in LineState if states.count(state)}
        self.summary_label.setText(self.tr("{lines} line(s) · {states} · updated {time}").format(
            lines=len(states), states=" · ".join(f"{count} {state_word(state)}" for state, count in counts.items()),
            time=format_local_time(now)))

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        if self._refreshing:
            log.debug("Overview refresh still running; this tick is skipped")
            return
        self._refreshing = True
        self._spawn(self.load())

    async def load(self) -> None:
        try:
            snapshots = await self._fetch_lines()
        except Exception as exc:  # noqa: BLE001 - shown; the next tick tries again
            self.last_error = first_line(exc)
            self._say(UNREACHABLE, {"error": self.last_error})
            log.warning("Overview refresh failed: %s", self.last_error)
            return
        finally:
            self._refreshing = False
        self.last_error = None
        self.show_lines(snapshots)

    def show_lines(self, snapshots: Sequence[LineSnapshot]) -> None:
        now = self._clock()
        wanted = [snapshot.line for snapshot in snapshots]
        if wanted != list(self.tiles):
            for tile in self.tiles.values():
                self.grid.removeWidget(tile)
                tile.deleteLater()
            self.tiles = {}
            for index, line in enumerate(wanted):
                tile = LineTile(line)
                tile.opened.connect(self.open_line)
                self.grid.addWidget(tile, index // TILE_COLUMNS, index % TILE_COLUMNS)
                self.tiles[line] = tile
            self.grid.setRowStretch(self.grid.rowCount(), 1)  # tiles keep their height, space goes below
        for snapshot in snapshots:
            self.tiles[snapshot.line].show_snapshot(snapshot, now)
        self._count([snapshot.state(now) for snapshot in snapshots], now)
        self.refreshes += 1

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        self.closed.emit()
        super().closeEvent(event)

    def open_line(self, line: str) -> None:
        self._spawn(self._open_line(line))

    async def _open_line(self, line: str) -> None:
        try:
            batches, records = await self._fetch_detail(line)
        except Exception as exc:  # noqa: BLE001 - shown in the summary line
            self._say(QT_TRANSLATE_NOOP("OverviewWindow", "Line {line} could not be read: {error}"),
                      {"line": line, "error": str(exc)})
            return
        dialog = LineDetailDialog(line, batches, records, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.detail_dialog = dialog
        dialog.show()


__all__ = ["REFRESH_MS", "LineDetailDialog", "LineTile", "OverviewWindow"]
