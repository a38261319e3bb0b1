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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
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

COLUMNS = (QT_TRANSLATE_NOOP("SilosDialog", "Silo"), QT_TRANSLATE_NOOP("SilosDialog", "Internal reference"),
           QT_TRANSLATE_NOOP("SilosDialog", "Product"))
#: With a tolerance service: the per-silo dosing tolerance overrides (blank = the default).
TOLERANCE_COLUMNS = (QT_TRANSLATE_NOOP("SilosDialog", "Tolerance kg"), QT_TRANSLATE_NOOP("SilosDialog", "Tolerance %"))
TOL_KG, TOL_PERCENT = 3, 4
SEARCH_NEEDS_STOCK = QT_TRANSLATE_NOOP("SilosDialog", "Searching Odoo products needs a stock Odoo protocol "
                                                      "(ODOO_API=jsonrpc, json2 or auto)")


def _t(text: str) -> str:
    return QCoreApplication.translate("SilosDialog", text)


class SilosDialog(QDialog):
    #: Loading, a search or a save finished (tests and screenshots wait for it).
    settled = Signal()

    def __init__(self, service, spawn: Callable[[Coroutine], asyncio.Task], actor: Callable[[], str],
                 parent: QWidget | None = None, tolerance=None) -> None:
        super().__init__(parent)
        self.tolerance = tolerance  # hmi.services.tolerance.ToleranceService, or None
        self.setObjectName("silosDialog")
        self.service = service
        self._spawn = spawn
        self._actor = actor
        self._busy = False

        columns = COLUMNS + (TOLERANCE_COLUMNS if tolerance is not None else ())
        self.table = QTableWidget(len(ALL_SILOS), len(columns), self)
        self._columns = columns
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
            if tolerance is not None:
                for column in (TOL_KG, TOL_PERCENT):
                    item = QTableWidgetItem("")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, column, item)
        if tolerance is not None:
            header.setSectionResizeMode(TOL_KG, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(TOL_PERCENT, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectRow(0)

        self.search_edit = QLineEdit(self)
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self)
        self.search_button.clicked.connect(self.search)
        self.results = QTableWidget(0, 2, self)
        self.results.verticalHeader().setVisible(False)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.doubleClicked.connect(lambda _index: self.assign_selected_result())
        self.assign_button = QPushButton(self)
        self.assign_button.clicked.connect(self.assign_selected_result)
        self.empty_button = QPushButton(self)
        self.empty_button.clicked.connect(self.empty_selected_silo)
        if not service.can_search_products:
            for widget in (self.search_edit, self.search_button, self.assign_button):
                widget.setEnabled(False)

        self.message = QLabel("", self)
        self.message.setObjectName("silosMessage")
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = close_button = buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
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
        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        layout.addWidget(self.rule_label)
        if tolerance is not None:
            self.tolerance_hint = QLabel(self)
            self.tolerance_hint.setWordWrap(True)
            layout.addWidget(self.tolerance_hint)
        layout.addWidget(self.table, 3)
        layout.addLayout(search_row)
        layout.addWidget(self.results, 2)
        layout.addLayout(result_buttons)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(760, 720)
        #: The message line, kept as a function so it follows a change of language.
        self._message: Callable[[], str] = lambda: ""
        self._problem = False
        self.retranslate()
        self._built = True
        self.reload()

    def retranslate(self) -> None:
        """Every fixed text in the window's language (also while the dialog is open)."""
        self.setWindowTitle(self.tr("Silos — product in each silo and tank"))
        self.table.setHorizontalHeaderLabels([_t(c) for c in self._columns])
        if self.tolerance is not None:
            for row in range(self.table.rowCount()):
                for column in (TOL_KG, TOL_PERCENT):
                    self.table.item(row, column).setToolTip(self.tr("Blank = the default tolerance"))
            default = self.tolerance.default
            self.tolerance_hint.setText(
                self.tr("Dosing tolerance: within when |actual − target| ≤ max(kg, % × target). Blank = the default "
                        "({kg} kg, {percent} %).").format(kg=f"{default.kg:g}", percent=f"{default.percent:g}"))
        self.rule_label.setText(self.tr("One product per silo, one silo per product. MOs with a component in no "
                                        "silo are left out of the sync."))
        self.search_edit.setPlaceholderText(self.tr("Internal reference or name, e.g. RM-CORN or corn"))
        self.search_button.setText(self.tr("&Search Odoo"))
        self.results.setHorizontalHeaderLabels([_t(COLUMNS[1]), _t(COLUMNS[2])])
        self.assign_button.setText(self.tr("&Put in selected silo"))
        self.empty_button.setText(self.tr("&Empty selected silo"))
        if not self.service.can_search_products:
            for widget in (self.search_edit, self.search_button, self.assign_button):
                widget.setToolTip(_t(SEARCH_NEEDS_STOCK))
        self.import_button.setText(self.tr("&Import CSV…"))
        self.export_button.setText(self.tr("E&xport CSV…"))
        self.save_button.setText(self.tr("&Save"))
        self.close_button.setText(QCoreApplication.translate("Dialogs", "Close"))
        self._show_message()

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_built", False):
            self.retranslate()
        super().changeEvent(event)

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

    def _say(self, text: Callable[[], str], problem: bool = False) -> None:
        """The message line; ``text`` gives it in the window's language (asked again on a change of language).
        Reasons from the assignment rules and from Odoo are shown as they come (English)."""
        self._message, self._problem = text, problem
        self._show_message()

    def _show_message(self) -> None:
        text = self._message()
        self.message.setText(("⚠ " if self._problem and text else "") + text)
        self.message.setProperty("problem", self._problem)

    # ---- actions ----------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._run(self._load())

    async def _load(self) -> None:
        try:
            self.show_assignment(await self.service.get())
            if self.tolerance is not None:
                self.show_tolerances(await self.tolerance.overrides())
            self._say(lambda: "")
        except Exception as exc:  # noqa: BLE001 - the dialog says it, the window keeps running
            self._say(lambda e=exc: self.tr("The silo assignment could not be read: {error}").format(error=e),
                      problem=True)

    def save(self) -> None:
        try:
            assignment = self.edited_assignment()
            overrides = self.edited_tolerances()
        except (AssignmentError, ValueError) as exc:
            self._say(lambda e=exc: self.tr("Not saved: {error}").format(error=e), problem=True)
            self.settled.emit()
            return
        self._run(self._save(assignment, self._actor(), overrides))

    async def _save(self, assignment: SiloAssignment, actor: str, overrides=None) -> None:
        try:
            changes = await self.service.replace(assignment, actor)
            if self.tolerance is not None and overrides is not None:
                changes = list(changes) + list(await self.tolerance.replace(overrides, actor))
        except Exception as exc:  # noqa: BLE001
            self._say(lambda e=exc: self.tr("Not saved: {error}").format(error=e), problem=True)
            return
        count = len(changes)
        if count:
            self._say(lambda: self.tr("Saved by {actor}: {count} change(s)").format(actor=actor, count=count))
        else:
            self._say(lambda: self.tr("Saved: nothing changed"))

    # ---- tolerances -------------------------------------------------------------------------------------

    def show_tolerances(self, overrides: dict) -> None:
        for row, silo in enumerate(ALL_SILOS):
            override = overrides.get(silo.label)
            kg = None if override is None else override.kg
            pct = None if override is None else override.percent
            self.table.item(row, TOL_KG).setText("" if kg is None else f"{kg:g}")
            self.table.item(row, TOL_PERCENT).setText("" if pct is None else f"{pct:g}")

    def edited_tolerances(self):
        """The overrides the table shows; raises ValueError naming the silo on a bad number."""
        if self.tolerance is None:
            return None
        from hmi.services.tolerance import SiloOverride

        overrides = []
        for row, silo in enumerate(ALL_SILOS):
            values = []
            for column, unit in ((TOL_KG, "kg"), (TOL_PERCENT, "%")):
                text = self.table.item(row, column).text().strip().replace(",", ".")
                if not text:
                    values.append(None)
                    continue
                try:
                    value = float(text)
                except ValueError:
                    raise ValueError(self.tr("{silo}: tolerance '{value}' {unit} is not a number").format(
                        silo=silo.long_label, value=text, unit=unit)) from None
                if value < 0:
                    raise ValueError(self.tr("{silo}: a tolerance cannot be negative").format(silo=silo.long_label))
                values.append(value)
            if values != [None, None]:
                overrides.append(SiloOverride(silo.label, values[0], values[1]))
        return overrides

    def search(self) -> None:
        if not self.search_button.isEnabled():
            return
        self._run(self._search(self.search_edit.text()))

    async def _search(self, text: str) -> None:
        try:
            found = await self.service.search_products(text)
        except Exception as exc:  # noqa: BLE001
            self._say(lambda e=exc: self.tr("Search failed: {error}").format(error=e), problem=True)
            return
        self.results.setRowCount(len(found))
        for row, (code, name) in enumerate(found):
            self.results.setItem(row, 0, QTableWidgetItem(code))
            self.results.setItem(row, 1, QTableWidgetItem(name))
        if found:
            self.results.selectRow(0)
        count = len(found)
        if count:
            self._say(lambda: self.tr("{count} product(s) found").format(count=count))
        else:
            self._say(lambda: self.tr("No product with an internal reference matches"))

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
        silo = ALL_SILOS[silo_row].long_label
        self._say(lambda: self.tr("{code} put in {silo} (not saved yet)").format(code=code, silo=silo))

    def empty_selected_silo(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.item(row, 1).setText("")
            self.table.item(row, 2).setText("")

    def import_csv_text(self, text: str) -> bool:
        try:
            self.show_assignment(from_csv(text))
        except AssignmentError as exc:
            self._say(lambda e=exc: self.tr("Not imported: {error}").format(error=e), problem=True)
            return False
        self._say(lambda: self.tr("Imported (not saved yet)"))
        return True

    def export_csv_text(self) -> str:
        return to_csv(self.edited_assignment())

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import silo assignment"), "",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.import_csv_text(Path(path).read_text(encoding="utf-8-sig"))

    def _export_clicked(self) -> None:
        try:
            text = self.export_csv_text()
        except AssignmentError as exc:
            self._say(lambda e=exc: self.tr("Not exported: {error}").format(error=e), problem=True)
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export silo assignment"), "silo-assignment.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            Path(path).write_text(text, encoding="utf-8")
            self._say(lambda: self.tr("Exported to {path}").format(path=path))

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
