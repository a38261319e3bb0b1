"""History tab: mo_histories, 50 per page, filtered by status, date range and MO text.

Pages come from the service layer (``AdminService.history``) in an awaited task; a page
replaces the previous one (a model reset is right here: it is a different page, not an
update of the same rows). Pages go by cursor (hmi.store.history): Next continues after the
last row shown, Previous goes back to where the page before started, so page 2,000 costs
what page 1 costs. A total the store only estimated is shown as "about 900,000"; the
label beside the MO field says how the text is matched ("contains" or "starts with").
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Awaitable, Callable, Coroutine

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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
from hmi.domain import HistoryStatus
from hmi.records import HistoryEntry, HistoryPage
from hmi.services.messages import first_line
from hmi.ui.formatting import (NO_VALUE, format_allowed_kg, format_kg, format_local_time, plain_error, plant_clock,
                                plant_today)
from hmi.ui.table_model import ReadOnlyTableModel

log = logging.getLogger("hmi.ui")

PAGE_SIZE = 50

#: AdminService.history: (status, mo, limit, offset, cursor, since, until) -> HistoryPage
HistoryFetch = Callable[..., Awaitable[HistoryPage]]
Spawn = Callable[[Coroutine], "asyncio.Task"]

_COLUMNS = (QT_TRANSLATE_NOOP("HistoryModel", "Archived"), QT_TRANSLATE_NOOP("HistoryModel", "MO"),
            QT_TRANSLATE_NOOP("HistoryModel", "Batch"), QT_TRANSLATE_NOOP("HistoryModel", "Product"),
            QT_TRANSLATE_NOOP("HistoryModel", "Status"), QT_TRANSLATE_NOOP("HistoryModel", "Actual kg"),
            QT_TRANSLATE_NOOP("HistoryModel", "By"), QT_TRANSLATE_NOOP("HistoryModel", "Notes"))
MO_FILTER_HINT = QT_TRANSLATE_NOOP("HistoryTab", "part of an MO, e.g. MO/0012")

#: Notes written by earlier versions named database columns; the operator reads these words instead.
_NOTE_WORDS = {
    "Auto-cancelled: status_operation=1 (failed) detected from PLC":
        "Cancelled automatically: the PLC reported the batch as failed",
}


def note_text(notes: str | None) -> str:
    return _NOTE_WORDS.get(notes or "", notes or "")


#: History statuses as the operator reads them: capitals, like the batch table's states.
STATUS_WORDS = {
    "completed": QT_TRANSLATE_NOOP("HistoryModel", "COMPLETED"),
    "failed": QT_TRANSLATE_NOOP("HistoryModel", "FAILED"),
    "cancelled": QT_TRANSLATE_NOOP("HistoryModel", "CANCELLED"),
    "cleared": QT_TRANSLATE_NOOP("HistoryModel", "CLEARED"),
}


def status_word(status: str) -> str:
    """History statuses read as the batch table's states: capitals (COMPLETED, CANCELLED), in the
    window's language; a status this version does not know shows as stored, in capitals."""
    word = STATUS_WORDS.get(status.lower())
    return QCoreApplication.translate("HistoryModel", word) if word else status.upper()

#: With tolerances: the dosing verdict of each completed batch, after the notes.
TOLERANCE_COLUMN = QT_TRANSLATE_NOOP("HistoryModel", "Tolerance")
#: The status filter's entry for batches dosed outside tolerance (its data; the combo shows OUTSIDE_WORD).
OUTSIDE_FILTER = "out of tolerance"
OUTSIDE_WORD = QT_TRANSLATE_NOOP("HistoryTab", "OUT OF TOLERANCE")
VerdictFetch = Callable[[list[str]], Awaitable[dict]]
#: ToleranceService.outside_history: (mo, limit, offset, cursor, since, until) -> HistoryPage, by cursor too.


