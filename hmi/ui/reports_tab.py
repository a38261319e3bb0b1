"""Reports tab: the production report of a range (this shift, today, yesterday, last 7 days or
chosen times), exported as CSV, XLSX or PDF.

The report comes from the service layer (``ReportService``), the same one the CLI and the
admin API use; the tables show the same sections the files hold (hmi.services.report_export),
so what the operator reads here is what the exported file says. Files are written off the
GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.clock import PRESETS, TimeRange
from hmi.services.report_export import report_csv, report_html, report_sections, report_xlsx
from hmi.services.messages import first_line
from hmi.services.reports import ProductionReport, ReportService
from hmi.ui.formatting import format_report_row, plain_error

log = logging.getLogger("hmi.ui")

CUSTOM = "custom"
EXPORT_FILTERS = {"csv": "CSV (*.csv)", "xlsx": QT_TRANSLATE_NOOP("ReportsTab", "Excel workbook (*.xlsx)"),
                  "pdf": "PDF (*.pdf)"}

#: The range presets as the combo box names them (the service layer's PRESET_TEXT, in the window's language).
PRESET_WORDS = {
    "this-shift": QT_TRANSLATE_NOOP("ReportsTab", "This shift"),
    "today": QT_TRANSLATE_NOOP("ReportsTab", "Today"),
    "yesterday": QT_TRANSLATE_NOOP("ReportsTab", "Yesterday"),
    "last-7-days": QT_TRANSLATE_NOOP("ReportsTab", "Last 7 days"),
}

#: The tabs of the three lists under the totals (out of tolerance, hand-added, dosed but not produced).
LIST_TAB_WORDS = (
    QT_TRANSLATE_NOOP("ReportsTab", "Out of tolerance"),
    QT_TRANSLATE_NOOP("ReportsTab", "Added by hand"),
    QT_TRANSLATE_NOOP("ReportsTab", "Dosed, not produced"),
)

#: The words of the report's tables (hmi.services.report_export.report_sections) as the tab shows them.
#: The exported files keep them in English: they are the plant's record.
REPORT_WORDS = (
    QT_TRANSLATE_NOOP("ReportsTab", "Batches by final status"),
    QT_TRANSLATE_NOOP("ReportsTab", "Completed batches per product"),
    QT_TRANSLATE_NOOP("ReportsTab", "Consumption per silo (all archived batches)"),
    QT_TRANSLATE_NOOP("ReportsTab", "Out of tolerance"),
    QT_TRANSLATE_NOOP("ReportsTab", "Dosed, not produced (book in Odoo by hand)"),
    QT_TRANSLATE_NOOP("ReportsTab", "Outcome"),
    QT_TRANSLATE_NOOP("ReportsTab", "Booked by"),
    QT_TRANSLATE_NOOP("ReportsTab", "OPEN"),
    QT_TRANSLATE_NOOP("ReportsTab", "Status"),
    QT_TRANSLATE_NOOP("ReportsTab", "Batches"),
    QT_TRANSLATE_NOOP("ReportsTab", "Product"),
    QT_TRANSLATE_NOOP("ReportsTab", "Target kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Actual kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Deviation kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Deviation %"),
    QT_TRANSLATE_NOOP("ReportsTab", "Finished kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Silo"),
    QT_TRANSLATE_NOOP("ReportsTab", "Kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "MO"),
    QT_TRANSLATE_NOOP("ReportsTab", "Batch"),
    QT_TRANSLATE_NOOP("ReportsTab", "Silos"),
    QT_TRANSLATE_NOOP("ReportsTab", "Total"),
    QT_TRANSLATE_NOOP("ReportsTab", "None"),
    QT_TRANSLATE_NOOP("ReportsTab", "COMPLETED"),
    QT_TRANSLATE_NOOP("ReportsTab", "FAILED"),
    QT_TRANSLATE_NOOP("ReportsTab", "CANCELLED"),
    QT_TRANSLATE_NOOP("ReportsTab", "CLEARED"),
    QT_TRANSLATE_NOOP("ReportsTab", "Tolerance verdicts are not recorded yet"),
    QT_TRANSLATE_NOOP("ReportsTab", "By hand kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Open by hand"),
    QT_TRANSLATE_NOOP("ReportsTab", "Hand-added components (completed batches)"),
    QT_TRANSLATE_NOOP("ReportsTab", "Component"),
    QT_TRANSLATE_NOOP("ReportsTab", "Weighed"),
    QT_TRANSLATE_NOOP("ReportsTab", "Weighed kg"),
    QT_TRANSLATE_NOOP("ReportsTab", "Open"),
    QT_TRANSLATE_NOOP("ReportsTab", "Open target kg"),
)
_REPORT_WORDS = frozenset(REPORT_WORDS)


def report_word(text):
    """A word of the report's tables in the window's language; names, numbers and MOs stay as they are."""
    if isinstance(text, str) and text in _REPORT_WORDS:
        return QCoreApplication.translate("ReportsTab", text)
    return text


_SHIFT_LABEL = re.compile(r"^Shift (?P<shift>\d+) from (?P<start>.+) to (?P<end>.+) \((?P<zone>[^()]+)\)$")
_SPAN_LABEL = re.compile(r"^(?P<start>.+) to (?P<end>.+) \((?P<zone>[^()]+)\)$")


def range_text(time_range: TimeRange) -> str:
    """The range's name (hmi.clock, English) in the window's language."""
    label = time_range.label
    match = _SHIFT_LABEL.match(label)
    if match:
        return QCoreApplication.translate("ReportsTab", "Shift {shift} from {start} to {end} ({zone})").format(
            **match.groupdict())
    match = _SPAN_LABEL.match(label)
    if match:
        return QCoreApplication.translate("ReportsTab", "{start} to {end} ({zone})").format(**match.groupdict())
    return label


class ReportsTab(QWidget):
    def __init__(self, reports: ReportService, spawn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsTab")
        self.reports = reports
        self._spawn = spawn
        self._generation = 0
        self.report: ProductionReport | None = None
        self.loaded_once = False

        self.range_combo = QComboBox(self)
        # as wide as its longest entry in the language shown (not only the first one's)
        self.range_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for preset in PRESETS:
            self.range_combo.addItem("", preset)
        self.range_combo.addItem("", CUSTOM)
        self.range_combo.setCurrentIndex(PRESETS.index("today"))
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        range_label = self.range_label = QLabel(self)
        range_label.setBuddy(self.range_combo)
        plant_now = self.reports.clock.now().replace(tzinfo=None, second=0, microsecond=0)
        now = QDateTime(plant_now.date(), plant_now.time())  # plant time, as the range is read
        self.from_edit = QDateTimeEdit(now.addDays(-1), self)
        self.to_edit = QDateTimeEdit(now, self)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.editingFinished.connect(self._custom_changed)
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.reload)
        self.export_buttons = {}
        for fmt in ("csv", "xlsx", "pdf"):
            button = QPushButton(self)
            button.clicked.connect(lambda _checked=False, f=fmt: self.ask_export(f))
            self.export_buttons[fmt] = button

        self.title = QLabel("", self)
        self.title.setObjectName("reportTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)

        self.tables: list[QTableWidget] = []
        self.boxes: list[QGroupBox] = []
        grid = QGridLayout()
        for index in range(6):
            box = QGroupBox(self)
            table = QTableWidget(self)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.setMinimumHeight(36)  # the window's smallest size stays what the Batches tab needs
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(4, 4, 4, 4)
            box_layout.addWidget(table)
            self.tables.append(table)
            self.boxes.append(box)
        # Status | products | silos side by side (each fits a 1366x768 screen without scrolling); the
        # three lists below share the width as tabs, each tab saying how many rows it holds.
        grid.addWidget(self.boxes[0], 0, 0)
        grid.addWidget(self.boxes[1], 0, 1)
        grid.addWidget(self.boxes[2], 0, 2)
        self.lists = QTabWidget(self)
        self.lists.setObjectName("reportLists")
        for box in self.boxes[3:]:  # out of tolerance, hand-added, what failed and cleared batches dosed
            self.lists.addTab(box, "")
        grid.addWidget(self.lists, 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        controls = QHBoxLayout()
        self.to_label = QLabel(self)
        for widget in (range_label, self.range_combo, self.from_edit, self.to_label, self.to_edit,
                       self.refresh_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        for button in self.export_buttons.values():
            controls.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)
        self._shown_title: tuple[str, dict] | None = None
        self.retranslate()
        self._enable_custom_times()

    def retranslate(self) -> None:
        """The tab's words in the window's language; a report on show is shown again in it."""
        for index, preset in enumerate(PRESETS):
            self.range_combo.setItemText(index, self.tr(PRESET_WORDS[preset]))
        self.range_combo.setItemText(len(PRESETS), self.tr("Chosen times"))
        self.range_label.setText(self.tr("Ra&nge:"))
        self.to_label.setText(self.tr("to"))
        for edit in (self.from_edit, self.to_edit):
            edit.setToolTip(self.tr("Plant time ({zone})").format(zone=self.reports.clock.zone_name))
        self.refresh_button.setText(self.tr("Refresh"))
        for fmt, button in self.export_buttons.items():
            button.setText(self.tr("Export {format}…").format(format=fmt.upper()))
        pending = self._shown_title  # loading, or a failure: it stays what the title says
        self._name_lists(self.report)
        if self.report is not None:
            self.show_report(self.report)
        if pending is not None:
            self._set_title(*pending)

    def _set_title(self, text: str, fields: dict | None = None) -> None:
        """The title line from a source text (translated now and again on a language change)."""
        fields = fields or {}
        self._shown_title = (text, fields)
        self.title.setText(self.tr(text).format(**fields))

    # ------------------------------------------------------------------ range

    def selected_range(self) -> TimeRange:
        key = self.range_combo.currentData()
        if key == CUSTOM:
            start = self.from_edit.dateTime().toPython()
            end = self.to_edit.dateTime().toPython()
            return self.reports.range_for(start=start.replace(tzinfo=None), end=end.replace(tzinfo=None))
        return self.reports.range_for(key)

    def _enable_custom_times(self) -> bool:
        """The time fields are shown only for "Chosen times" (the presets need no room for them)."""
        custom = self.range_combo.currentData() == CUSTOM
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(custom)
        return custom

    def _range_changed(self, *_args) -> None:
        if not self._enable_custom_times():
            self.reload()

    def _custom_changed(self) -> None:
        if self.range_combo.currentData() == CUSTOM:
            self.reload()

    def reload(self) -> None:
        self._spawn(self.load())

    async def load(self) -> None:
        self._generation += 1
        generation = self._generation
        try:
            time_range = self.selected_range()
        except ValueError as exc:
            self._set_title(QT_TRANSLATE_NOOP("ReportsTab", "Cannot show this range: {error}"), {"error": str(exc)})
            return
        self._set_title(QT_TRANSLATE_NOOP("ReportsTab", "Loading the report of {range}…"),
                        {"range": range_text(time_range)})
        try:
            report = await self.reports.report(time_range)
        except Exception as exc:  # noqa: BLE001 - show it; the tab stays usable
            if generation == self._generation:
                self._set_title(QT_TRANSLATE_NOOP("ReportsTab", "Report unavailable: the database cannot be read"))
                self.title.setToolTip(plain_error(str(exc)))
            log.error("Reading the report failed: %s", first_line(exc))
            return
        if generation != self._generation:
            return
        self.show_report(report)

    def show_report(self, report: ProductionReport) -> None:
        self.report = report
        self.loaded_once = True
        self.title.setToolTip("")
        self._shown_title = None
        batches = (self.tr("{count} archived batch") if report.total_batches == 1
                   else self.tr("{count} archived batches")).format(count=report.total_batches)
        line = self.tr("line {line}").format(line=report.line) if report.line else self.tr("all lines")
        self.title.setText(self.tr("Production report {range} · {batches} · {line}").format(
            range=range_text(report.range), batches=batches, line=line))
        for box, table, (title, header, rows) in zip(self.boxes, self.tables, report_sections(report)):
            if table is self.tables[3] and report.out_of_tolerance is None:
                box.setTitle(self.tr("Out of tolerance: verdicts are not recorded yet"))
            else:
                box.setTitle(report_word(title))
            table.clear()
            table.setColumnCount(len(header))
            table.setHorizontalHeaderLabels([report_word(text) for text in header])
            table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                texts = format_report_row(header, row)
                for c, value in enumerate(row):
                    item = QTableWidgetItem(report_word(texts[c]))
                    if c > 0 and isinstance(value, (int, float)):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if row and row[0] == "Total":
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                    table.setItem(r, c, item)
        self._name_lists(report)

    def _name_lists(self, report: ProductionReport | None) -> None:
        """Each list's tab: its short name and how many rows it holds (an open booking shows at a glance)."""
        if report is None:
            counts: list[int | None] = [None] * 3
        else:
            counts = [None if report.out_of_tolerance is None else len(report.out_of_tolerance),
                      len(report.hand_added), len(report.dosed_not_produced)]
        for index, (word, count) in enumerate(zip(LIST_TAB_WORDS, counts)):
            name = self.tr(word)
            self.lists.setTabText(index, name if count is None else self.tr("{name} ({count})").format(
                name=name, count=count))

    def shown_rows(self, index: int) -> list[list[str]]:
        """The text of table ``index`` as the operator reads it (for checks and tests)."""
        table = self.tables[index]
        return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
                for r in range(table.rowCount())]

    # ------------------------------------------------------------------ export

    def ask_export(self, fmt: str) -> None:
        if self.report is None:
            return
        start = self.reports.clock.local(self.report.range.start)
        suggested = f"production-report-{start:%Y-%m-%d-%H%M}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the report as {format}").format(
            format=fmt.upper()), suggested, self.tr(EXPORT_FILTERS[fmt]))
        if path:
            self._spawn(self.export_to(Path(path), fmt))

    async def export_to(self, path: Path, fmt: str) -> None:
        """Write the shown report; the PDF is laid out here (Qt), every file written off the GUI thread."""
        report = self.report
        if report is None:
            return
        try:
            if fmt == "pdf":
                from hmi.ui.pdf import html_to_pdf_bytes

                data = html_to_pdf_bytes(report_html(report), f"Production report {report.range.label}")
            elif fmt == "xlsx":
                data = await asyncio.to_thread(report_xlsx, report)
            else:
                data = report_csv(report).encode("utf-8")
            await asyncio.to_thread(path.write_bytes, data)
        except Exception as exc:  # noqa: BLE001 - say it in the title; nothing else changes
            self._set_title(QT_TRANSLATE_NOOP("ReportsTab", "Export failed: {error}"),
                            {"error": plain_error(str(exc))})
            log.error("Exporting the report to %s failed: %s", path, exc)
            return
        log.info("Production report %s exported to %s", report.range.label, path)
