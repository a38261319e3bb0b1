"""The Alarms dock and the status-bar alarm counts.

The dock lists active and returned-unacknowledged alarms (shelved ones are hidden), most
urgent first, then the newest. Priority is shown by word, by shape and by colour (ISA-101:
never colour alone); an unacknowledged alarm is marked by a bullet, bold text and its state
word. Acknowledge (selected or all visible) and Shelve (a duration and a reason) call the
alarm service; the actor comes from the window (the OS user until sign-in exists).

Everything is in the window's language: the frame (headers, buttons, priority and state words,
counts) and the alarm messages, which the services write as OperatorText (``Alarm.text``; an alarm
stored before its template was kept shows its stored English). The database, the log and the admin
API keep the English message.

Alarm transitions can arrive in bursts (a flapping PLC link): the dock reads the list at
most every REFRESH_DELAY_MS, and never more than one read at a time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Coroutine

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hmi.services.alarms import Alarm, AlarmRefused, AlarmService, Priority, alarm_actor
from hmi.services.messages import first_line
from hmi.services.tolerance import ToleranceService
from hmi.ui.alarm_journal import AlarmJournalTab
from hmi.ui.alarm_model import AlarmListModel, alarm_banner_lines, priority_icon, priority_word
from hmi.ui.batch_model import BatchTableModel, Column
from hmi.ui.formatting import plain_error
from hmi.ui.tolerance_view import WIDEST_DEVIATION, ToleranceView

log = logging.getLogger("hmi.ui")

Spawn = Callable[[Coroutine], "asyncio.Task"]

REFRESH_DELAY_MS = 150
SHELF_CHOICES = ((15, QT_TRANSLATE_NOOP("ShelveDialog", "15 minutes")),
                 (30, QT_TRANSLATE_NOOP("ShelveDialog", "30 minutes")),
                 (60, QT_TRANSLATE_NOOP("ShelveDialog", "1 hour")),
                 (120, QT_TRANSLATE_NOOP("ShelveDialog", "2 hours")),
                 (240, QT_TRANSLATE_NOOP("ShelveDialog", "4 hours")),
                 (480, QT_TRANSLATE_NOOP("ShelveDialog", "8 hours")))

class ShelveDialog(QDialog):
    """How long and why; OK stays disabled until a reason is given."""

    def __init__(self, alarms: list[Alarm], parent=None) -> None:
        super().__init__(parent)
        self._alarms = list(alarms)
        layout = QFormLayout(self)
        self.what = QLabel(self)
        self.what.setWordWrap(True)
        layout.addRow(self.what)
        self.duration = QComboBox(self)
        for minutes, text in SHELF_CHOICES:
            self.duration.addItem(text, minutes)
        self.duration.setCurrentIndex(1)
        self.duration_label = QLabel(self)
        self.duration_label.setBuddy(self.duration)
        layout.addRow(self.duration_label, self.duration)
        self.reason = QLineEdit(self)
        self.reason_label = QLabel(self)
        self.reason_label.setBuddy(self.reason)
        layout.addRow(self.reason_label, self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        self.retranslate()
        self._update_ok()

    def retranslate(self) -> None:
        alarms = self._alarms
        self.setWindowTitle(self.tr("Shelve alarm"))
        names = ", ".join(a.kind for a in alarms[:3]) + (" …" if len(alarms) > 3 else "")
        self.what.setText(self.tr("Hide {count} alarm(s) ({names}) from the list until the time ends.").format(
            count=len(alarms), names=names))
        for row, (_minutes, text) in enumerate(SHELF_CHOICES):
            self.duration.setItemText(row, self.tr(text))
        self.duration_label.setText(self.tr("Shelve for"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("why (required), e.g. silo A under maintenance"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Shelve"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))

    @classmethod
    def ask(cls, alarms: list[Alarm], parent=None) -> tuple[int, str] | None:
        dialog = cls(alarms, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return int(dialog.duration.currentData()), dialog.reason.text().strip()


class AlarmDock(QDockWidget):
    #: The list was read again (tests and the status bar wait for it).
    refreshed = Signal()

    def __init__(self, alarms: AlarmService, spawn: Spawn, actor: Callable[[], str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmDock")
        self.service = alarms
        self._spawn = spawn
        self._actor = actor
        #: Why the signed-in user may not do an action ("acknowledge" / "shelve"), or None when allowed;
        #: set by the window where sign-in exists (roles gate actions, never what is shown).
        self.refusal: Callable[[str], str | None] = lambda _action: None
        self._refresh_task: asyncio.Task | None = None
        self._refresh_again = False
        self._closed = False
        self.shelved_count = 0
        self.error: str | None = None
        #: The last read failure or refused action, shown instead of the counts until the next read.
        self._notice: str | None = None

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.ack_button = QPushButton(body)
        self.ack_all_button = QPushButton(body)
        self.shelve_button = QPushButton(body)
        self.summary = QLabel(body)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget in (self.ack_button, self.ack_all_button, self.shelve_button):
            buttons.addWidget(widget)
        # The counts take the room left of the buttons (a plain stretch would leave the label no width).
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        buttons.addWidget(self.summary, 1)
        layout.addLayout(buttons)
        self.model = AlarmListModel(self)
        self.view = QTableView(body)
        self.view.setObjectName("alarmView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view)
        self.setWidget(body)

        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.ack_all_button.clicked.connect(self.acknowledge_all_visible)
        self.shelve_button.clicked.connect(self.shelve_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REFRESH_DELAY_MS)
        self._debounce.timeout.connect(self._start_refresh)
        alarms.add_listener(self.request_refresh)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text in the window's language; the list's words and counts follow at once."""
        self.setWindowTitle(self.tr("Alarms"))
        self.toggleViewAction().setText(self.tr("&Alarms"))
        self.ack_button.setText(self.tr("&Acknowledge"))
        self.ack_all_button.setText(self.tr("Acknowledge all &visible"))
        self.shelve_button.setText(self.tr("S&helve…"))
        self.view.setAccessibleName(self.tr("Alarms"))
        self.model.retranslate()
        self._update_summary()
        self._update_buttons()

    # ---- reading

    @property
    def alarms(self) -> list[Alarm]:
        return self.model.alarms

    def banner_lines(self, exclude: frozenset[str] = frozenset()) -> list[str]:
        return alarm_banner_lines([a for a in self.model.alarms if a.kind not in exclude])

    def request_refresh(self) -> None:
        """Read the list again soon; a burst of transitions gives one read."""
        if not self._closed and not self._debounce.isActive():
            self._debounce.start()

    def _start_refresh(self) -> None:
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_again = True
            return
        self._refresh_task = self._spawn(self.refresh())

    async def refresh(self) -> None:
        while True:
            self._refresh_again = False
            try:
                opened = await self.service.open_alarms()
            except Exception as exc:  # noqa: BLE001 - the database is away: keep the last list, say so
                self.error = f"Alarms cannot be read: {exc}"
                self._notice = self.tr("Alarms cannot be read: {error}").format(error=plain_error(first_line(exc)))
                self._update_summary()
            else:
                self.error = None
                self._notice = None
                now = self.service.clock()
                visible = [a for a in opened if not a.shelved(now)]
                self.shelved_count = len(opened) - len(visible)
                self._show(visible)
            if not self._refresh_again or self._closed:
                break
        self.refreshed.emit()

    def _show(self, visible: list[Alarm]) -> None:
        selected = {a.id for a in self.selected_alarms()}
        self.model.set_alarms(visible)
        selection = self.view.selectionModel()
        for row, alarm in enumerate(visible):
            if alarm.id in selected:
                selection.select(self.model.index(row, 0), selection.SelectionFlag.Select
                                 | selection.SelectionFlag.Rows)
        self._update_summary()
        self._update_buttons()

    def _update_summary(self) -> None:
        """'3 alarm(s), 2 unacknowledged, 1 shelved' in the window's language (or what went wrong)."""
        if self._notice is not None:
            self.summary.setText(first_line(self._notice)[:120])
            self.summary.setToolTip(self._notice)
            return
        visible = self.model.alarms
        unacked = sum(1 for a in visible if a.state.unacknowledged)
        if self.shelved_count:
            text = self.tr("{count} alarm(s), {unacked} unacknowledged, {shelved} shelved").format(
                count=len(visible), unacked=unacked, shelved=self.shelved_count)
        else:
            text = self.tr("{count} alarm(s), {unacked} unacknowledged").format(count=len(visible), unacked=unacked)
        self.summary.setText(text)
        self.summary.setToolTip(text)

    def selected_alarms(self) -> list[Alarm]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        alarms = self.model.alarms
        return [alarms[row] for row in rows if row < len(alarms)]

    def _update_buttons(self, *_args) -> None:
        selected = self.selected_alarms()
        ack_refused, shelve_refused = self.refusal("acknowledge"), self.refusal("shelve")
        self.ack_button.setEnabled(ack_refused is None and any(a.state.unacknowledged for a in selected))
        self.ack_all_button.setEnabled(ack_refused is None and any(a.state.unacknowledged for a in self.model.alarms))
        self.shelve_button.setEnabled(shelve_refused is None and bool(selected))
        tips = ((self.ack_button, ack_refused, self.tr("Acknowledge the selected alarms")),
                (self.ack_all_button, ack_refused, self.tr("Acknowledge every unacknowledged alarm in the list")),
                (self.shelve_button, shelve_refused, self.tr("Hide the selected alarms for a time, with a reason")))
        for button, refused, tip in tips:
            button.setToolTip(tip if refused is None else refused)

    # ---- actions

    def acknowledge_selected(self) -> None:
        ids = [a.id for a in self.selected_alarms() if a.state.unacknowledged]
        if ids:
            self._spawn(self._acknowledge(ids))

    def acknowledge_all_visible(self) -> None:
        ids = [a.id for a in self.model.alarms if a.state.unacknowledged]
        if ids:
            self._spawn(self._acknowledge(ids))

    async def _acknowledge(self, ids: list[int]) -> None:
        try:
            await self.service.acknowledge_many(ids, alarm_actor("acknowledge", self._actor))
        except AlarmRefused as exc:
            self.summary.setText(str(exc))
        except Exception as exc:  # noqa: BLE001 - the database is away; say so, keep the list
            self.summary.setText(self.tr("Acknowledge failed: {error}").format(error=plain_error(first_line(exc))))
        await self.refresh()

    def shelve_selected(self) -> None:
        selected = self.selected_alarms()
        if not selected:
            return
        answer = ShelveDialog.ask(selected, self)
        if answer is None:
            return
        minutes, reason = answer
        self._spawn(self._shelve([a.id for a in selected], minutes, reason))

    async def _shelve(self, ids: list[int], minutes: int, reason: str) -> None:
        try:
            actor = alarm_actor("shelve", self._actor)
        except AlarmRefused as exc:
            self.summary.setText(str(exc))
            return
        for alarm_id in ids:
            try:
                await self.service.shelve(alarm_id, minutes, reason, actor)
            except AlarmRefused as exc:
                self.summary.setText(str(exc))
            except Exception as exc:  # noqa: BLE001
                self.summary.setText(self.tr("Shelve failed: {error}").format(error=plain_error(first_line(exc))))
        await self.refresh()

    def close_down(self) -> None:
        self._closed = True
        self._debounce.stop()
        self.service.remove_listener(self.request_refresh)


