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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi import __version__
from hmi.config import Settings
from hmi.domain import Batch, BatchState, HandAddLine
from hmi.services.admin import BATCH_ACTIONS
from hmi.ui.batch_model import LOCKED_TOOLTIP, NOT_CURRENT_TEXT, STATE_TEXT, state_text
from hmi.ui.formatting import format_allowed_kg, format_kg, format_local_time, format_setting_value
from hmi.ui.hand_add_panel import HandAddChecklist
from hmi.ui.tolerance_view import figures_lines, percent_text, verdict_word


def _t(text: str) -> str:
    """A text of this module (marked with QT_TRANSLATE_NOOP("Dialogs", ...)) in the window's language."""
    return QCoreApplication.translate("Dialogs", text)


def _count(n: int, one: str, many: str) -> str:
    """'1 batch', '3 batches' with the words already translated (as MainWindow.count)."""
    return f"{n} {one if n == 1 else many}"


#: Answers of the Clear question.
CLEAR_AND_HOLD = "hold"
CLEAR_AND_RELEASE = "release"

#: The Clear question's own buttons (English source; shown through _t()).
CLEAR_HOLD_BUTTON = QT_TRANSLATE_NOOP("Dialogs", "Clear and hold the MOs")
CLEAR_RELEASE_BUTTON = QT_TRANSLATE_NOOP("Dialogs", "Clear and release — the PLC was reset")
MOS_SHOWN = 12


def _mo_list(mo_ids: Sequence[str]) -> str:
    shown = ", ".join(mo_ids[:MOS_SHOWN])
    more = len(mo_ids) - MOS_SHOWN
    if more <= 0:
        return shown
    return QCoreApplication.translate("Dialogs", "{shown} and {more} more").format(shown=shown, more=more)


def clear_question_text(mo_ids: Sequence[str], staying: Sequence[str] = ()) -> str:
    """The Clear question for the batches shown; ``staying``: those the PLC finished or failed, which
    Clear leaves in the table until Odoo has their report."""
    cleared = [mo for mo in mo_ids if mo not in set(staying)]
    batches = _count(len(cleared), QCoreApplication.translate("Dialogs", "batch"),
                     QCoreApplication.translate("Dialogs", "batches"))
    parts = [QCoreApplication.translate("Dialogs", "Clear the batch table?")]
    if staying:
        parts += [
            QCoreApplication.translate(
                "Dialogs", "{batches} will be moved to the history as CLEARED (nothing is deleted) and the PLC's "
                           "waiting recipes are blanked.").format(batches=batches),
            QCoreApplication.translate(
                "Dialogs", "{count} the PLC finished or failed stay in the table until Odoo has their report "
                           "(what they dosed is not lost):\n{mos}").format(
                count=_count(len(staying), QCoreApplication.translate("Dialogs", "batch"),
                             QCoreApplication.translate("Dialogs", "batches")), mos=_mo_list(list(staying))),
        ]
    else:
        parts.append(QCoreApplication.translate(
            "Dialogs", "{batches} will be moved to the history as CLEARED (nothing is deleted), the PLC's waiting "
                       "recipes are blanked, and the table will be empty for the next sync.").format(batches=batches))
    parts += [
        QCoreApplication.translate(
            "Dialogs", "These MOs reached the PLC, which may still hold or dose them. They will be HELD: not "
                       "fetched again until a supervisor releases them from the Held list:\n{mos}").format(
            mos=_mo_list(cleared)),
        QCoreApplication.translate(
            "Dialogs", "Only if the PLC was reset and holds none of them: choose \"{release}\".").format(
            release=_t(CLEAR_RELEASE_BUTTON))
        + " " + QCoreApplication.translate(
            "Dialogs", "A batch the PLC was seen dosing is held all the same. The others are released on "
                       "your word: check at the mixer that none of them ran while nobody read the PLC."),
    ]
    return "\n\n".join(parts)


