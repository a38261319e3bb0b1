"""The hand-added checklist of one batch: components no silo doses (premix, medicines).

One row per component: its state (word + shape: OPEN ring / CONFIRMED check), the component, the
target, a large input for what the scale shows, and two large buttons: Confirm (the typed amount)
and Accept target (the scale shows exactly the target). Confirmed rows say by whom and when; a
confirmed amount can be corrected until the batch is reported to Odoo.

The panel only presents: a press calls ``on_confirm(product_id, text, accept_target)``; the window
runs the service call off the GUI thread and hands the result back with ``set_lines`` or
``show_refusal``.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.domain import HandAddLine, HandAddSource
from hmi.ui.formatting import format_kg, format_local_time
from hmi.ui.shapes import Shape, shape_icon

#: Touch targets: at least this tall (px), as a gloved finger needs.
TOUCH_HEIGHT = 44
#: State words (English source; shown through _t()).
OPEN_WORD = QT_TRANSLATE_NOOP("HandAddChecklist", "OPEN")
CONFIRMED_WORD = QT_TRANSLATE_NOOP("HandAddChecklist", "CONFIRMED")
TIP_REPORTED = QT_TRANSLATE_NOOP("HandAddChecklist", "The batch was reported to Odoo; the checklist can no longer change")
HEADERS = (QT_TRANSLATE_NOOP("HandAddChecklist", "State"), QT_TRANSLATE_NOOP("HandAddChecklist", "Component"),
           QT_TRANSLATE_NOOP("HandAddChecklist", "Target kg"), QT_TRANSLATE_NOOP("HandAddChecklist", "Weighed kg"))


def _t(text: str) -> str:
    """A text of the checklist in the window's language."""
    return QCoreApplication.translate("HandAddChecklist", text)


def checklist_title(lines: Sequence[HandAddLine]) -> str:
    open_count = sum(1 for line in lines if not line.is_confirmed)
    if not open_count:
        return QCoreApplication.translate("HandAddChecklist", "Hand-added components — all {count} confirmed").format(
            count=len(lines))
    return QCoreApplication.translate(
        "HandAddChecklist", "Hand-added components — {open} of {count} OPEN: weigh and confirm").format(
        open=open_count, count=len(lines))