class HistoryModel(ReadOnlyTableModel):
    def __init__(self, parent=None, with_tolerance: bool = False) -> None:
        super().__init__(parent)
        self._entries: list[HistoryEntry] = []
        self._columns = _COLUMNS + ((TOLERANCE_COLUMN,) if with_tolerance else ())
        #: mo_id -> (verdict, {silo: {"target", "actual", "deviation", "allowed", "within"}})
        self.verdicts: dict[str, tuple[str | None, dict]] = {}
        #: The plant clock the times read in (None: the window's).
        self.clock: PlantClock | None = None

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    @property
    def entries(self) -> list[HistoryEntry]:
        return list(self._entries)

    def _row_count(self) -> int:
        return len(self._entries)

    def _column_count(self) -> int:
        return len(self._columns)

    def _header_text(self, section: int) -> str:
        return self.tr(self._columns[section])

    def set_verdicts(self, verdicts: dict) -> None:
        self.verdicts = dict(verdicts)
        if self._entries and len(self._columns) > len(_COLUMNS):
            column = len(_COLUMNS)
            self.dataChanged.emit(self.index(0, column), self.index(len(self._entries) - 1, column))

    def _tolerance(self, entry: HistoryEntry, role: int):
        verdict, deviations = self.verdicts.get(entry.mo_id, (None, {}))
        if verdict is None:
            return None if role != Qt.ItemDataRole.DisplayRole else ""
        outside = {silo: d for silo, d in deviations.items() if not d.get("within", True)}
        if role == Qt.ItemDataRole.DisplayRole:
            if verdict != "outside":
                return self.tr("within")
            silo, worst = max(outside.items(), key=lambda item: abs(item[1].get("deviation", 0)),
                              default=("?", {"deviation": 0}))
            return self.tr("OUTSIDE: silo {silo} {deviation} kg").format(
                silo=silo, deviation=f"{worst.get('deviation', 0):+.2f}")
        if role == Qt.ItemDataRole.DecorationRole and verdict == "outside":
            from hmi.ui.shapes import Shape, shape_icon

            return shape_icon(Shape.WARNING)
        if role == Qt.ItemDataRole.ToolTipRole:
            line = self.tr("silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg, "
                           "allowed ±{allowed} kg")
            return "\n".join(line.format(silo=silo, target=f"{d.get('target'):g}", actual=f"{d.get('actual'):g}",
                                          deviation=f"{d.get('deviation', 0):+.2f}",
                                          allowed=format_allowed_kg(d.get('allowed', 0)))
                             + ("" if d.get("within", True) else "  OUTSIDE")
                             for silo, d in deviations.items())
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if index.column() == len(_COLUMNS):
            return self._tolerance(entry, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                format_local_time(entry.archived_at, self.clock),
                entry.mo_id,
                str(entry.batch_no),
                entry.product_name or NO_VALUE,
                status_word(entry.status),
                format_kg(entry.actual_weight),
                entry.actor or NO_VALUE,
                note_text(entry.notes),
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (3, 7):
            return (entry.product_name if index.column() == 3 else note_text(entry.notes)) or None
        return None


class HistoryTab(QWidget):
    def __init__(self, fetch: HistoryFetch, spawn: Spawn, parent: QWidget | None = None, *,
                 outside_fetch: HistoryFetch | None = None,
                 verdict_fetch: VerdictFetch | None = None, clock: PlantClock | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        #: The date filters' days are the plant's (PLANT_TIMEZONE).
        self.clock = clock or plant_clock()
        self._fetch = fetch
        self._outside_fetch = outside_fetch
        self._verdict_fetch = verdict_fetch
        self._spawn = spawn
        #: Cursor each visited page started from (None: the first page); the last is this page's.
        self._starts: list[str | None] = [None]
        self._next_cursor: str | None = None
        self._total = 0
        self._estimate = False
        self._generation = 0
        self.loaded_once = False

        self.status_combo = QComboBox(self)
        self.status_combo.addItem("", None)
        for status in HistoryStatus:
            self.status_combo.addItem("", status.value)
        if outside_fetch is not None:
            self.status_combo.addItem("", OUTSIDE_FILTER)
        self.status_combo.currentIndexChanged.connect(self._filters_changed)
        status_label = self.status_label = QLabel(self)
        status_label.setBuddy(self.status_combo)

        self.mo_filter = QLineEdit(self)
        self.mo_filter.setClearButtonEnabled(True)
        self.mo_filter.editingFinished.connect(self._filters_changed)
        mo_label = self.mo_label = QLabel(self)
        mo_label.setBuddy(self.mo_filter)
        self.search_mode_label = QLabel("", self)
        self.search_mode_label.setObjectName("historySearchMode")
        self._search_mode: str | None = None  # "contains" / "starts with" once a page said so
        self._loading = False
        self._unavailable = False  # the last page could not be read

        today = QDate(plant_today(self.clock))  # the plant's date, not the PC's
        self.from_check = QCheckBox(self)
        self.from_date = QDateEdit(today.addDays(-30), self)
        self.to_check = QCheckBox(self)
        self.to_date = QDateEdit(today, self)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._filters_changed)
            edit.dateChanged.connect(self._date_changed)

        self.prev_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.refresh_button = QPushButton(self)
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.refresh_button.clicked.connect(self.reload)
        self.page_label = QLabel("", self)

        self.model = HistoryModel(self, with_tolerance=verdict_fetch is not None)
        self.model.clock = self.clock  # the Archived column in plant time
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        # Two rows, so the tab never makes the window wider than it was.
        filters = QHBoxLayout()
        for widget in (status_label, self.status_combo, mo_label, self.mo_filter, self.search_mode_label,
                       self.refresh_button):
            filters.addWidget(widget)
        filters.addStretch(1)
        paging = QHBoxLayout()
        for widget in (self.from_check, self.from_date, self.to_check, self.to_date):
            paging.addWidget(widget)
        paging.addStretch(1)
        paging.addWidget(self.page_label)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addLayout(paging)
        layout.addWidget(self.view)
        self.retranslate()
        self._update_paging()

    # ------------------------------------------------------------------ paging

    @property
    def total(self) -> int:
        return self._total

    @property
    def total_is_estimate(self) -> bool:
        return self._estimate

    @property
    def page_number(self) -> int:
        return len(self._starts)

    @property
    def offset(self) -> int:
        return (len(self._starts) - 1) * PAGE_SIZE

    def reload(self) -> None:
        self._spawn(self.load_page())

    def previous_page(self) -> None:
        if len(self._starts) > 1:
            self._starts.pop()
            self.reload()

    def next_page(self) -> None:
        if self._next_cursor:
            self._starts.append(self._next_cursor)
            self.reload()

    def _filters_changed(self, *_args) -> None:
        self._starts = [None]
        self.reload()

    def _date_changed(self, *_args) -> None:
        if self.from_check.isChecked() or self.to_check.isChecked():
            self._filters_changed()

    def date_range(self) -> tuple[datetime | None, datetime | None]:
        """(since, until) as aware local times: From's midnight, the midnight after To."""
        since = until = None
        if self.from_check.isChecked():
            since = _midnight(self.clock, self.from_date.date())
        if self.to_check.isChecked():
            until = _midnight(self.clock, self.to_date.date().addDays(1))
        return since, until

    async def load_page(self) -> None:
        self._generation += 1
        generation = self._generation
        status = self.status_combo.currentData()
        mo_text = self.mo_filter.text().strip() or None
        since, until = self.date_range()
        self._loading = True
        self.page_label.setText(self.tr("Loading…"))
        try:
            if status == OUTSIDE_FILTER and self._outside_fetch is not None:
                page = await self._outside_fetch(mo_text, PAGE_SIZE, 0, self._starts[-1], since, until)
            else:
                page = await self._fetch(status, mo_text, PAGE_SIZE, 0, self._starts[-1], since, until)
            verdicts = (await self._verdict_fetch([e.mo_id for e in page.entries])
                        if self._verdict_fetch is not None else {})
        except Exception as exc:  # noqa: BLE001 - show it; the tab stays usable
            if generation == self._generation:
                self._loading = False
                self._unavailable = True
                self.page_label.setText(self.tr("History unavailable: the database cannot be read"))
                self.page_label.setToolTip(plain_error(str(exc)))
            log.error("Reading the history failed: %s", first_line(exc))
            return
        if generation != self._generation:
            return  # a newer request was made while this one ran
        if not page.entries and len(self._starts) > 1:
            self._starts = [None]  # the rows behind this page are gone: start again from the newest
            self.reload()
            return
        self.loaded_once = True
        self._loading = False
        self._unavailable = False
        self._total = page.total
        self._estimate = page.total_is_estimate
        self._next_cursor = page.next_cursor
        self._show_search_mode(page.search_mode)
        self.model.set_entries(page.entries)
        self.model.set_verdicts(verdicts)
        self.view.resizeColumnsToContents()
        self._update_paging()

    def _show_search_mode(self, mode: str | None) -> None:
        self._search_mode = mode
        if mode is None:
            return
        if mode == "starts with":
            self.search_mode_label.setText(self.tr("starts with"))
            self.mo_filter.setPlaceholderText(self.tr("start of an MO, e.g. WH/MO/0012"))
            self.search_mode_label.setToolTip(self.tr("The MO text matches the start of the MO name: this database "
                                                      "has no trigram index (PostgreSQL pg_trgm or SQLite FTS5)"))
        else:
            self.search_mode_label.setText(self.tr("contains"))
            self.mo_filter.setPlaceholderText(self.tr(MO_FILTER_HINT))
            self.search_mode_label.setToolTip(self.tr("The MO text matches anywhere in the MO name (trigram index)"))

    def _update_paging(self) -> None:
        page = len(self._starts)
        entries = self.tr("entry") if self._total == 1 else self.tr("entries")
        if self._estimate:
            self.page_label.setText(self.tr("Page {page} · about {total} {entries}").format(
                page=page, total=about(self._total), entries=entries))
        else:
            pages = max(1, -(-self._total // PAGE_SIZE))
            self.page_label.setText(self.tr("Page {page} of {pages} · {total} {entries}").format(
                page=page, pages=pages, total=f"{self._total:,}", entries=entries))
        self.prev_button.setEnabled(page > 1)
        self.prev_button.setToolTip("" if page > 1 else self.tr("This is the first page"))
        has_next = self._next_cursor is not None
        self.next_button.setEnabled(has_next)
        self.next_button.setToolTip("" if has_next else self.tr("This is the last page"))

    def retranslate(self) -> None:
        """The tab's words in the window's language (notes and names from the database stay as stored)."""
        self.status_combo.setItemText(0, self.tr("All statuses"))
        for index in range(1, self.status_combo.count()):
            data = self.status_combo.itemData(index)
            self.status_combo.setItemText(index, self.tr(OUTSIDE_WORD) if data == OUTSIDE_FILTER
                                          else status_word(data))
        self.status_label.setText(self.tr("&Status:"))
        hint = self.tr(MO_FILTER_HINT)
        self.mo_filter.setPlaceholderText(hint)
        self.mo_filter.setToolTip(self.tr("Shows entries whose MO contains this text; Enter applies it"))
        # The whole hint fits, with room for the clear button.
        self.mo_filter.setMinimumWidth(self.mo_filter.fontMetrics().horizontalAdvance(hint) + 64)
        self.mo_label.setText(self.tr("&MO:"))
        self.prev_button.setText(self.tr("&Previous"))
        self.next_button.setText(self.tr("&Next"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.from_check.setText(self.tr("&From"))
        self.to_check.setText(self.tr("&To"))
        for edit in (self.from_date, self.to_date):
            edit.setToolTip(self.tr("Tick the box to filter by this date (local time, whole days)"))
        self._show_search_mode(self._search_mode)
        if self._loading:
            self.page_label.setText(self.tr("Loading…"))
        elif self._unavailable:
            self.page_label.setText(self.tr("History unavailable: the database cannot be read"))
        else:
            self._update_paging()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        if self.model.rowCount():  # the status words and verdicts of the rows shown
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1))


def about(count: int) -> str:
    """An estimate to two significant digits: 899,820 -> '900,000'."""
    if count < 100:
        return f"{count:,}"
    digits = len(str(count)) - 2
    return f"{round(count, -digits):,}"


def _midnight(clock: PlantClock, day: QDate) -> datetime:
    """Midnight of a plant calendar day, as an aware datetime."""
    return clock.day_start(day.toPython())


__all__ = ["PAGE_SIZE", "HistoryModel", "HistoryTab", "about"]