class AlarmCounts(QWidget):
    """The status bar's count per priority (shape + word + number); a click opens the dock."""

    clicked = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmCounts")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.none_label = QToolButton(self)
        self.none_label.setAutoRaise(True)
        self.none_label.clicked.connect(self.clicked)
        layout.addWidget(self.none_label)
        self.buttons: dict[Priority, QToolButton] = {}
        for priority in Priority:
            button = QToolButton(self)
            button.setIcon(priority_icon(priority))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.clicked.connect(self.clicked)
            button.hide()
            layout.addWidget(button)
            self.buttons[priority] = button
        self.counts: dict[Priority, int] = {p: 0 for p in Priority}
        self.retranslate()

    def retranslate(self) -> None:
        self.none_label.setText(self.tr("No alarms"))
        self.none_label.setToolTip(self.tr("No active or unacknowledged alarms; click to open Alarms"))
        for priority, button in self.buttons.items():
            button.setToolTip(self.tr("{priority} alarms (active or unacknowledged); click to open Alarms").format(
                priority=priority_word(priority)))
        self._show_counts()

    def show_alarms(self, alarms: list[Alarm]) -> None:
        counts = {p: 0 for p in Priority}
        for alarm in alarms:
            counts[alarm.priority] += 1
        self.counts = counts
        self._show_counts()

    def _show_counts(self) -> None:
        for priority, button in self.buttons.items():
            count = self.counts[priority]
            button.setText(self.tr("{count} {priority}").format(count=count, priority=priority_word(priority)))
            button.setAccessibleName(button.text())
            button.setVisible(count > 0)
        self.none_label.setVisible(not any(self.counts.values()))

    def text(self) -> str:
        """What an operator reads, e.g. '1 CRITICAL 2 LOW' (tests)."""
        shown = [self.buttons[p].text() for p, n in self.counts.items() if n]
        return " ".join(shown) or self.none_label.text()