def _own_standard_buttons(box: QMessageBox) -> None:
    """Qt's Yes/No/Cancel/Close in the window's language (the PySide6 wheel has no Indonesian qtbase)."""
    words = {
        QMessageBox.StandardButton.Yes: QCoreApplication.translate("Dialogs", "&Yes"),
        QMessageBox.StandardButton.No: QCoreApplication.translate("Dialogs", "&No"),
        QMessageBox.StandardButton.Cancel: QCoreApplication.translate("Dialogs", "Cancel"),
        QMessageBox.StandardButton.Close: QCoreApplication.translate("Dialogs", "Close"),
    }
    for which, word in words.items():
        button = box.button(which)
        if button is not None:
            button.setText(word)


def ask_clear_choice(parent: QWidget | None, mo_ids: Sequence[str], staying: Sequence[str] = ()) -> str | None:
    """Clear and hold / Clear and release (PLC reset) / Cancel, with Cancel as the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Dialogs", "Clear the batch table"),
                      clear_question_text(mo_ids, staying), QMessageBox.StandardButton.NoButton, parent)
    hold = box.addButton(_t(CLEAR_HOLD_BUTTON), QMessageBox.ButtonRole.AcceptRole)
    release = box.addButton(_t(CLEAR_RELEASE_BUTTON), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    _own_standard_buttons(box)
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
    return QCoreApplication.translate(
        "Dialogs", "Close Batch HMI?\n\nWhile it is closed, nobody reads the PLC and nothing is reported to Odoo: "
                   "batches the PLC finishes wait until Batch HMI is started again, and no new MOs are downloaded.")


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question with No as the default button (title and text come translated)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    _own_standard_buttons(box)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_close_confirmation(parent: QWidget | None) -> bool:
    return ask_yes_no(parent, QCoreApplication.translate("Dialogs", "Close Batch HMI"), close_question_text())


#: Per-batch actions: (key, button text, confirmation question or None), English source;
#: batch_action_text() and batch_action_question() give them in the window's language.
BATCH_ACTION_TEXT: dict[str, tuple[str, str | None]] = {
    "retry": (QT_TRANSLATE_NOOP("Dialogs", "Retry"), None),
    "cancel": (QT_TRANSLATE_NOOP("Dialogs", "Cancel in Odoo…"),
               QT_TRANSLATE_NOOP("Dialogs", "Cancel MO {mo} in Odoo?\n\nThe MO is cancelled in Odoo and the batch "
                                            "is archived as cancelled. Do this only when the PLC will not dose it "
                                            "(any more).")),
    "archive_failed": (QT_TRANSLATE_NOOP("Dialogs", "Archive as failed…"),
                       QT_TRANSLATE_NOOP("Dialogs", "Archive MO {mo} as failed?\n\nThe batch leaves the table and its "
                                                    "MO is HELD: it is not fetched again until a supervisor releases "
                                                    "it. The MO stays open in Odoo; close it there.")),
}


def batch_action_text(action: str) -> str:
    """The action's button / menu text in the window's language."""
    return _t(BATCH_ACTION_TEXT[action][0])


def batch_action_question(action: str, mo: str) -> str | None:
    """The action's confirmation question in the window's language, or None when it asks nothing."""
    question = BATCH_ACTION_TEXT[action][1]
    return None if question is None else _t(question).format(mo=mo)


def batch_action_title(batch_no) -> str:
    """Title of an action's question: 'Batch 12'."""
    return QCoreApplication.translate("Dialogs", "Batch {batch}").format(batch=batch_no)


def batch_action_allowed(action: str, state: BatchState) -> bool:
    return state in BATCH_ACTIONS[action]


#: The state word in a "why disabled" sentence: the table's word, but plain DONE (no "(locked)").
_DONE_WORD = QT_TRANSLATE_NOOP("Dialogs", "DONE")


def _state_word(state: BatchState) -> str:
    if state is BatchState.DONE:
        return _t(_DONE_WORD)
    return QCoreApplication.translate("BatchTableModel", STATE_TEXT[state]) if state in STATE_TEXT else state.value


def batch_action_tooltip(action: str, state: BatchState) -> str:
    """Why the action is disabled in this state ('' when it is allowed), with the table's state words."""
    if batch_action_allowed(action, state):
        return ""
    words = QCoreApplication.translate("Dialogs", " or ").join(
        _state_word(s) for s in BATCH_ACTIONS[action])
    return QCoreApplication.translate("Dialogs", "Only for {states} batches; this one is {state}").format(
        states=words, state=_state_word(state))


