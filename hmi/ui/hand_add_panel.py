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

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from hmi.domain import HandAddLine, HandAddSource
from hmi.ui.formatting import format_kg, format_local_time
from hmi.ui.shapes import Shape, shape_icon

#: Touch targets: at least this tall (px), as a gloved finger needs.
TOUCH_HEIGHT = 44
OPEN_WORD = "OPEN"
CONFIRMED_WORD = "CONFIRMED"
TIP_REPORTED = "The batch was reported to Odoo; the checklist can no longer change"


def checklist_title(lines: Sequence[HandAddLine]) -> str:
    open_count = sum(1 for line in lines if not line.is_confirmed)
    if not open_count:
        return f"Hand-added components — all {len(lines)} confirmed"
    return f"Hand-added components — {open_count} of {len(lines)} OPEN: weigh and confirm"


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
        for column, text in enumerate(("State", "Component", "Target kg", "Weighed kg", "", "", "")):
            header = QLabel(f"<b>{text}</b>")
            self._grid.addWidget(header, 0, column)
        self.message = QLabel("")
        self.message.setObjectName("handAddMessage")
        self.message.setWordWrap(True)
        self._lines: dict[int, HandAddLine] = {}
        self._build_rows(lines)
        self.set_lines(lines)

    def _build_rows(self, lines: Sequence[HandAddLine]) -> None:
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
            name.setToolTip(f"Odoo product id {pid}")
            target = QLabel(format_kg(line.target_kg))
            target.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            entry = QLineEdit()
            entry.setMinimumHeight(TOUCH_HEIGHT)
            entry.setMinimumWidth(110)
            entry.setAlignment(Qt.AlignmentFlag.AlignRight)
            entry.setPlaceholderText("kg")
            entry.setAccessibleName(f"Weighed kg of {line.product_name}")
            entry.returnPressed.connect(lambda p=pid: self._press(p, False))
            confirm = QPushButton("Confirm")
            confirm.setMinimumHeight(TOUCH_HEIGHT)
            confirm.clicked.connect(lambda _checked=False, p=pid: self._press(p, False))
            accept = QPushButton("Accept target")
            accept.setMinimumHeight(TOUCH_HEIGHT)
            accept.setToolTip(f"The scale shows the target, {format_kg(line.target_kg)} kg")
            accept.clicked.connect(lambda _checked=False, p=pid: self._press(p, True))
            detail = QLabel("")
            for column, widget in enumerate((state, name, target, entry, confirm, accept, detail)):
                self._grid.addWidget(widget, row, column)
            self.inputs[pid], self.confirm_buttons[pid], self.accept_buttons[pid] = entry, confirm, accept
            self.state_icons[pid], self.state_labels[pid], self.detail_labels[pid] = icon, word, detail
        self._grid.addWidget(self.message, len(lines) + 1, 0, 1, 7)
        self._grid.setColumnStretch(1, 1)

    def set_lines(self, lines: Sequence[HandAddLine], editable: bool | None = None) -> None:
        """Show the lines as stored (after a confirmation, or a refresh)."""
        if editable is not None:
            self._editable = editable and self._on_confirm is not None
        self.setTitle(checklist_title(lines))
        for line in lines:
            pid = line.product_id
            if pid not in self.inputs:
                continue
            self._lines[pid] = line
            confirmed = line.is_confirmed
            word, shape = (CONFIRMED_WORD, Shape.CHECK) if confirmed else (OPEN_WORD, Shape.RING)
            self.state_icons[pid].setPixmap(shape_icon(shape).pixmap(18, 18))
            self.state_labels[pid].setText(f"<b>{word}</b>" if not confirmed else word)
            detail = ""
            if confirmed:
                plc = line.source is HandAddSource.PLC
                who = "weighed at the PLC scale" if plc else f"by {line.confirmed_by or '?'}"
                detail = f"{who}, {format_local_time(line.confirmed_at)}"
                self.inputs[pid].setText(f"{line.actual_kg:g}")
            self.detail_labels[pid].setText(detail)
            for widget in (self.inputs[pid], self.confirm_buttons[pid], self.accept_buttons[pid]):
                widget.setEnabled(self._editable)
                widget.setToolTip("" if self._editable else TIP_REPORTED)
            self.confirm_buttons[pid].setText("Correct" if confirmed else "Confirm")

    def line(self, product_id: int) -> HandAddLine | None:
        return self._lines.get(product_id)

    def show_refusal(self, text: str) -> None:
        self.message.setText(f"⚠ NOT STORED: {text}")

    def show_confirmed(self, text: str) -> None:
        self.message.setText(text)

    def _press(self, product_id: int, accept_target: bool) -> None:
        if not self._editable or self._on_confirm is None:
            return
        text = self.inputs[product_id].text().strip()
        if not accept_target and not text:
            self.show_refusal(f"{self._lines[product_id].product_name}: type the weighed kg, or press Accept target")
            self.inputs[product_id].setFocus()
            return
        self.message.setText("Saving…")
        self._on_confirm(product_id, text, accept_target)
