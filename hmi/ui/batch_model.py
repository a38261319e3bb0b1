"""The batch table model: one row per mo_batch row, keyed by mo_id.

``apply(batches)`` merges a fresh snapshot from the service layer into the model with
row-level signals (dataChanged for rows whose content changed, beginInsertRows /
beginRemoveRows / beginMoveRows for the rest). A poll never resets the model, so the
selection, the scroll position and the operator's eye stay where they were.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Callable, Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from hmi.domain import Batch, BatchState
from hmi.services.health import LinkQuality
from hmi.clock import utc_now
from hmi.ui.formatting import NO_VALUE, format_age, format_kg, format_local_time
from hmi.ui.shapes import Shape, shape_icon
from hmi.ui.table_model import ReadOnlyTableModel
from hmi.ui.tolerance_view import deviation_text, deviation_tooltip, figures_lines

#: The whole Batch behind a row (for the delegate and the detail dialog).
BATCH_ROLE = Qt.ItemDataRole.UserRole + 1
#: True while the row's PLC values are current (False: STALE/OFFLINE, drawn as "not current").
CURRENT_ROLE = Qt.ItemDataRole.UserRole + 2

LOCKED_TOOLTIP = QT_TRANSLATE_NOOP("BatchTableModel",
                                   "Completed by the PLC: protected from further PLC readings")


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
    DEVIATION = 9


def _t(text: str) -> str:
    """The table's words in the window's language (hmi.ui.i18n)."""
    return QCoreApplication.translate("BatchTableModel", text)


HEADERS = {
    Column.BATCH_NO: QT_TRANSLATE_NOOP("BatchTableModel", "Batch"),
    Column.MO: QT_TRANSLATE_NOOP("BatchTableModel", "MO"),
    Column.PRODUCT: QT_TRANSLATE_NOOP("BatchTableModel", "Product"),
    Column.TARGET_KG: QT_TRANSLATE_NOOP("BatchTableModel", "Target kg"),
    Column.ACTUAL_KG: QT_TRANSLATE_NOOP("BatchTableModel", "Actual kg"),
    Column.SILOS: QT_TRANSLATE_NOOP("BatchTableModel", "Silos (actual / target)"),
    Column.HAND_ADD: QT_TRANSLATE_NOOP("BatchTableModel", "By hand"),
    Column.STATE: QT_TRANSLATE_NOOP("BatchTableModel", "State"),
    Column.LAST_READING: QT_TRANSLATE_NOOP("BatchTableModel", "Last PLC reading"),
    Column.DEVIATION: QT_TRANSLATE_NOOP("BatchTableModel", "Batch deviation"),
}

NOT_CURRENT_COLUMNS = (Column.ACTUAL_KG, Column.SILOS, Column.STATE, Column.LAST_READING)

HEADER_TOOLTIPS = {
    Column.SILOS: QT_TRANSLATE_NOOP("BatchTableModel", "Each used silo (A..M) and tank (114 TETES, 115 FML): "
                                                       "bar = actual dosed against target"),
    Column.HAND_ADD: QT_TRANSLATE_NOOP("BatchTableModel", "Components added by hand (no silo): how many are still OPEN "
                                                          "(not confirmed)"),
    Column.LAST_READING: QT_TRANSLATE_NOOP("BatchTableModel", "Time since the PLC last reported this batch"),
    Column.TARGET_KG: QT_TRANSLATE_NOOP("BatchTableModel", "The silos' targets and the hand-added components "
                                                           "confirmed; under it what is still OPEN by hand"),
    Column.ACTUAL_KG: QT_TRANSLATE_NOOP("BatchTableModel", "Dosed by the silos and weighed by hand, over the same "
                                                           "lines as the target"),
    Column.DEVIATION: QT_TRANSLATE_NOOP("BatchTableModel", "A finished batch: the batch total's deviation (actual − "
                                                           "target over the silos and the confirmed hand-added "
                                                           "components; OPEN ones not counted), and under it the "
                                                           "verdict: within, or OUTSIDE naming the silos over or "
                                                           "under |actual − target| ≤ max(kg, % × target)"),
}

#: A DONE batch whose hand-added components are not all confirmed says so in its state.
HAND_ADD_OPEN_WORDS = "hand-add open"
DONE_HAND_ADD_OPEN = f"DONE — {HAND_ADD_OPEN_WORDS}"

STATE_TEXT = {
    BatchState.DOWNLOADING: QT_TRANSLATE_NOOP("BatchTableModel", "DOWNLOADING"),
    BatchState.HELD: QT_TRANSLATE_NOOP("BatchTableModel", "HELD"),
    BatchState.QUEUED: QT_TRANSLATE_NOOP("BatchTableModel", "QUEUED"),
    BatchState.RUNNING: QT_TRANSLATE_NOOP("BatchTableModel", "RUNNING"),
    BatchState.DONE: QT_TRANSLATE_NOOP("BatchTableModel", "DONE (locked)"),
    BatchState.REPORTED: QT_TRANSLATE_NOOP("BatchTableModel", "REPORTED"),
    BatchState.FAILED: QT_TRANSLATE_NOOP("BatchTableModel", "FAILED"),
    BatchState.ATTENTION: QT_TRANSLATE_NOOP("BatchTableModel", "ATTENTION"),
}

STATE_SHAPE = {
    BatchState.DOWNLOADING: Shape.RING,
    BatchState.HELD: Shape.WARNING,
    BatchState.QUEUED: Shape.RING,
    BatchState.RUNNING: Shape.PLAY,
    BatchState.DONE: Shape.LOCK,
    BatchState.REPORTED: Shape.CHECK,
    BatchState.FAILED: Shape.CROSS,
    BatchState.ATTENTION: Shape.WARNING,
}

STATE_TOOLTIP = {
    BatchState.DOWNLOADING: QT_TRANSLATE_NOOP("BatchTableModel", "Stored; being written to the PLC"),
    BatchState.HELD: QT_TRANSLATE_NOOP("BatchTableModel", "The PLC could not confirm the download; it is not "
                                                          "downloaded again until released"),
    BatchState.QUEUED: QT_TRANSLATE_NOOP("BatchTableModel", "Stored and written to the PLC; no reading yet"),
    BatchState.RUNNING: QT_TRANSLATE_NOOP("BatchTableModel", "The PLC reports dosing progress"),
    BatchState.DONE: LOCKED_TOOLTIP,
    BatchState.REPORTED: QT_TRANSLATE_NOOP("BatchTableModel", "Actual consumption pushed to Odoo; about to move "
                                                              "to history"),
    BatchState.FAILED: QT_TRANSLATE_NOOP("BatchTableModel", "The PLC reported the batch as failed; it is cancelled "
                                                            "in Odoo and moved to the history"),
    BatchState.ATTENTION: QT_TRANSLATE_NOOP("BatchTableModel", "Reporting to Odoo failed too often and is not "
                                                               "retried automatically: open the details for the "
                                                               "error and what to do"),
}

#: What the rows say when the PLC's values are out of date (ISA-101 "bad quality": word + shape).
NOT_CURRENT_WORD = {LinkQuality.STALE: QT_TRANSLATE_NOOP("BatchTableModel", "PLC STALE"),
                    LinkQuality.OFFLINE: QT_TRANSLATE_NOOP("BatchTableModel", "PLC OFFLINE")}
NOT_CURRENT_TEXT = QT_TRANSLATE_NOOP("BatchTableModel", "NOT CURRENT")
NOT_CURRENT_INK = QColor("#5a5a5a")

#: Only abnormal states get a background tint (ISA-101: colour for exceptions only).
ABNORMAL_BACKGROUND = {
    BatchState.HELD: QColor("#f7e2b0"),
    BatchState.FAILED: QColor("#f3c7c7"),
    BatchState.ATTENTION: QColor("#f7e2b0"),
    BatchState.HELD: QColor("#f7e2b0"),
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
    return _t(STATE_TEXT[state])


class BatchTableModel(ReadOnlyTableModel):
    def __init__(self, parent=None, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._rows: list[Batch] = []
        self._clock = clock
        self._plc_quality = LinkQuality.GOOD
        #: hmi.ui.tolerance_view.ToleranceView, set by the alarm views; None = no Deviation verdicts.
        self.tolerance = None

    # ------------------------------------------------------------------ Qt model API

    def _row_count(self) -> int:
        return len(self._rows)

    def _column_count(self) -> int:
        return len(Column)

    def _header_text(self, section: int) -> str:
        return _t(HEADERS[Column(section)])

    def _header_tooltip(self, section: int) -> str | None:
        tip = HEADER_TOOLTIPS.get(Column(section))
        return _t(tip) if tip else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        batch = self._rows[index.row()]
        column = Column(index.column())
        state = batch.state
        if role == BATCH_ROLE:
            return batch
        if role == CURRENT_ROLE:
            return self.is_current(batch)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(batch, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(batch, column)
        current = self.is_current(batch)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATE:
            return shape_icon(STATE_SHAPE[state] if current else Shape.NOT_CURRENT)
        if role == Qt.ItemDataRole.DecorationRole and column == Column.HAND_ADD and batch.hand_added:
            return shape_icon(Shape.RING if batch.hand_added_open else Shape.CHECK)
        if not current and column in NOT_CURRENT_COLUMNS:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(NOT_CURRENT_INK)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
        if role == Qt.ItemDataRole.DecorationRole and column == Column.DEVIATION:
            verdict = self._verdict(batch)
            return shape_icon(Shape.WARNING) if verdict is not None and not verdict.within else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.BATCH_NO, Column.TARGET_KG, Column.ACTUAL_KG, Column.LAST_READING):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and state in ABNORMAL_BACKGROUND:
            return QBrush(ABNORMAL_BACKGROUND[state])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{_t(HEADERS[column])}: {self._display(batch, column)}".replace("\n", " ")
        return None

    # ------------------------------------------------------------------ quality of the PLC's values

    @property
    def plc_quality(self) -> LinkQuality:
        return self._plc_quality

    def set_plc_quality(self, quality: LinkQuality) -> None:
        """The window passes the service layer's judgement; rows re-draw only when it changes."""
        if quality is self._plc_quality:
            return
        self._plc_quality = quality
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def is_current(self, batch: Batch) -> bool:
        """False while the PLC is STALE/OFFLINE for a batch it may still be changing.

        A locked batch (the PLC finished it) keeps its final values: they cannot go out of date.
        """
        return batch.is_locked or self._plc_quality not in NOT_CURRENT_WORD

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
        figures = batch.figures
        if column == Column.TARGET_KG:
            text = format_kg(figures.target_kg)
            if figures.open_lines:  # not counted on either side until confirmed: shown as open
                text += "\n" + _t(QT_TRANSLATE_NOOP("BatchTableModel", "+{kg} OPEN")).format(
                    kg=format_kg(figures.open_target_kg))
            return text
        current = self.is_current(batch)
        if column == Column.ACTUAL_KG:
            text = format_kg(figures.actual_kg, figures.target_kg) if batch.last_read_from_plc or batch.is_locked else NO_VALUE
            return text if current else f"{text}\nlast known"
        if column == Column.SILOS:
            # The delegate draws bars; this text is for screen readers, copy and tests.
            return "  ".join(f"{line.silo.label} {format_kg(line.actual_kg or 0.0, line.target_kg)}/{format_kg(line.target_kg)}"
                             for line in batch.dosing_lines)
        if column == Column.HAND_ADD:
            return hand_add_text(batch)
        if column == Column.STATE:
            if batch.state is BatchState.DONE and batch.hand_added_open:
                # The cell has two lines: "DONE (locked)" over "hand-add open" keeps the column narrow
                # (a locked batch is never NOT CURRENT, so the second line is free).
                return f"{_t(STATE_TEXT[BatchState.DONE])}\n{HAND_ADD_OPEN_WORDS}"
            text = state_text(batch)
            return text if current else f"{text}\n{_t(NOT_CURRENT_TEXT)}"
        if column == Column.LAST_READING:
            age = format_age(batch.last_read_from_plc, self._clock())
            if age != NO_VALUE:
                age = _t(QT_TRANSLATE_NOOP("BatchTableModel", "{age} ago")).format(age=age)
            return age if current else f"{age}\n{_t(NOT_CURRENT_WORD[self._plc_quality])}"
        if column == Column.DEVIATION:
            return deviation_text(self._verdict(batch))
        return ""

    def _verdict(self, batch: Batch):
        return self.tolerance.verdict(batch) if self.tolerance is not None else None

    def _tooltip(self, batch: Batch, column: Column) -> str | None:
        state = batch.state
        if not self.is_current(batch) and column in NOT_CURRENT_COLUMNS:
            word = NOT_CURRENT_WORD[self._plc_quality]
            since = (f"the PLC last reported this batch {format_age(batch.last_read_from_plc, self._clock())} ago"
                     if batch.last_read_from_plc else "the PLC has not reported this batch yet")
            return (f"{word}: {since}. The state and values shown are the last ones read; "
                    f"the batch may have moved on.")
        if column == Column.STATE:
            text = _t(STATE_TOOLTIP[state])
            if batch.last_push_error:
                text += f"\nLast push error: {batch.last_push_error}"
            return text
        if column == Column.SILOS:
            return "\n".join(
                f"{line.silo.long_label}: {line.component_name or '?'} — "
                f"{format_kg(line.actual_kg or 0.0, line.target_kg)} of {format_kg(line.target_kg)} kg"
                for line in batch.dosing_lines) or "No silo in this recipe"
        if column == Column.HAND_ADD:
            return "\n".join(
                f"{line.product_name}: target {format_kg(line.target_kg)} kg — "
                + (f"{format_kg(line.actual_kg, line.target_kg)} kg by {line.confirmed_by}" if line.is_confirmed else "OPEN")
                for line in batch.hand_added) or "Nothing is added by hand in this recipe"
        if column == Column.LAST_READING:
            return f"Last PLC reading: {format_local_time(batch.last_read_from_plc)}"
        if column == Column.PRODUCT and batch.product_name:
            return f"{batch.product_name}\nDetails (or a long press) shows every silo of this batch"
        if column == Column.DEVIATION:
            return deviation_tooltip(self._verdict(batch))
        if column in (Column.TARGET_KG, Column.ACTUAL_KG):
            return "\n".join(figures_lines(batch.figures) + [_t(QT_TRANSLATE_NOOP(
                "BatchTableModel", "The whole MO (silos and every hand-added component): {kg} kg")).format(
                kg=format_kg(batch.target_total_kg))])
        if batch.is_locked:
            return LOCKED_TOOLTIP
        return "Details (or a long press) shows every silo of this batch"