class HandAddChecklist(QGroupBox):
    def __init__(self, lines: Sequence[HandAddLine], on_confirm: Callable[[int, str, bool], None] | None,
                 editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handAddChecklist")
        self._on_confirm = on_confirm
        self._editable = editable and on_confirm is not None
        self.inputs: dict[int, QLineEdit] = {}
        self.confirm_buttons: dict[int, QPushButton] = {}
        self.accept_buttons: dict[int, QPushButton] = {}
        self.state_labels: dict[int, QLabel] = {}
        self.state_icons: dict[int, QLabel] = {}
        self.detail_labels: dict[int, QLabel] = {}
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(12)
        self._headers: list[QLabel] = []
        for column in range(len(HEADERS)):
            header = QLabel()
            self._grid.addWidget(header, 0, column)
            self._headers.append(header)
        self.message = QLabel("")
        self.message.setObjectName("handAddMessage")
        self.message.setWordWrap(True)
        self._lines: dict[int, HandAddLine] = {}
        self._all_lines = list(lines)
        self._build_rows(lines)
        self.retranslate()

    def retranslate(self) -> None:
        """Headers, buttons, tooltips and the rows' words in the window's language."""
        for header, text in zip(self._headers, HEADERS):
            header.setText(f"<b>{_t(text)}</b>")
        for pid, entry in self.inputs.items():
            line = self._lines.get(pid) or next(l for l in self._all_lines if l.product_id == pid)
            self._name_labels[pid].setToolTip(self.tr("Odoo product id {id}").format(id=pid))
            entry.setAccessibleName(self.tr("Weighed kg of {product}").format(product=line.product_name))
            self.accept_buttons[pid].setText(self.tr("Accept target"))
            self._accept_tips[pid] = self.tr("The scale shows the target, {kg} kg").format(kg=format_kg(line.target_kg))
        self.set_lines(self._all_lines)

    def _build_rows(self, lines: Sequence[HandAddLine]) -> None:
        self._name_labels: dict[int, QLabel] = {}
        self._accept_tips: dict[int, str] = {}
        validator = QDoubleValidator(0.0, 1e6, 3, self)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        validator.setLocale(QLocale.c())
        for row, line in enumerate(lines, start=1):
            pid = line.product_id
            state = QWidget()
            state.setMinimumHeight(TOUCH_HEIGHT)
            state_layout = QHBoxLayout(state)
            state_layout.setContentsMargins(0, 0, 0, 0)
            icon, word = QLabel(), QLabel()
            state_layout.addWidget(icon)
            state_layout.addWidget(word)
            state_layout.addStretch(1)
            name = QLabel(line.product_name)
            self._name_labels[pid] = name
            target = QLabel(format_kg(line.target_kg))
            target.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            entry = QLineEdit()
            entry.setMinimumHeight(TOUCH_HEIGHT)
            entry.setMinimumWidth(110)
            entry.setAlignment(Qt.AlignmentFlag.AlignRight)
            entry.setPlaceholderText("kg")
            entry.returnPressed.connect(lambda p=pid: self._press(p, False))
            confirm = QPushButton()
            confirm.setMinimumHeight(TOUCH_HEIGHT)
            confirm.clicked.connect(lambda _checked=False, p=pid: self._press(p, False))
            accept = QPushButton()
            accept.setMinimumHeight(TOUCH_HEIGHT)
            accept.clicked.connect(lambda _checked=False, p=pid: self._press(p, True))
            detail = QLabel("")
            detail.setObjectName("handAddDetail")
            # Who confirmed it and when, under the component's name: the checklist stays narrow enough to
            # stand beside the batch's silo table.
            named = QWidget()
            named_layout = QVBoxLayout(named)
            named_layout.setContentsMargins(0, 0, 0, 0)
            named_layout.setSpacing(0)
            named_layout.addWidget(name)
            named_layout.addWidget(detail)
            for column, widget in enumerate((state, named, target, entry, confirm, accept)):
                self._grid.addWidget(widget, row, column)
            self.inputs[pid], self.confirm_buttons[pid], self.accept_buttons[pid] = entry, confirm, accept
            self.state_icons[pid], self.state_labels[pid], self.detail_labels[pid] = icon, word, detail
        self._grid.addWidget(self.message, len(lines) + 1, 0, 1, 6)
        self._grid.setColumnStretch(1, 1)

    def set_lines(self, lines: Sequence[HandAddLine], editable: bool | None = None) -> None:
        """Show the lines as stored (after a confirmation, or a refresh)."""
        if editable is not None:
            self._editable = editable and self._on_confirm is not None
        self._all_lines = list(lines)
        self.setTitle(checklist_title(lines))
        for line in lines:
            pid = line.product_id
            if pid not in self.inputs:
                continue
            self._lines[pid] = line
            confirmed = line.is_confirmed
            word, shape = (_t(CONFIRMED_WORD), Shape.CHECK) if confirmed else (_t(OPEN_WORD), Shape.RING)
            self.state_icons[pid].setPixmap(shape_icon(shape).pixmap(18, 18))
            self.state_labels[pid].setText(f"<b>{word}</b>" if not confirmed else word)
            detail = ""
            if confirmed:
                plc = line.source is HandAddSource.PLC
                when = format_local_time(line.confirmed_at)
                detail = (self.tr("weighed at the PLC scale, {time}").format(time=when) if plc else
                          self.tr("by {name}, {time}").format(name=line.confirmed_by or "?", time=when))
                self.inputs[pid].setText(f"{line.actual_kg:g}")
            self.detail_labels[pid].setText(detail)
            self.detail_labels[pid].setVisible(bool(detail))
            for widget in (self.inputs[pid], self.confirm_buttons[pid], self.accept_buttons[pid]):
                widget.setEnabled(self._editable)
                widget.setToolTip("" if self._editable else _t(TIP_REPORTED))
            if self._editable:
                self.accept_buttons[pid].setToolTip(self._accept_tips.get(pid, ""))
            self.confirm_buttons[pid].setText(self.tr("Correct") if confirmed else self.tr("Confirm"))

    def line(self, product_id: int) -> HandAddLine | None:
        return self._lines.get(product_id)

    def show_refusal(self, text: str) -> None:
        self.message.setText(self.tr("⚠ NOT STORED: {reason}").format(reason=text))

    def show_confirmed(self, text: str) -> None:
        self.message.setText(text)

    def _press(self, product_id: int, accept_target: bool) -> None:
        if not self._editable or self._on_confirm is None:
            return
        text = self.inputs[product_id].text().strip()
        if not accept_target and not text:
            self.show_refusal(self.tr("{product}: type the weighed kg, or press Accept target").format(
                product=self._lines[product_id].product_name))
            self.inputs[product_id].setFocus()
            return
        self.message.setText(self.tr("Saving…"))
        self._on_confirm(product_id, text, accept_target)
