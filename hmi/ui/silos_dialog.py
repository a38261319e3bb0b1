"""Silos dialog: which product (Odoo internal reference) is in which silo or tank, for stock Odoo.

15 rows (A..M, LQ114, LQ115) with the internal reference and the product name, a search of Odoo products by
reference or name (stock protocols only), CSV import/export, Save. Save replaces the whole assignment through
the same service the admin API uses; a rule broken (a product in two silos) is named in the dialog and nothing
is saved. Reading and saving run as tasks on the application's loop, so the window never waits on them.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Callable, Coroutine

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.domain import ALL_SILOS
from hmi.silo_assignment import AssignmentError, SiloAssignment, from_csv, parse_entries, to_csv

log = logging.getLogger("hmi.ui")

COLUMNS = ("Silo", "Internal reference", "Product")
SEARCH_NEEDS_STOCK = "Searching Odoo products needs a stock Odoo protocol (ODOO_API=jsonrpc, json2 or auto)"


class SilosDialog(QDialog):
    #: Loading, a search or a save finished (tests and screenshots wait for it).
    settled = Signal()

    def __init__(self, service, spawn: Callable[[Coroutine], asyncio.Task], actor: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Silos — product in each silo and tank")
        self.setObjectName("silosDialog")
        self.service = service
        self._spawn = spawn
        self._actor = actor
        self._busy = False

        self.table = QTableWidget(len(ALL_SILOS), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, silo in enumerate(ALL_SILOS):
            label = QTableWidgetItem(silo.long_label)
            label.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            label.setData(Qt.ItemDataRole.UserRole, silo.label)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, QTableWidgetItem(""))
            self.table.setItem(row, 2, QTableWidgetItem(""))
        self.table.selectRow(0)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Internal reference or name, e.g. RM-CORN or corn")
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton("&Search Odoo", self)
        self.search_button.clicked.connect(self.search)
        self.results = QTableWidget(0, 2, self)
        self.results.setHorizontalHeaderLabels(["Internal reference", "Product"])
        self.results.verticalHeader().setVisible(False)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.doubleClicked.connect(lambda _index: self.assign_selected_result())
        self.assign_button = QPushButton("&Put in selected silo", self)
        self.assign_button.clicked.connect(self.assign_selected_result)
        self.empty_button = QPushButton("&Empty selected silo", self)
        self.empty_button.clicked.connect(self.empty_selected_silo)
        if not service.can_search_products:
            for widget in (self.search_edit, self.search_button, self.assign_button):
                widget.setEnabled(False)
                widget.setToolTip(SEARCH_NEEDS_STOCK)

        self.message = QLabel("", self)
        self.message.setObjectName("silosMessage")
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("&Import CSV…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = buttons.addButton("E&xport CSV…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self._import_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.save_button.clicked.connect(self.save)
        close_button.clicked.connect(self.reject)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.assign_button)
        result_buttons.addWidget(self.empty_button)
        result_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One product per silo, one silo per product. MOs with a component in no silo "
                                "are left out of the sync.", self))
        layout.addWidget(self.table, 3)
        layout.addLayout(search_row)
        layout.addWidget(self.results, 2)
        layout.addLayout(result_buttons)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 720)
        self.reload()

    # ---- table <-> assignment ---------------------------------------------------------------------------

    def show_assignment(self, assignment: SiloAssignment) -> None:
        for row, silo in enumerate(ALL_SILOS):
            entry = assignment.entry_for(silo)
            self.table.item(row, 1).setText(entry.product_code if entry else "")
            self.table.item(row, 2).setText(entry.product_name if entry else "")

    def edited_assignment(self) -> SiloAssignment:
        """What the table shows; raises AssignmentError naming the silo when a rule is broken."""
        items = []
        for row, silo in enumerate(ALL_SILOS):
            code = self.table.item(row, 1).text().strip()
            if code:
                items.append({"silo": silo.label, "product_code": code,
                              "product_name": self.table.item(row, 2).text().strip()})
        return parse_entries(items)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(("⚠ " if problem else "") + text)
        self.message.setProperty("problem", problem)

    # ---- actions ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._run(self._load())

    async def _load(self) -> None:
        try:
            self.show_assignment(await self.service.get())
            self._say("")
        except Exception as exc:  # noqa: BLE001 - the dialog says it, the window keeps running
            self._say(f"The silo assignment could not be read: {exc}", problem=True)

    def save(self) -> None:
        try:
            assignment = self.edited_assignment()
        except AssignmentError as exc:
            self._say(f"Not saved: {exc}", problem=True)
            self.settled.emit()
            return
        self._run(self._save(assignment, self._actor()))

    async def _save(self, assignment: SiloAssignment, actor: str) -> None:
        try:
            changes = await self.service.replace(assignment, actor)
        except Exception as exc:  # noqa: BLE001
            self._say(f"Not saved: {exc}", problem=True)
            return
        self._say(f"Saved by {actor}: {len(changes)} change(s)" if changes else "Saved: nothing changed")

    def search(self) -> None:
        if not self.search_button.isEnabled():
            return
        self._run(self._search(self.search_edit.text()))

    async def _search(self, text: str) -> None:
        try:
            found = await self.service.search_products(text)
        except Exception as exc:  # noqa: BLE001
            self._say(f"Search failed: {exc}", problem=True)
            return
        self.results.setRowCount(len(found))
        for row, (code, name) in enumerate(found):
            self.results.setItem(row, 0, QTableWidgetItem(code))
            self.results.setItem(row, 1, QTableWidgetItem(name))
        if found:
            self.results.selectRow(0)
        self._say(f"{len(found)} product(s) found" if found else "No product with an internal reference matches")

    def assign_selected_result(self) -> None:
        row = self.results.currentRow()
        silo_row = self.table.currentRow()
        if row < 0 or silo_row < 0:
            return
        code, name = self.results.item(row, 0).text(), self.results.item(row, 1).text()
        for other in range(self.table.rowCount()):  # one silo per product: move it, do not copy it
            if other != silo_row and self.table.item(other, 1).text().strip() == code:
                self.table.item(other, 1).setText("")
                self.table.item(other, 2).setText("")
        self.table.item(silo_row, 1).setText(code)
        self.table.item(silo_row, 2).setText(name)
        self._say(f"{code} put in {ALL_SILOS[silo_row].long_label} (not saved yet)")

    def empty_selected_silo(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.item(row, 1).setText("")
            self.table.item(row, 2).setText("")

    def import_csv_text(self, text: str) -> bool:
        try:
            self.show_assignment(from_csv(text))
        except AssignmentError as exc:
            self._say(f"Not imported: {exc}", problem=True)
            return False
        self._say("Imported (not saved yet)")
        return True

    def export_csv_text(self) -> str:
        return to_csv(self.edited_assignment())

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import silo assignment", "", "CSV files (*.csv)")
        if path:
            self.import_csv_text(Path(path).read_text(encoding="utf-8-sig"))

    def _export_clicked(self) -> None:
        try:
            text = self.export_csv_text()
        except AssignmentError as exc:
            self._say(f"Not exported: {exc}", problem=True)
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export silo assignment", "silo-assignment.csv",
                                              "CSV files (*.csv)")
        if path:
            Path(path).write_text(text, encoding="utf-8")
            self._say(f"Exported to {path}")

    # ---- tasks ------------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def _run(self, coroutine: Coroutine) -> None:
        async def wrapped() -> None:
            self._busy = True
            self.save_button.setEnabled(False)
            try:
                await coroutine
            finally:
                self._busy = False
                self.save_button.setEnabled(True)
                self.settled.emit()

        self._spawn(wrapped())
