"""Failures tab: the PLC's equipment-failure records, latest occurrence first, with filters and
acknowledgement.

One row per PLC record; "Occurrences" counts how often the PLC raised it, and "Read" is when the
latest occurrence was read (a new occurrence makes the record unacknowledged again). Rows come
from the service layer (``EquipmentFailureService.list``) in an awaited task. An operator
acknowledges the selected record (who did it is stored); the window's banner stays up while any
record is unacknowledged.

The frame is in the window's language; what the PLC sent (equipment code, failure text, PLC time)
and the Odoo error stay as they came.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable, Coroutine

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.records import StoredFailure
from hmi.ui.formatting import NO_VALUE, format_local_time
from hmi.ui.table_model import ReadOnlyTableModel
from hmi.ui.tabs import set_own_tab_title

log = logging.getLogger("hmi.ui")

LIMIT = 500
Spawn = Callable[[Coroutine], "asyncio.Task"]

_COLUMNS = (QT_TRANSLATE_NOOP("FailuresModel", "PLC time"), QT_TRANSLATE_NOOP("FailuresModel", "Equipment"),
            QT_TRANSLATE_NOOP("FailuresModel", "Failure"), QT_TRANSLATE_NOOP("FailuresModel", "Occurrences"),
            QT_TRANSLATE_NOOP("FailuresModel", "Read"), QT_TRANSLATE_NOOP("FailuresModel", "Odoo"),
            QT_TRANSLATE_NOOP("FailuresModel", "Acknowledged"), QT_TRANSLATE_NOOP("FailuresModel", "Notes"))
OCCURRENCES_COLUMN, ODOO_COLUMN, NOTES_COLUMN = 3, 5, 7


def _odoo_state(failure: StoredFailure) -> str:
    if failure.fully_reported:
        return QCoreApplication.translate("FailuresModel", "REPORTED")
    if failure.last_report_error:
        return QCoreApplication.translate("FailuresModel", "NOT REPORTED (retrying)")
    return QCoreApplication.translate("FailuresModel", "PENDING")


class FailuresModel(ReadOnlyTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[StoredFailure] = []

    def set_rows(self, rows: list[StoredFailure]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[StoredFailure]:
        return list(self._rows)

    def _row_count(self) -> int:
        return len(self._rows)

    def _column_count(self) -> int:
        return len(_COLUMNS)

    def _header_text(self, section: int) -> str:
        return self.tr(_COLUMNS[section])

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(_COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(_COLUMNS) - 1))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            acknowledged = (self.tr("by {who}").format(who=row.acknowledged_by) if row.acknowledged_at
                            else self.tr("NO"))
            return (
                row.failure_time_text,
                row.equipment_code,
                row.info or NO_VALUE,
                str(row.occurrences),
                format_local_time(row.last_occurred_at),
                _odoo_state(row),
                acknowledged,
                row.notes or "",
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == OCCURRENCES_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == ODOO_COLUMN and row.last_report_error and not row.fully_reported:
                return row.last_report_error
            if index.column() == NOTES_COLUMN:
                return row.notes or None
        return None


class FailuresTab(QWidget):
    #: An operator acknowledged a record (the window updates its banner).
    acknowledged = Signal()

    def __init__(self, service, spawn: Spawn, actor: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("failuresTab")
        self._service = service
        self._spawn = spawn
        self._actor = actor
        self._generation = 0
        self.loaded_once = False
        #: What the count label says, kept as data so a language switch can say it again.
        self._count: int | None = None
        self._error: str | None = None

        self.equipment_filter = QLineEdit(self)
        self.equipment_filter.setClearButtonEnabled(True)
        self.equipment_filter.editingFinished.connect(self.reload)
        self.equipment_label = equipment_label = QLabel(self)
        equipment_label.setBuddy(self.equipment_filter)

        self.text_filter = QLineEdit(self)
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.editingFinished.connect(self.reload)
        self.text_label = text_label = QLabel(self)
        text_label.setBuddy(self.text_filter)

        self.unacknowledged_only = QCheckBox(self)
        self.unacknowledged_only.toggled.connect(self.reload)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.reload)
        self.acknowledge_button = QPushButton(self)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.count_label = QLabel("", self)

        self.model = FailuresModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        filters = QHBoxLayout()
        for widget in (equipment_label, self.equipment_filter, text_label, self.text_filter,
                       self.unacknowledged_only, self.refresh_button):
            filters.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.acknowledge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.view)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text (and the tab's title) in the window's language; the list follows at once."""
        set_own_tab_title(self, self.tr("Equipment fai&lures"))
        self.equipment_filter.setPlaceholderText(self.tr("equipment code, e.g. MIXER01"))
        self.equipment_label.setText(self.tr("&Equipment:"))
        self.text_filter.setPlaceholderText(self.tr("part of the failure text"))
        for edit in (self.equipment_filter, self.text_filter):
            # Room for the whole hint in either language when the window has it (the layout stretches
            # the edits up to this); a narrow window still fits, with the hint cut.
            edit.setMaximumWidth(max(160, edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 48))
        self.text_label.setText(self.tr("&Text:"))
        self.unacknowledged_only.setText(self.tr("&Unacknowledged only"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.acknowledge_button.setText(self.tr("&Acknowledge"))
        self.view.setAccessibleName(self.tr("Equipment failures"))
        self.model.retranslate()
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        if self._error is not None:
            self.count_label.setText(self.tr("Failures unavailable: {error}").format(error=self._error))
        elif self._count is None:
            self.count_label.setText("")
        else:
            records = self.tr("record") if self._count == 1 else self.tr("records")
            text = self.tr("{count} {records}").format(count=self._count, records=records)
            if self._count == LIMIT:
                text = self.tr("{records} (newest {limit})").format(records=text, limit=LIMIT)
            self.count_label.setText(text)

    def reload(self, *_args) -> None:
        self._spawn(self.load())

    async def load(self) -> None:
        self._generation += 1
        generation = self._generation
        try:
            rows = await self._service.list(
                equipment_code=self.equipment_filter.text().strip() or None,
                text=self.text_filter.text().strip() or None,
                unacknowledged_only=self.unacknowledged_only.isChecked(), limit=LIMIT)
        except Exception as exc:  # noqa: BLE001 - show it; the tab stays usable
            if generation == self._generation:
                self._error = str(exc)
                self._update_count()
            log.error("Reading the equipment failures failed: %s", exc)
            return
        if generation != self._generation:
            return
        self.loaded_once = True
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self._error = None
        self._count = len(rows)
        self._update_count()
        self._update_buttons()

    def selected(self) -> StoredFailure | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        return self.model.rows[index] if 0 <= index < self.model.rowCount() else None

    def acknowledge_selected(self) -> None:
        failure = self.selected()
        if failure is None or failure.acknowledged_at is not None:
            return
        self._spawn(self._acknowledge(failure.id))

    async def _acknowledge(self, failure_id: int) -> None:
        await self._service.acknowledge(failure_id, self._actor())
        await self.load()
        self.acknowledged.emit()

    def _update_buttons(self, *_args) -> None:
        failure = self.selected()
        enabled = failure is not None and failure.acknowledged_at is None
        self.acknowledge_button.setEnabled(enabled)
        if failure is None:
            tip = self.tr("Select a failure record")
        elif failure.acknowledged_at is not None:
            tip = self.tr("Acknowledged by {who}").format(who=failure.acknowledged_by)
        else:
            tip = self.tr("Mark the selected failure as seen (your user name is stored)")
        self.acknowledge_button.setToolTip(tip)