def _read_only_table(parent: QWidget, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    _set_rows(table, rows)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _set_rows(table: QTableWidget, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = table.item(r, c)
            if item is None:
                table.setItem(r, c, QTableWidgetItem(text))
            else:
                item.setText(text)


class _FollowsLanguage:
    """A dialog whose texts follow the window's language: retranslate() from __init__, from the
    window's walk over its children, and on Qt's LanguageChange (a dialog without the window as parent)."""

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_built", False):
            self.retranslate()
        super().changeEvent(event)


SOURCE_WORDS = {"default": QT_TRANSLATE_NOOP("SettingsDialog", "default"), "ini": "settings.ini", ".env": ".env",
                "environment": QT_TRANSLATE_NOOP("SettingsDialog", "environment"),
                "demo": QT_TRANSLATE_NOOP("SettingsDialog", "demo")}


class SettingsDialog(_FollowsLanguage, QDialog):
    """The effective settings and where each came from (default / ini / .env / environment / demo).

    The names and values are the settings as written; each setting's meaning comes from the
    configuration's own help text (English)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._described = settings.describe()
        rows = [[spec.env, format_setting_value(display), source, spec.help]
                for spec, display, source in self._described]
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = _read_only_table(self, ["", "", "", ""], rows)
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
        self.buttons = _lay_out_table_dialog(self, self.intro, self.table, (1100, 620))
        self.retranslate()
        self._built = True
        # The meaning takes the width left over and re-wraps whenever that changes.
        header.sectionResized.connect(self._on_section_resized)
        self._fit_meaning()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings in effect"))
        path = getattr(self.settings, "config_path", None)
        where = (self.tr("Settings file: {path}").format(path=path) if path else
                 self.tr("No settings file found; built-in defaults, .env and environment apply."))
        self.intro.setText(where + "\n" + self.tr("Secrets are masked. Change them in settings.ini or the "
                                                  "environment and restart."))
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value"), self.tr("From"),
                                              self.tr("Meaning")])
        for r, (_spec, _display, source) in enumerate(self._described):
            word = SOURCE_WORDS.get(source, source)
            self.table.item(r, 2).setText(QCoreApplication.translate("SettingsDialog", word))
        _translate_close(self.buttons)
        if getattr(self, "_built", False):
            self.table.resizeColumnToContents(2)
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


def close_button(buttons: QDialogButtonBox) -> QPushButton:
    """Our own Close (reject) button: a standard one is reset to Qt's English word on every change of language,
    as the PySide6 wheel has no Indonesian qtbase."""
    button = buttons.addButton(QCoreApplication.translate("Dialogs", "Close"), QDialogButtonBox.ButtonRole.RejectRole)
    button.setObjectName("closeButton")
    return button


def _translate_close(buttons: QDialogButtonBox) -> None:
    button = buttons.findChild(QPushButton, "closeButton")
    if button is not None:
        button.setText(QCoreApplication.translate("Dialogs", "Close"))


def _lay_out_table_dialog(dialog: QDialog, header: QWidget, table: QWidget,
                          size: tuple[int, int]) -> QDialogButtonBox:
    """Header text, the table, a Close button: the shape of every read-only dialog here."""
    buttons = QDialogButtonBox(dialog)
    close_button(buttons)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(header)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(*size)
    return buttons


#: The label of a hand-added component in the batch's table (no silo doses it).
BY_HAND = QT_TRANSLATE_NOOP("BatchDetailDialog", "BY HAND")
#: A hand-added component not confirmed yet (as the checklist and the batch table say it).
OPEN_WORD = QT_TRANSLATE_NOOP("BatchDetailDialog", "OPEN")
OUTSIDE_WORD = QT_TRANSLATE_NOOP("BatchDetailDialog", "OUTSIDE")


#: The details dialog's size before the screen clamps it: the table's rows and the parts beside it.
DETAIL_SIZE = (1240, 740)


def _d(text: str) -> str:
    return QCoreApplication.translate("BatchDetailDialog", text)


class BatchDetailDialog(_FollowsLanguage, QDialog):
    """Every silo of one batch: component, target, actual, and progress or deviation; the hand-added
    checklist; the batch's actions.

    While the PLC is still dosing, "actual below target" is progress, not a fault: the last
    column shows how far each silo has got. Deviation is judged only once the PLC finished
    the batch (DONE and later); ``verdict`` is then the batch against its dosing tolerance
    (hmi.services.tolerance.BatchVerdict). Texts from Odoo and the database (product, hold
    reason, Odoo's answer) are shown as stored.
    """

    def __init__(self, batch: Batch, parent: QWidget | None = None, values_current: bool = True,
                 on_action: Callable[[str, Batch], None] | None = None, verdict=None,
                 on_hand_add_confirm: Callable[[int, str, bool], None] | None = None) -> None:
        super().__init__(parent)
        self.batch = batch
        self.verdict = verdict
        self.values_current = values_current
        self._finished = batch.is_locked or batch.state in (BatchState.REPORTED, BatchState.ATTENTION)
        header = QLabel(self)
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        self.header = header
        self._silo_lines = [line for line in batch.silos if line.target_kg or line.actual_kg]
        self._first_hand_row = len(self._silo_lines)
        self.table = _read_only_table(self, [""] * self._column_count(), self._rows())
        for r in range(self.table.rowCount()):
            for c in (2, 3, 4):
                item = self.table.item(r, c)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setObjectName("batchDetailTable")
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Every silo of the batch at a glance: the table runs the dialog's full height on the left;
        # the header, the dosing curve and the hand-added checklist share the column beside it.
        self.side = QWidget(self)
        self.side.setObjectName("batchDetailSide")
        self._side_layout = QVBoxLayout(self.side)
        self._side_layout.setContentsMargins(0, 0, 0, 0)
        self._side_layout.addWidget(header)
        self._side_stretch = QWidget(self.side)  # takes the height left when nothing else does
        self._side_layout.addWidget(self._side_stretch, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("batchDetailSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(12)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.buttons = QDialogButtonBox(self)
        close_button(self.buttons)
        self.buttons.rejected.connect(self.reject)
        #: The batch's actions, Ticket… and Close in one row under the table.
        self.button_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self.button_row)
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.buttons)
        self.checklist: HandAddChecklist | None = None
        if batch.hand_added:
            self.checklist = HandAddChecklist(batch.hand_added, on_hand_add_confirm,
                                              editable=not batch.update_odoo, parent=self.side)
            self.add_side_widget(self.checklist)
        self.action_buttons: dict[str, QPushButton] = {}
        #: The "why disabled" tooltip each action button got here; the window may put its own (the role needed).
        self._action_tips: dict[str, str] = {}
        if on_action is not None:
            for key in BATCH_ACTION_TEXT:
                button = QPushButton(self)
                button.setEnabled(batch_action_allowed(key, batch.state))
                button.clicked.connect(lambda _checked=False, k=key: on_action(k, batch))
                self.add_button(button)
                self.action_buttons[key] = button
        self.resize(*DETAIL_SIZE)
        self.retranslate()
        self._built = True

    def _column_count(self) -> int:
        return 6 if self.verdict is not None else 5

    def retranslate(self) -> None:
        """Title, header, column titles, the table's words and the action buttons in the window's language."""
        batch = self.batch
        self.setWindowTitle(self.tr("Batch {batch} — {mo}").format(batch=batch.batch_no, mo=batch.mo_id))
        self.header.setText("<br>".join(self._header_lines()))
        columns = [self.tr("Silo"), self.tr("Component"), self.tr("Target kg"), self.tr("Actual kg"),
                   self.tr("Deviation") if self._finished else self.tr("Progress")]
        if self.verdict is not None:
            columns.append(self.tr("Tolerance"))
        self.table.setHorizontalHeaderLabels(columns)
        _set_rows(self.table, self._rows())
        self._explain_total()
        for column in range(self.table.columnCount()):
            if column != 1:  # the component stretches; the others fit their title in the window's language
                self.table.resizeColumnToContents(column)
        self._fit_table_width()
        _translate_close(self.buttons)
        for key, button in self.action_buttons.items():
            button.setText(batch_action_text(key))
            tip = batch_action_tooltip(key, batch.state)
            if button.toolTip() == self._action_tips.get(key, ""):
                button.setToolTip(tip)  # not when the window put its own reason (the role needed)
            self._action_tips[key] = tip

    def add_side_widget(self, widget: QWidget, stretch: int = 0, above_checklist: bool = True) -> None:
        """A part beside the table (the dosing curve): under the header, above the hand-added checklist."""
        widget.setParent(self.side)
        index = self._side_layout.indexOf(self._side_stretch)
        if above_checklist and self.checklist is not None and widget is not self.checklist:
            index = self._side_layout.indexOf(self.checklist)
        self._side_layout.insertWidget(index, widget, stretch)
        if stretch:  # the part takes the height left over
            self._side_stretch.hide()

    def add_button(self, button: QPushButton) -> None:
        """A button in the row under the table, after the ones already there (left of Close)."""
        self.button_row.insertWidget(self.button_row.count() - 2, button)

    def _fit_table_width(self) -> None:
        """The table is as wide as its columns (the component its longest name), never narrower."""
        table = self.table
        component = max(table.sizeHintForColumn(1), table.horizontalHeader().sectionSizeHint(1))
        columns = sum(table.columnWidth(c) for c in range(table.columnCount()) if c != 1) + component
        scrollbar = table.verticalScrollBar().sizeHint().width()
        table.setMinimumWidth(columns + 2 * table.frameWidth() + scrollbar)

    def _header_lines(self) -> list[str]:
        batch, verdict = self.batch, self.verdict
        state = state_text(batch)
        if not self.values_current:
            state += ", " + QCoreApplication.translate("BatchTableModel", NOT_CURRENT_TEXT)
        lines = [
            f"<b>{_html(batch.mo_id)}</b> — {_html(batch.product_name or '')}",
            self.tr("Batch {batch}, line {line}, state <b>{state}</b>").format(
                batch=batch.batch_no, line=_html(batch.equipment_code or "—"), state=state),
            self.tr("Last PLC reading: {time}").format(time=format_local_time(batch.last_read_from_plc)),
        ]
        if not self.values_current:
            lines.append(self.tr("<b>The PLC is not answering: the values below are the last ones read and may "
                                 "be out of date.</b>"))
        if batch.is_locked:
            lines.append(QCoreApplication.translate("BatchTableModel", LOCKED_TOOLTIP))
        if batch.hold_reason:
            lines.append(self.tr("Held: {reason}").format(reason=_html(batch.hold_reason)))
        if batch.plc_key and batch.plc_key != batch.mo_id:
            lines.append(self.tr("On the PLC as: {key}").format(key=_html(batch.plc_key)))
        if batch.state is BatchState.ATTENTION:
            lines.append(self.tr("<b>Odoo did not take the report of this batch; it is not retried "
                                 "automatically.</b> Odoo's answer:"))
        if batch.last_push_error:
            if batch.state is BatchState.ATTENTION:
                lines.append(_html(batch.last_push_error))
            else:
                lines.append(self.tr("Last push error: {error}").format(error=_html(batch.last_push_error)))
        if self._finished:
            figures = batch.figures
            worst = figures.worst_silo
            lines.append(self.tr("Batch deviation: <b>{percent}</b> (silos + confirmed by hand; OPEN not "
                                 "counted){worst}").format(
                percent=percent_text(figures.deviation_percent),
                worst="" if worst is None else " · " + self.tr("worst silo {silo} {percent}").format(
                    silo=worst.label, percent=percent_text(worst.deviation_percent))))
        if verdict is not None:
            if verdict.within:
                lines.append(self.tr("Dosing tolerance: <b>within</b>"))
            else:
                lines.append(self.tr("Dosing tolerance: <b>⚠ OUTSIDE</b> (silo {silos}); the actuals go to Odoo "
                                     "as dosed").format(silos=", ".join(f"{s.silo} {verdict_word(s.verdict)}"
                                                                       for s in verdict.outside)))
        return lines

    def _rows(self) -> list[list[str]]:
        verdict = self.verdict
        judged = {s.silo: s for s in verdict.silos} if verdict is not None else {}
        rows = []
        for line in self._silo_lines:
            row = [line.silo.long_label, line.component_name or "—", format_kg(line.target_kg),
                   format_kg(line.actual_kg, line.target_kg), _judge(line.actual_kg, line.target_kg, self._finished)]
            if verdict is not None:
                silo = judged.get(line.silo.label)
                row.append("—" if silo is None else
                           "±" + format_allowed_kg(silo.allowed_kg) + " kg"
                           + ("" if silo.within else "  ⚠ " + verdict_word(silo.verdict)))
            rows.append(row)
        extra = [""] if verdict is not None else []
        rows += [self._hand_row(hand) + extra for hand in self.batch.hand_added]
        total = self._total_row(self.batch)
        if verdict is not None:
            total.append(self.tr("within") if verdict.within else "⚠ " + _d(OUTSIDE_WORD))
        rows.append(total)
        return rows

    def _hand_row(self, hand) -> list[str]:
        return [_d(BY_HAND), hand.product_name, format_kg(hand.target_kg),
                format_kg(hand.actual_kg, hand.target_kg) if hand.is_confirmed else _d(OPEN_WORD),
                percent_text(hand.deviation_percent if hand.is_confirmed else None)]

    def _total_row(self, batch: Batch) -> list[str]:
        """The batch total, like for like (hmi.domain figures); what is still open by hand beside it."""
        started = bool(batch.last_read_from_plc) or batch.is_locked
        figures = batch.figures
        # What is still open by hand, beside the total (its kg in the BY HAND rows and the tooltip).
        open_text = "" if not figures.open_lines else self.tr("+{count} OPEN").format(count=len(figures.open_lines))
        return [self.tr("Total"), open_text, format_kg(figures.target_kg), format_kg(figures.actual_kg, figures.target_kg),
                _judge(figures.actual_kg if started else None, figures.target_kg, self._finished)]

    def show_hand_added(self, lines: Sequence[HandAddLine]) -> None:
        """A confirmation was stored: the checklist, its rows in the table and the total show it."""
        self.batch = dataclasses.replace(self.batch, hand_added=tuple(lines))
        self.header.setText("<br>".join(self._header_lines()))  # the batch deviation counts them now
        extra = [""] if self.verdict is not None else []
        new_rows = [self._hand_row(hand) + extra for hand in self.batch.hand_added] + [self._total_row(self.batch)]
        for offset, row in enumerate(new_rows):
            for column, text in enumerate(row):
                item = self.table.item(self._first_hand_row + offset, column)
                if item is not None:
                    item.setText(text)
        self._explain_total()
        if self.checklist is not None:
            self.checklist.set_lines(lines)

    def _explain_total(self) -> None:
        """The total row's tooltip says what it counts (the batch total, like for like)."""
        tip = "\n".join(figures_lines(self.batch.figures))
        row = self.table.rowCount() - 1
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is not None:
                item.setToolTip(tip)


def _judge(actual: float | None, target: float | None, finished: bool) -> str:
    """Progress ('62 % dosed') while dosing; deviation ('+1.2 %') once the PLC finished."""
    if actual is None or not target:
        return "—"
    if finished:
        return percent_text((actual - target) / target * 100.0)
    return QCoreApplication.translate("BatchDetailDialog", "{percent} % dosed").format(
        percent=f"{actual / target * 100.0:.0f}")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def about_text() -> str:
    return "".join([
        f"<h3>Batch HMI {__version__}</h3>",
        "<p>" + QCoreApplication.translate(
            "Dialogs", "Takes Manufacturing Orders from Odoo, writes their recipes to the batching PLC, follows the "
                       "dosing and reports the actual consumption per silo back to Odoo.") + "</p>",
        "<p>" + QCoreApplication.translate(
            "Dialogs", "Every action is a button on the toolbar; a row's details are on the Details button or a "
                       "long press on the row.") + "</p>",
        "<p>" + QCoreApplication.translate(
            "Dialogs", "Keys for a keyboard: F5 Trigger sync · F6 Pause/Resume auto-sync · Ctrl+Shift+Del Clear "
                       "table · Enter Details · Ctrl+, Settings · F1 About · Ctrl+Q Quit") + "</p>",
    ])
