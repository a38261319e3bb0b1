"""The batch table model: one row per mo_batch row, keyed by mo_id.

``apply(batches)`` merges a fresh snapshot from the service layer into the model with
row-level signals (dataChanged for rows whose content changed, beginInsertRows /
beginRemoveRows / beginMoveRows for the rest). A poll never resets the model, so the
selection, the scroll position and the operator's eye stay where they were.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hmi.domain import Batch, BatchState
from hmi.ui.formatting import NO_VALUE, format_age, format_kg, format_local_time
from hmi.ui.shapes import Shape, shape_icon

#: The whole Batch behind a row (for the delegate and the detail dialog).
BATCH_ROLE = Qt.ItemDataRole.UserRole + 1

LOCKED_TOOLTIP = "Completed by the PLC: protected from further PLC readings"


class Column(enum.IntEnum):
    BATCH_NO = 0
    MO = 1
    PRODUCT = 2
    TARGET_KG = 3
    ACTUAL_KG = 4
    SILOS = 5
    HAND_ADD = 6
    STATE = 7
    LAST_READING = 8


HEADERS = {
    Column.BATCH_NO: "Batch",
    Column.MO: "MO",
    Column.PRODUCT: "Product",
    Column.TARGET_KG: "Target kg",
    Column.ACTUAL_KG: "Actual kg",
    Column.SILOS: "Silos (actual / target)",
    Column.HAND_ADD: "By hand",
    Column.STATE: "State",
    Column.LAST_READING: "Last PLC reading",
}

HEADER_TOOLTIPS = {
    Column.SILOS: "Each used silo (A..M) and tank (114 TETES, 115 FML): bar = actual dosed against target",
    Column.HAND_ADD: "Components added by hand (no silo): how many are still OPEN (not confirmed)",
    Column.LAST_READING: "Time since the PLC last reported this batch",
}

#: A DONE batch whose hand-added components are not all confirmed says so in its state.
DONE_HAND_ADD_OPEN = "DONE — hand-add open"

STATE_TEXT = {
    BatchState.QUEUED: "QUEUED",
    BatchState.RUNNING: "RUNNING",
    BatchState.DONE: "DONE (locked)",
    BatchState.REPORTED: "REPORTED",
    BatchState.FAILED: "FAILED",
    BatchState.ATTENTION: "ATTENTION",
}

STATE_SHAPE = {
    BatchState.QUEUED: Shape.RING,
    BatchState.RUNNING: Shape.PLAY,
    BatchState.DONE: Shape.LOCK,
    BatchState.REPORTED: Shape.CHECK,
    BatchState.FAILED: Shape.CROSS,
    BatchState.ATTENTION: Shape.WARNING,
}

STATE_TOOLTIP = {
    BatchState.QUEUED: "Stored and written to the PLC; no reading yet",
    BatchState.RUNNING: "The PLC reports dosing progress",
    BatchState.DONE: LOCKED_TOOLTIP,
    BatchState.REPORTED: "Actual consumption pushed to Odoo; about to move to history",
    BatchState.FAILED: "The PLC reported the batch as failed (status_operation = 1)",
    BatchState.ATTENTION: "Pushing to Odoo failed too often: an operator must look at it",
}

#: Only abnormal states get a background tint (ISA-101: colour for exceptions only).
ABNORMAL_BACKGROUND = {
    BatchState.FAILED: QColor("#f3c7c7"),
    BatchState.ATTENTION: QColor("#f7e2b0"),
}


def hand_add_text(batch: Batch) -> str:
    """'2 OPEN' / 'confirmed' / '' : what the batch table shows of the hand-added checklist."""
    if not batch.hand_added:
        return ""
    open_count = len(batch.hand_added_open)
    return f"{open_count} OPEN" if open_count else "confirmed"


def state_text(batch: Batch) -> str:
    state = batch.state
    if state is BatchState.DONE and batch.hand_added_open:
        return DONE_HAND_ADD_OPEN
    return STATE_TEXT[state]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class BatchTableModel(QAbstractTableModel):
    def __init__(self, parent=None, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._rows: list[Batch] = []
        self._clock = clock

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TOOLTIPS.get(column)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        batch = self._rows[index.row()]
        column = Column(index.column())
        state = batch.state
        if role == BATCH_ROLE:
            return batch
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(batch, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(batch, column)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATE:
            return shape_icon(STATE_SHAPE[state])
        if role == Qt.ItemDataRole.DecorationRole and column == Column.HAND_ADD and batch.hand_added:
            return shape_icon(Shape.RING if batch.hand_added_open else Shape.CHECK)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.BATCH_NO, Column.TARGET_KG, Column.ACTUAL_KG, Column.LAST_READING):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and state in ABNORMAL_BACKGROUND:
            return QBrush(ABNORMAL_BACKGROUND[state])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(batch, column)}"
        return None

    # ------------------------------------------------------------------ contents

    @property
    def batches(self) -> list[Batch]:
        return list(self._rows)

    def batch_at(self, row: int) -> Batch | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def apply(self, batches: Sequence[Batch]) -> None:
        """Merge a fresh snapshot (ordered as the store lists it) with row-level signals only."""
        wanted = list(batches)
        wanted_ids = {b.mo_id for b in wanted}
        # 1. Rows that left the table (archived, cleared), bottom-up so indices stay valid.
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].mo_id not in wanted_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        # 2. Walk the wanted order: update in place, move, or insert.
        last_column = len(Column) - 1
        for row, batch in enumerate(wanted):
            current = self._rows[row] if row < len(self._rows) else None
            if current is not None and current.mo_id == batch.mo_id:
                if current != batch:
                    self._rows[row] = batch
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
                continue
            existing = next((r for r in range(row + 1, len(self._rows)) if self._rows[r].mo_id == batch.mo_id), None)
            if existing is not None:
                self.beginMoveRows(QModelIndex(), existing, existing, QModelIndex(), row)
                moved = self._rows.pop(existing)
                self._rows.insert(row, moved)
                self.endMoveRows()
                if moved != batch:
                    self._rows[row] = batch
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
            else:
                self.beginInsertRows(QModelIndex(), row, row)
                self._rows.insert(row, batch)
                self.endInsertRows()

    def refresh_ages(self) -> None:
        """Time moves on: only the age column changes (called by the window's 1 s UI clock)."""
        if self._rows:
            column = Column.LAST_READING
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column),
                                  [Qt.ItemDataRole.DisplayRole])

    # ------------------------------------------------------------------ text

    def _display(self, batch: Batch, column: Column) -> str:
        if column == Column.BATCH_NO:
            return str(batch.batch_no)
        if column == Column.MO:
            return batch.mo_id
        if column == Column.PRODUCT:
            return batch.product_name or NO_VALUE
        if column == Column.TARGET_KG:
            return format_kg(batch.target_total_kg)
        if column == Column.ACTUAL_KG:
            return format_kg(batch.actual_total_kg) if batch.last_read_from_plc or batch.is_locked else NO_VALUE
        if column == Column.SILOS:
            # The delegate draws bars; this text is for screen readers, copy and tests.
            return "  ".join(f"{line.silo.label} {format_kg(line.actual_kg or 0.0)}/{format_kg(line.target_kg)}"
                             for line in batch.dosing_lines)
        if column == Column.HAND_ADD:
            return hand_add_text(batch)
        if column == Column.STATE:
            return state_text(batch)
        if column == Column.LAST_READING:
            return format_age(batch.last_read_from_plc, self._clock())
        return ""

    def _tooltip(self, batch: Batch, column: Column) -> str | None:
        state = batch.state
        if column == Column.STATE:
            text = STATE_TOOLTIP[state]
            if batch.last_push_error:
                text += f"\nLast push error: {batch.last_push_error}"
            return text
        if column == Column.SILOS:
            return "\n".join(
                f"{line.silo.long_label}: {line.component_name or '?'} — "
                f"{format_kg(line.actual_kg or 0.0)} of {format_kg(line.target_kg)} kg"
                for line in batch.dosing_lines) or "No silo in this recipe"
        if column == Column.HAND_ADD:
            return "\n".join(
                f"{line.product_name}: target {format_kg(line.target_kg)} kg — "
                + (f"{format_kg(line.actual_kg)} kg by {line.confirmed_by}" if line.is_confirmed else "OPEN")
                for line in batch.hand_added) or "Nothing is added by hand in this recipe"
        if column == Column.LAST_READING:
            return f"Last PLC reading: {format_local_time(batch.last_read_from_plc)}"
        if batch.is_locked:
            return LOCKED_TOOLTIP
        return "Double-click for every silo of this batch"
