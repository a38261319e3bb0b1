"""Audit tab: who did what and when, from system_log (records that name an actor), 50 a page.

Filters: actor (part of a name, or ``api``), action (words of the message, e.g. "Clear",
"signed in", "locked"), and a day. Pages come from ``AdminService.audit_page`` in a task.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Awaitable, Callable

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.clock import PlantClock
from hmi.records import AuditPage, AuditRecord
from hmi.ui.formatting import format_local_time, plain_error, plant_clock, plant_today
from hmi.ui.table_model import ReadOnlyTableModel

log = logging.getLogger("hmi.ui")

PAGE_SIZE = 50


class AuditModel(ReadOnlyTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._records: list[AuditRecord] = []
        self._headers = (self.tr("Time"), self.tr("Who"), self.tr("What"), self.tr("MO"))

    def set_records(self, records: list[AuditRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    @property
    def records(self) -> list[AuditRecord]:
        return list(self._records)

    def _row_count(self) -> int:
        return len(self._records)

    def _column_count(self) -> int:
        return len(self._headers)

    def _header_text(self, section: int) -> str:
        return self._headers[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # Log records stay English (they are the plant's record); the headers are translated.
            return (format_local_time(record.timestamp), record.actor or "", record.message,
                    record.mo_id or "")[index.column()]
        return None


class AuditTab(QWidget):
    def __init__(self, fetch: Callable[..., Awaitable[AuditPage]], spawn, parent: QWidget | None = None, *,
                 clock: PlantClock | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTab")
        #: The day filter's days are the plant's (PLANT_TIMEZONE).
        self.clock = clock or plant_clock()
        self._fetch = fetch
        self._spawn = spawn
        self._loading: asyncio.Task | None = None
        self._wanted: int | None = None
        self.offset = 0
        self.total = 0
        self.loaded_once = False
        self.actor_filter = QLineEdit(self)
        self.actor_filter.setObjectName("auditActor")
        self.actor_filter.setPlaceholderText(self.tr("who, e.g. Budi or api"))
        self.action_filter = QLineEdit(self)
        self.action_filter.setObjectName("auditAction")
        self.action_filter.setPlaceholderText(self.tr("what, e.g. Clear or signed in"))
        self.day_check = QCheckBox(self.tr("Day"), self)
        self.day = QDateEdit(QDate(plant_today(self.clock)), self)  # the plant's date, not the PC's
        self.day.setCalendarPopup(True)
        self.day.setEnabled(False)
        self.day_check.toggled.connect(self.day.setEnabled)
        self.apply_button = QPushButton(self.tr("Show"), self)
        self.previous_button = QPushButton(self.tr("◀ Newer"), self)
        self.next_button = QPushButton(self.tr("Older ▶"), self)
        self.page_label = QLabel(self)
        self.page_label.setObjectName("auditPageLabel")
        for field in (self.actor_filter, self.action_filter):
            field.returnPressed.connect(self.reload)
        self.apply_button.clicked.connect(self.reload)
        self.day_check.toggled.connect(lambda _on: self.reload())
        self.day.dateChanged.connect(lambda _d: self.reload() if self.day_check.isChecked() else None)
        self.previous_button.clicked.connect(lambda: self._load(max(0, self.offset - PAGE_SIZE)))
        self.next_button.clicked.connect(lambda: self._load(self.offset + PAGE_SIZE))

        self.model = AuditModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("auditTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("2026-11-30 23:59:59") + 24)
        header.resizeSection(1, 180)

        filters = QHBoxLayout()
        filters.addWidget(self.actor_filter, 1)
        filters.addWidget(self.action_filter, 2)
        filters.addWidget(self.day_check)
        filters.addWidget(self.day)
        filters.addWidget(self.apply_button)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pages.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(pages)

    def reload(self) -> None:
        self._load(0)

    def _range(self) -> tuple[datetime | None, datetime | None]:
        if not self.day_check.isChecked():
            return None, None
        day = self.day.date().toPython()
        return self.clock.day_start(day), self.clock.day_start(day + timedelta(days=1))  # the plant's day

    def _load(self, offset: int) -> None:
        """Read a page; requests that arrive while one is being read give one more read (the newest
        filters and page), so repeated Refresh presses or typing never queue up database reads."""
        self._wanted = offset
        if self._loading is not None and not self._loading.done():
            return
        self._loading = self._spawn(self._fetch_wanted())

    async def _fetch_wanted(self) -> None:
        while self._wanted is not None:
            offset, self._wanted = self._wanted, None
            await self._fetch_page(offset)

    async def _fetch_page(self, offset: int) -> None:
        since, until = self._range()
        try:
            page = await self._fetch(self.actor_filter.text().strip() or None,
                                     self.action_filter.text().strip() or None, since, until, PAGE_SIZE, offset)
        except Exception as exc:  # noqa: BLE001 - the tab says it, the window keeps running
            self.page_label.setText(self.tr("The audit trail cannot be read: {error}").format(error=plain_error(str(exc))))
            return
        self.loaded_once = True
        self.offset, self.total = page.offset, page.total
        self.model.set_records(page.records)
        if page.total:
            self.page_label.setText(self.tr("{first}–{last} of {total}").format(
                first=page.offset + 1, last=page.offset + len(page.records), total=page.total))
        else:
            self.page_label.setText(self.tr("No records match"))
        self.previous_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + len(page.records) < page.total)
