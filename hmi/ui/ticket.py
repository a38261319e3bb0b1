"""Batch ticket: what went into one batch, on screen, printed (Qt print dialog) or saved as PDF.

The ticket is the HTML of hmi.services.report_export.ticket_html (the same text on screen,
on paper and in the PDF), laid out for A4 portrait and readable in black and white. The
ticket is a plant record and stays English whatever the window's language (like the report
files and the log); the dialog around it (title, buttons, messages) follows the window. It opens
for an archived batch (double-click in History) and for a DONE batch still in the table
(Ticket… in its details). Both show the batch's dosing curve under the ticket.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from hmi.domain import Batch
from hmi.services.report_export import ticket_html
from hmi.services.reports import BatchTicket
from hmi.records import HistoryEntry
from hmi.ui.formatting import plain_error
from hmi.ui.trends_tab import DosingCurve

log = logging.getLogger("hmi.ui")

#: The dosing curve in a batch's details gives way to the silo table down to this height (px).
DETAIL_CURVE_MIN_HEIGHT = 160


def dosing_curve_for(port, source: HistoryEntry | Batch, live: bool, parent: QWidget | None = None) -> DosingCurve:
    """The dosing curve of one batch, fed from batch_readings (``port``: hmi.ui.ports.WindowPort)."""
    targets = {line.silo.label: line.target_kg for line in source.silos if line.target_kg}

    async def fetch(since):
        return await port.dosing_samples(source.mo_id, source.batch_no, since)

    curve = DosingCurve(port.reports.clock, fetch, targets, live=live, parent=parent)
    curve.refresh()
    return curve


class TicketDialog(QDialog):
    """The ticket of one batch, its dosing curve, Print… and Save as PDF…."""

    def __init__(self, port, source: HistoryEntry | Batch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketDialog")
        self.port = port
        self.source = source
        self.ticket: BatchTicket | None = None
        self.html = ""
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        #: What the browser says until the ticket is shown: (source text, fields); None once shown.
        self._message: tuple[str, dict] | None = (QT_TRANSLATE_NOOP("TicketDialog", "Loading the ticket…"), {})
        self._status: tuple[str, dict] | None = None
        self.curve = dosing_curve_for(port, source, live=False, parent=self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.browser)
        splitter.addWidget(self.curve)
        splitter.setSizes([420, 300])
        self.status = QLabel("", self)
        self.print_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
        self.print_button.clicked.connect(self.print_ticket)
        self.pdf_button.clicked.connect(self.ask_save_pdf)
        close = self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addWidget(self.status, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.resize(860, 760)
        self._tasks: set[asyncio.Task] = set()
        self.retranslate()
        self._spawn(self.load())

    def retranslate(self) -> None:
        """The dialog's words in the window's language (the ticket itself stays English: a plant record)."""
        self.setWindowTitle(self.tr("Batch ticket — {mo}").format(mo=self.source.mo_id))
        self.print_button.setText(self.tr("&Print…"))
        self.pdf_button.setText(self.tr("Save as P&DF…"))
        self.close_box.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        for button in (self.print_button, self.pdf_button):
            button.setToolTip("" if button.isEnabled() else self.tr("Available once the ticket is loaded"))
        if self._message is not None:
            text, fields = self._message
            self.browser.setPlainText(self.tr(text).format(**fields))
        if self._status is not None:
            text, fields = self._status
            self.status.setText(self.tr(text).format(**fields))
        self.curve.retranslate()

    def _say(self, text: str, fields: dict | None = None) -> None:
        """A message beside the buttons (source text; follows a language switch)."""
        self._status = (text, fields or {})
        self.status.setText(self.tr(text).format(**(fields or {})))

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def load(self) -> None:
        try:
            record = None
            tolerance = getattr(self.port, "tolerance", None)
            if isinstance(self.source, Batch) and tolerance is not None:
                # A batch still in the table is judged as its row and its details judge it.
                verdict = await tolerance.judge_finished(self.source)
                record = None if verdict is None else (verdict.word, verdict.to_json())
            ticket = await self.port.reports.ticket(self.source, record)
        except Exception as exc:  # noqa: BLE001 - the dialog says it; nothing else depends on it
            self._message = (QT_TRANSLATE_NOOP("TicketDialog", "The ticket cannot be read from the database: {error}"),
                             {"error": plain_error(str(exc))})
            self.browser.setPlainText(self.tr(self._message[0]).format(**self._message[1]))
            return
        self.show_ticket(ticket)

    def show_ticket(self, ticket: BatchTicket) -> None:
        self.ticket = ticket
        self._message = None
        self.html = ticket_html(ticket, self.port.reports.clock)
        self.browser.setHtml(self.html)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)
            button.setToolTip("")

    def print_ticket(self) -> None:
        from hmi.ui.pdf import print_html

        if self.html and print_html(self.html, self, f"Batch ticket {self.source.mo_id}"):
            self._say(QT_TRANSLATE_NOOP("TicketDialog", "Sent to the printer"))

    def ask_save_pdf(self) -> None:
        suggested = f"ticket-{self.source.mo_id.replace('/', '-')}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the ticket as PDF"), suggested, "PDF (*.pdf)")
        if path:
            self._spawn(self.save_pdf(Path(path)))

    async def save_pdf(self, path: Path) -> bool:
        """Qt lays the PDF out here; the file is written off the GUI thread."""
        from hmi.ui.pdf import html_to_pdf_bytes

        data = html_to_pdf_bytes(self.html, f"Batch ticket {self.source.mo_id}")
        try:
            await asyncio.to_thread(path.write_bytes, data)
        except OSError as exc:
            self._say(QT_TRANSLATE_NOOP("TicketDialog", "Not saved: {error}"), {"error": plain_error(str(exc))})
            return False
        self._say(QT_TRANSLATE_NOOP("TicketDialog", "Saved to {file}"), {"file": path.name})
        log.info("Batch ticket of %s saved to %s", self.source.mo_id, path)
        return True

    def done(self, result: int) -> None:
        self.curve.stop()
        super().done(result)


class TicketButton(QPushButton):
    """Ticket… in a batch's details dialog; enabled once the PLC has finished the batch."""

    def __init__(self, locked: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketButton")
        self.setEnabled(locked)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("&Ticket…"))
        self.setToolTip("" if self.isEnabled() else self.tr("The ticket is made once the PLC has finished the batch"))


def extend_detail_dialog(dialog, batch: Batch, port) -> DosingCurve | None:
    """Add the batch's dosing curve (live while it doses) and a Ticket… button to its details dialog
    (hmi.ui.dialogs.BatchDetailDialog)."""
    if port.dosing_samples is None or port.reports is None:
        return None
    curve = dosing_curve_for(port, batch, live=not batch.is_locked, parent=dialog)
    curve.setMinimumHeight(DETAIL_CURVE_MIN_HEIGHT)
    ticket_button = TicketButton(batch.is_locked, dialog)

    def open_ticket() -> None:
        ticket = TicketDialog(port, batch, dialog)
        ticket.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ticket.open()
        dialog.ticket_dialog = ticket

    ticket_button.clicked.connect(open_ticket)
    dialog.add_side_widget(curve, 1)  # beside the silo table, above the hand-added checklist
    dialog.add_button(ticket_button)  # by the batch's actions
    dialog.finished.connect(curve.stop)
    dialog.dosing_curve = curve
    dialog.ticket_button = ticket_button
    return curve


def open_history_ticket(port, entry: HistoryEntry, parent: QWidget) -> TicketDialog:
    dialog = TicketDialog(port, entry, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