@dataclass(frozen=True)
class AlarmPlaces:
    """Where the alarm views go in the window and what they are handed: they never call back into it.

    ``main`` takes the dock, ``tabs`` the journal, ``view_menu`` the dock's toggle; the batch table's
    Deviation column is judged with the tolerance overrides read again after every alarm change.
    """

    main: QMainWindow
    tabs: QTabWidget
    log_dock: QDockWidget
    view_menu: QMenu
    batch_view: QTableView
    batch_model: BatchTableModel
    spawn: Spawn
    actor: Callable[[], str | None]
    clock: Callable[[], datetime] | None = None
    tolerance: ToleranceService | None = None


class AlarmViews(QObject):
    """The dock, the status-bar counts and the journal tab. ``changed`` says the alarms were read
    again (the window derives its banner from ``banner_lines``)."""

    changed = Signal()

    def __init__(self, places: AlarmPlaces, alarms: AlarmService) -> None:
        super().__init__(places.main)
        self.places = places
        main = places.main
        self.dock = AlarmDock(alarms, places.spawn, places.actor, main)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        # Beside the sync log as a tab: the window keeps its size; the counts and the banner point here.
        main.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        main.tabifyDockWidget(places.log_dock, self.dock)
        self.dock.raise_()
        self.counts = AlarmCounts(main)
        main.statusBar().insertPermanentWidget(0, self.counts)
        self.counts.clicked.connect(self.open_dock)
        self.journal = AlarmJournalTab(alarms, places.spawn, main, clock=places.clock)
        places.tabs.addTab(self.journal, "")
        self.journal.retranslate()  # its tab title too, now that it has a tab
        places.tabs.currentChanged.connect(self._on_tab)
        places.view_menu.addAction(self.dock.toggleViewAction())
        self.dock.refreshed.connect(self._on_refreshed)
        self.dock.request_refresh()
        if places.tolerance is not None:
            places.batch_view.horizontalHeader().resizeSection(
                Column.DEVIATION, places.batch_view.fontMetrics().horizontalAdvance(WIDEST_DEVIATION) + 28)
        self._load_tolerances()

    def _load_tolerances(self) -> None:
        """The batch table's Deviation column judges with the current overrides (read again after alarms change)."""
        tolerance = self.places.tolerance
        if tolerance is None:
            return

        async def load() -> None:
            try:
                overrides = await tolerance.overrides()
            except Exception:  # noqa: BLE001 - the database badge says it; keep the last overrides
                return
            model = self.places.batch_model
            model.tolerance = ToleranceView(tolerance.default, overrides)
            if model.rowCount():
                model.dataChanged.emit(model.index(0, Column.DEVIATION),
                                       model.index(model.rowCount() - 1, Column.DEVIATION))

        self.places.spawn(load())

    def open_dock(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.dock.view.setFocus()

    def _on_tab(self, index: int) -> None:
        if self.places.tabs.widget(index) is self.journal:
            self.journal.reload()

    def _on_refreshed(self) -> None:
        self.counts.show_alarms(self.dock.alarms)
        self.changed.emit()
        self._load_tolerances()
        if self.places.tabs.currentWidget() is self.journal:  # an open journal follows the alarms
            self.journal.reload()

    def signed_in_changed(self) -> None:
        """Acknowledge and Shelve follow who is signed in."""
        self.dock._update_buttons()

    def banner_lines(self, exclude: frozenset[str] = frozenset()) -> list[str]:
        return self.dock.banner_lines(exclude)

    def close_down(self) -> None:
        self.dock.close_down()


__all__ = ["AlarmCounts", "AlarmDock", "AlarmPlaces", "AlarmViews", "ShelveDialog"]
