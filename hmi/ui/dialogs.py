"""Dialogs: confirm clear, close and per-batch actions, effective settings, batch detail, about.

The ``ask_*`` questions are modal-blocking; each is called from a plain Qt slot and
answered before any coroutine starts (a nested event loop inside a running asyncio task
is what makes qasync fail with "Cannot enter into task"). Every question has "No" (or
Cancel) as its default button: a slip of Enter must never clear, cancel or quit. The other
dialogs open window-modal without blocking (``open()``).
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi import __version__
from hmi.config import Settings
from hmi.domain import Batch, BatchState, HandAddLine
from hmi.services.admin import BATCH_ACTIONS
from hmi.ui.batch_model import LOCKED_TOOLTIP, NOT_CURRENT_TEXT, state_text
from hmi.ui.formatting import format_kg, format_local_time, format_percent, format_setting_value, plural
from hmi.ui.hand_add_panel import HandAddChecklist


#: Answers of the Clear question.
CLEAR_AND_HOLD = "hold"
CLEAR_AND_RELEASE = "release"

CLEAR_HOLD_BUTTON = "Clear and hold the MOs"
CLEAR_RELEASE_BUTTON = "Clear and release — the PLC was reset"
MOS_SHOWN = 12


def _mo_list(mo_ids: Sequence[str]) -> str:
    shown = ", ".join(mo_ids[:MOS_SHOWN])
    more = len(mo_ids) - MOS_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def clear_question_text(mo_ids: Sequence[str]) -> str:
    return (f"Clear the batch table?\n\n"
            f"{plural(len(mo_ids), 'batch', 'batches')} will be moved to the history as CLEARED (nothing is deleted), "
            f"the PLC's waiting recipes are blanked, and the table will be empty for the next sync.\n\n"
            f"These MOs reached the PLC, which may still hold or dose them. They will be HELD: "
            f"not fetched again until a supervisor releases them from the Held list:\n{_mo_list(list(mo_ids))}\n\n"
            f"Only if the PLC was reset and holds none of them: choose \"{CLEAR_RELEASE_BUTTON}\".")


def ask_clear_choice(parent: QWidget | None, mo_ids: Sequence[str]) -> str | None:
    """Clear and hold / Clear and release (PLC reset) / Cancel, with Cancel as the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Clear the batch table", clear_question_text(mo_ids),
                      QMessageBox.StandardButton.NoButton, parent)
    hold = box.addButton(CLEAR_HOLD_BUTTON, QMessageBox.ButtonRole.AcceptRole)
    release = box.addButton(CLEAR_RELEASE_BUTTON, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is hold:
        return CLEAR_AND_HOLD
    if clicked is release:
        return CLEAR_AND_RELEASE
    return None


def close_question_text() -> str:
    return ("Close Batch HMI?\n\n"
            "While it is closed, nobody reads the PLC and nothing is reported to Odoo: batches the PLC "
            "finishes wait until Batch HMI is started again, and no new MOs are downloaded.")


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question with No as the default button."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_close_confirmation(parent: QWidget | None) -> bool:
    return ask_yes_no(parent, "Close Batch HMI", close_question_text())


#: Per-batch actions: (key, button text, confirmation question or None).
BATCH_ACTION_TEXT: dict[str, tuple[str, str | None]] = {
    "retry": ("Retry", None),
    "cancel": ("Cancel in Odoo…",
               "Cancel MO {mo} in Odoo?\n\nThe MO is cancelled in Odoo and the batch is archived as cancelled. "
               "Do this only when the PLC will not dose it (any more)."),
    "archive_failed": ("Archive as failed…",
                       "Archive MO {mo} as failed?\n\nThe batch leaves the table and its MO is HELD: it is not "
                       "fetched again until a supervisor releases it. The MO stays open in Odoo; close it there."),
}


def batch_action_allowed(action: str, state: BatchState) -> bool:
    return state in BATCH_ACTIONS[action]


def batch_action_tooltip(action: str, state: BatchState) -> str:
    if batch_action_allowed(action, state):
        return ""
    words = " or ".join(s.value for s in BATCH_ACTIONS[action])
    return f"Only for {words} batches; this one is {state.value}"


def _read_only_table(parent: QWidget, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class SettingsDialog(QDialog):
    """The effective settings and where each came from (default / ini / .env / environment / demo)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings in effect")
        rows = [[spec.env, format_setting_value(display), SOURCE_WORDS.get(source, source), spec.help]
                for spec, display, source in settings.describe()]
        where = f"Settings file: {settings.config_path}" if getattr(settings, "config_path", None) \
            else "No settings file found; built-in defaults, .env and environment apply."
        intro = QLabel(f"{where}\nSecrets are masked. Change them in settings.ini or the environment and restart.")
        intro.setWordWrap(True)
        self.table = _read_only_table(self, ["Setting", "Value", "From", "Meaning"], rows)
        # The meaning wraps inside its column (no horizontal scrolling); long values keep a tooltip.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(1, 260)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A scroll bar that comes and goes would change the meaning's width after it was wrapped.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        for r, row in enumerate(rows):
            self.table.item(r, 1).setToolTip(row[1])
            self.table.item(r, 3).setToolTip(row[3])
        _lay_out_table_dialog(self, intro, self.table, (1100, 620))
        # The meaning takes the width left over and re-wraps whenever that changes.
        header.sectionResized.connect(self._on_section_resized)
        self._fit_meaning()

    def _fit_meaning(self) -> None:
        others = sum(self.table.columnWidth(c) for c in range(3))
        self.table.setColumnWidth(3, max(200, self.table.viewport().width() - others))
        self.table.resizeRowsToContents()

    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section != 3:
            self._fit_meaning()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_meaning()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit_meaning()


SOURCE_WORDS = {"default": "default", "ini": "settings.ini", ".env": ".env", "environment": "environment",
                "demo": "demo"}


def _lay_out_table_dialog(dialog: QDialog, header: QWidget, table: QWidget, size: tuple[int, int]) -> None:
    """Header text, the table, a Close button: the shape of every read-only dialog here."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(header)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(*size)


#: The label of a hand-added component in the batch's table (no silo doses it).
BY_HAND = "BY HAND"


class BatchDetailDialog(QDialog):
    """Every silo of one batch: component, target, actual, and progress or deviation; the hand-added
    checklist; the batch's actions.

    While the PLC is still dosing, "actual below target" is progress, not a fault: the last
    column shows how far each silo has got. Deviation is judged only once the PLC finished
    the batch (DONE and later); ``verdict`` is then the batch against its dosing tolerance
    (hmi.services.tolerance.BatchVerdict).
    """

    def __init__(self, batch: Batch, parent: QWidget | None = None, values_current: bool = True,
                 on_action: Callable[[str, Batch], None] | None = None, verdict=None,
                 on_hand_add_confirm: Callable[[int, str, bool], None] | None = None) -> None:
        super().__init__(parent)
        self.batch = batch
        self.verdict = verdict
        self.setWindowTitle(f"Batch {batch.batch_no} — {batch.mo_id}")
        finished = batch.is_locked or batch.state in (BatchState.REPORTED, BatchState.ATTENTION)
        self._finished = finished
        state = state_text(batch) + ("" if values_current else f", {NOT_CURRENT_TEXT}")
        header_lines = [
            f"<b>{_html(batch.mo_id)}</b> — {_html(batch.product_name or '')}",
            f"Batch {batch.batch_no}, line {_html(batch.equipment_code or '—')}, state <b>{state}</b>",
            f"Last PLC reading: {format_local_time(batch.last_read_from_plc)}",
        ]
        if not values_current:
            header_lines.append("<b>The PLC is not answering: the values below are the last ones read and may "
                                "be out of date.</b>")
        if batch.is_locked:
            header_lines.append(LOCKED_TOOLTIP)
        if batch.hold_reason:
            header_lines.append(f"Held: {_html(batch.hold_reason)}")
        if batch.plc_key and batch.plc_key != batch.mo_id:
            header_lines.append(f"On the PLC as: {_html(batch.plc_key)}")
        if batch.state is BatchState.ATTENTION:
            header_lines.append("<b>Odoo did not take the report of this batch; it is not retried "
                                "automatically.</b> Odoo's answer:")
        if batch.last_push_error:
            prefix = "" if batch.state is BatchState.ATTENTION else "Last push error: "
            header_lines.append(f"{prefix}{_html(batch.last_push_error)}")
        if verdict is not None:
            outside = ", ".join(s.silo for s in verdict.outside)
            header_lines.append("Dosing tolerance: <b>within</b>" if verdict.within else
                                f"Dosing tolerance: <b>⚠ OUTSIDE</b> (silo {outside}); the actuals go to Odoo as dosed")
        header = QLabel("<br>".join(header_lines))
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        self.header = header
        last_column = "Deviation" if finished else "Progress"
        rows = []
        judged = {s.silo: s for s in verdict.silos} if verdict is not None else {}
        for line in batch.silos:
            if not line.target_kg and not line.actual_kg:
                continue
            row = [line.silo.long_label, line.component_name or "—", format_kg(line.target_kg),
                   format_kg(line.actual_kg), _judge(line.actual_kg, line.target_kg, finished)]
            if verdict is not None:
                silo = judged.get(line.silo.label)
                row.append("—" if silo is None else
                           f"±{silo.allowed_kg:g} kg" + ("" if silo.within else "  ⚠ OUTSIDE"))
            rows.append(row)
        extra = [""] if verdict is not None else []
        self._first_hand_row = len(rows)
        rows += [self._hand_row(hand) + extra for hand in batch.hand_added]
        rows.append(self._total_row(batch)
                    + ([("within" if verdict.within else "⚠ OUTSIDE")] if verdict is not None else []))
        columns = ["Silo", "Component", "Target kg", "Actual kg", last_column]
        if verdict is not None:
            columns.append("Tolerance")
        self.table = _read_only_table(self, columns, rows)
        for r in range(self.table.rowCount()):
            for c in (2, 3, 4):
                item = self.table.item(r, c)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        _lay_out_table_dialog(self, header, self.table, (720, 560))
        self.checklist: HandAddChecklist | None = None
        if batch.hand_added:
            self.checklist = HandAddChecklist(batch.hand_added, on_hand_add_confirm,
                                              editable=not batch.update_odoo, parent=self)
            self.layout().insertWidget(2, self.checklist)
            self.resize(860, 700)
        self.action_buttons: dict[str, QPushButton] = {}
        if on_action is not None:
            row = QHBoxLayout()
            for key, (text, _question) in BATCH_ACTION_TEXT.items():
                button = QPushButton(text, self)
                button.setEnabled(batch_action_allowed(key, batch.state))
                button.setToolTip(batch_action_tooltip(key, batch.state))
                button.clicked.connect(lambda _checked=False, k=key: on_action(k, batch))
                row.addWidget(button)
                self.action_buttons[key] = button
            row.addStretch(1)
            self.layout().insertLayout(self.layout().count() - 1, row)  # just above Close


    @staticmethod
    def _hand_row(hand) -> list[str]:
        return [BY_HAND, hand.product_name, format_kg(hand.target_kg),
                format_kg(hand.actual_kg) if hand.is_confirmed else "OPEN",
                format_percent(hand.deviation_percent if hand.is_confirmed else None)]

    def _total_row(self, batch: Batch) -> list[str]:
        started = bool(batch.last_read_from_plc) or batch.is_locked
        return ["Total", "", format_kg(batch.target_total_kg), format_kg(batch.actual_total_kg),
                _judge(batch.actual_total_kg if started else None, batch.target_total_kg, self._finished)]

    def show_hand_added(self, lines: Sequence[HandAddLine]) -> None:
        """A confirmation was stored: the checklist, its rows in the table and the total show it."""
        self.batch = dataclasses.replace(self.batch, hand_added=tuple(lines))
        new_rows = [self._hand_row(hand) for hand in self.batch.hand_added] + [self._total_row(self.batch)]
        for offset, row in enumerate(new_rows):
            for column, text in enumerate(row):
                item = self.table.item(self._first_hand_row + offset, column)
                if item is not None:
                    item.setText(text)
        if self.checklist is not None:
            self.checklist.set_lines(lines)


def _judge(actual: float | None, target: float | None, finished: bool) -> str:
    """Progress ('62 % dosed') while dosing; deviation ('+1.2 %') once the PLC finished."""
    if actual is None or not target:
        return "—"
    if finished:
        return format_percent((actual - target) / target * 100.0)
    return f"{actual / target * 100.0:.0f} % dosed"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def about_text() -> str:
    return (f"<h3>Batch HMI {__version__}</h3>"
            "<p>Takes Manufacturing Orders from Odoo, writes their recipes to the batching PLC, "
            "follows the dosing and reports the actual consumption per silo back to Odoo.</p>"
            "<p>Every action is a button on the toolbar; a row's details are on the Details button "
            "or a long press on the row.</p>"
            "<p>Keys for a keyboard: F5 Trigger sync · F6 Pause/Resume auto-sync · Ctrl+Shift+Del Clear table · "
            "Enter Details · Ctrl+, Settings · F1 About · Ctrl+Q Quit</p>")
