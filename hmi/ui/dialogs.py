"""Dialogs: confirm clear, effective settings, batch detail, about.

Only ``ask_clear_confirmation`` is modal-blocking; it is called from a plain Qt slot and
answered before any coroutine starts (a nested event loop inside a running asyncio task
is what makes qasync fail with "Cannot enter into task"). The others open window-modal
without blocking (``open()``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi import __version__
from hmi.config import Settings
from hmi.domain import Batch
from hmi.ui.batch_model import LOCKED_TOOLTIP, STATE_TEXT
from hmi.ui.formatting import format_kg, format_local_time, format_percent


def clear_question_text(count: int) -> str:
    noun = "batch" if count == 1 else "batches"
    return (f"Clear the batch table?\n\n"
            f"{count} {noun} will be moved to the history as \"cleared\" (nothing is deleted), "
            f"and the table will be empty for the next sync.\n\n"
            f"Batches the PLC is still dosing will no longer be followed.")


def ask_clear_confirmation(parent: QWidget | None, count: int) -> bool:
    """Yes/No question with No as the default button (a slip of Enter must not clear)."""
    answer = QMessageBox.question(
        parent,
        "Clear the batch table",
        clear_question_text(count),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


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
        rows = [[spec.env, display, source, spec.help] for spec, display, source in settings.describe()]
        where = f"Settings file: {settings.config_path}" if getattr(settings, "config_path", None) \
            else "No settings file found; built-in defaults, .env and environment apply."
        intro = QLabel(f"{where}\nSecrets are masked. Change them in settings.ini or the environment and restart.")
        intro.setWordWrap(True)
        self.table = _read_only_table(self, ["Setting", "Value", "From", "Meaning"], rows)
        self.table.setWordWrap(False)
        _lay_out_table_dialog(self, intro, self.table, (960, 560))


def _lay_out_table_dialog(dialog: QDialog, header: QWidget, table: QWidget, size: tuple[int, int]) -> None:
    """Header text, the table, a Close button: the shape of every read-only dialog here."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(header)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(*size)


class BatchDetailDialog(QDialog):
    """Every silo of one batch: component, target, actual, deviation."""

    def __init__(self, batch: Batch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.batch = batch
        self.setWindowTitle(f"Batch {batch.batch_no} — {batch.mo_id}")
        state = STATE_TEXT[batch.state]
        header_lines = [
            f"<b>{batch.mo_id}</b> — {batch.product_name or ''}",
            f"Batch {batch.batch_no}, line {batch.equipment_code or '—'}, state <b>{state}</b>",
            f"Last PLC reading: {format_local_time(batch.last_read_from_plc)}",
        ]
        if batch.is_locked:
            header_lines.append(LOCKED_TOOLTIP)
        if batch.last_push_error:
            header_lines.append(f"Last push error: {batch.last_push_error}")
        header = QLabel("<br>".join(header_lines))
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        rows = []
        for line in batch.silos:
            if not line.target_kg and not line.actual_kg:
                continue
            rows.append([line.silo.long_label, line.component_name or "—", format_kg(line.target_kg),
                         format_kg(line.actual_kg), format_percent(line.deviation_percent)])
        rows.append(["Total", "", format_kg(batch.target_total_kg), format_kg(batch.actual_total_kg),
                     format_percent((batch.actual_total_kg - batch.target_total_kg) / batch.target_total_kg * 100
                                    if batch.target_total_kg and batch.last_read_from_plc else None)])
        self.table = _read_only_table(self, ["Silo", "Component", "Target kg", "Actual kg", "Deviation"], rows)
        for r in range(self.table.rowCount()):
            for c in (2, 3, 4):
                item = self.table.item(r, c)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        _lay_out_table_dialog(self, header, self.table, (640, 480))


def about_text() -> str:
    return (f"<h3>Batch HMI {__version__}</h3>"
            "<p>Takes Manufacturing Orders from Odoo, writes their recipes to the batching PLC, "
            "follows the dosing and reports the actual consumption per silo back to Odoo.</p>"
            "<p>Keys: F5 Trigger sync · F6 Pause/Resume auto-sync · Ctrl+Shift+Del Clear table · "
            "Ctrl+, Settings · F1 About · Ctrl+Q Quit</p>")
