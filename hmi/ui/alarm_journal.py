"""Alarm journal tab: every alarm of the line, newest first, 50 a page, filtered by priority,
kind, state and the day it was raised (local dates). The frame and the alarm messages are in the
window's language (the model of hmi.ui.alarm_model); alarm kinds (plc.offline, …) stay as stored, and so
does the message of an alarm stored before its template was kept."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Callable, Coroutine

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.services.messages import first_line
from hmi.clock import PlantClock
from hmi.services.alarms import ALARM_KINDS, AlarmService, AlarmState, Priority
from hmi.records import AlarmQuery
from hmi.ui.alarm_model import AlarmListModel, priority_icon, priority_word
from hmi.ui.formatting import plant_clock
from hmi.ui.tabs import set_own_tab_title

log = logging.getLogger("hmi.ui")

PAGE_SIZE = 50
Spawn = Callable[[Coroutine], "asyncio.Task"]

#: Column titles, translated by AlarmListModel (context "Alarm" like the dock's).
JOURNAL_COLUMNS = ("Priority", "State", "Count", "Raised", "Alarm", QT_TRANSLATE_NOOP("Alarm", "Acknowledged"),
                   QT_TRANSLATE_NOOP("Alarm", "Normal"), QT_TRANSLATE_NOOP("Alarm", "Shelved"), "Message")
STATE_FILTERS = ((QT_TRANSLATE_NOOP("AlarmJournalTab", "Any state"), None),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Active"), "active"),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Active, unacknowledged"), AlarmState.UNACK_ACTIVE.value),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Active, acknowledged"), AlarmState.ACK_ACTIVE.value),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Returned, unacknowledged"), AlarmState.RTN_UNACK.value),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Normal"), AlarmState.NORMAL.value),
                 (QT_TRANSLATE_NOOP("AlarmJournalTab", "Shelved"), "shelved"))
#: QDateEdit's minimum shows "any date".
ANY_DATE = QDate(2000, 1, 1)
#: Room a date edit needs besides its text (frame, calendar arrow).
DATE_EDIT_MARGIN = 44


def _day_start(clock: PlantClock, day: QDate) -> datetime:
    """Midnight of a plant calendar day, as an aware datetime."""
    return clock.day_start(day.toPython())


class AlarmJournalTab(QWidget):
    #: A page was shown (tests wait for it).
    loaded = Signal()

    def __init__(self, alarms: AlarmService, spawn: Spawn, parent=None, *, clock: PlantClock | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmJournal")
        #: The date filters' days are the plant's (PLANT_TIMEZONE).
        self.clock = clock or plant_clock()
        self.service = alarms
        self._spawn = spawn
        self.offset = 0
        self.total = 0
        self._task: asyncio.Task | None = None
        #: Why the last page could not be read (shown instead of the page count until the next read).
        self._notice: str | None = None

        filters = QHBoxLayout()
        self.priority_filter = QComboBox(self)
        self.priority_filter.addItem("", None)
        for priority in Priority:
            self.priority_filter.addItem(priority_icon(priority), priority.word, priority.value)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem("", None)
        for kind in ALARM_KINDS:
            self.kind_filter.addItem(kind, kind)
        self.state_filter = QComboBox(self)
        for text, value in STATE_FILTERS:
            self.state_filter.addItem(text, value)
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        for widget in (self.priority_filter, self.kind_filter, self.state_filter):
            filters.addWidget(widget)
            widget.currentIndexChanged.connect(self.first_page)
        filters.addStretch(1)

        self.model = AlarmListModel(self, JOURNAL_COLUMNS)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(JOURNAL_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        paging = QHBoxLayout()
        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.reload_button = QPushButton(self)
        self.page_label = QLabel(self)
        self.page_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.reload_button.clicked.connect(self.reload)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        paging.addWidget(self.reload_button)
        paging.addWidget(self.page_label, 1)
        self.raised_label = QLabel(self)
        paging.addWidget(self.raised_label)
        paging.addWidget(self.date_from)
        paging.addWidget(self.date_to)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view)
        layout.addLayout(paging)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text (and the tab's title) in the window's language; the page follows at once."""
        set_own_tab_title(self, self.tr("Alarm &journal"))
        self.priority_filter.setItemText(0, self.tr("Any priority"))
        for row, priority in enumerate(Priority, start=1):
            self.priority_filter.setItemText(row, priority_word(priority))
        self.kind_filter.setItemText(0, self.tr("Any alarm"))
        for row, (text, _value) in enumerate(STATE_FILTERS):
            self.state_filter.setItemText(row, self.tr(text))
        self.date_from.setSpecialValueText(self.tr("from: any date"))
        self.date_to.setSpecialValueText(self.tr("to: any date"))
        for edit in (self.date_from, self.date_to):  # "any date" whole, and room for a date
            metrics = edit.fontMetrics()
            text = max(edit.specialValueText(), "2026-12-31", key=metrics.horizontalAdvance)
            edit.setMinimumWidth(metrics.horizontalAdvance(text) + DATE_EDIT_MARGIN)
        self.previous_button.setText(self.tr("◀ Previous"))
        self.next_button.setText(self.tr("Next ▶"))
        self.reload_button.setText(self.tr("Reload"))
        self.raised_label.setText(self.tr("Raised"))
        self.view.setAccessibleName(self.tr("Alarm journal"))
        self.model.retranslate()
        self._update_paging()

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(ANY_DATE)
        edit.setDate(ANY_DATE)
        edit.dateChanged.connect(self.first_page)
        return edit

    def query(self) -> AlarmQuery:
        since = until = None
        if self.date_from.date() != ANY_DATE:
            since = _day_start(self.clock, self.date_from.date())
        if self.date_to.date() != ANY_DATE:
            until = _day_start(self.clock, self.date_to.date().addDays(1))
        return AlarmQuery(priority=self.priority_filter.currentData(), kind=self.kind_filter.currentData(),
                          state=self.state_filter.currentData(), since=since, until=until)

    def first_page(self, *_args) -> None:
        self.offset = 0
        self.reload()

    def next_page(self) -> None:
        if self.offset + PAGE_SIZE < self.total:
            self.offset += PAGE_SIZE
            self.reload()

    def previous_page(self) -> None:
        if self.offset > 0:
            self.offset = max(0, self.offset - PAGE_SIZE)
            self.reload()

    def reload(self) -> None:
        self._task = self._spawn(self.load())

    async def load(self) -> None:
        try:
            total, alarms = await self.service.journal(self.query(), PAGE_SIZE, self.offset)
        except Exception as exc:  # noqa: BLE001 - the database is away: say so, keep the page
            self._notice = first_line(exc)[:120]
            self._update_paging()
            return
        self._notice = None
        self.total = total
        self.model.set_alarms(alarms)
        self._update_paging()
        self.loaded.emit()

    def _update_paging(self) -> None:
        pages = max(1, -(-self.total // PAGE_SIZE))
        page = self.offset // PAGE_SIZE + 1
        if self._notice is not None:
            self.page_label.setText(self.tr("Journal cannot be read: {error}").format(error=self._notice))
        else:
            self.page_label.setText(self.tr("Page {page} of {pages} ({total} alarm(s))").format(
                page=page, pages=pages, total=self.total))
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(self.offset + PAGE_SIZE < self.total)


__all__ = ["AlarmJournalTab", "PAGE_SIZE"]


