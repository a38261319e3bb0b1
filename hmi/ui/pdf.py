"""Qt renders the report and ticket HTML (hmi.services.report_export) to PDF and to a printer.

QTextDocument lays the HTML out on an A4 portrait page; QPdfWriter writes the PDF (no extra
dependency). Printing goes through the platform's print dialog (QPrintDialog).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPagedPaintDevice, QPdfWriter, QTextDocument

#: Resolution of the PDF's layout (points are what QTextDocument's pt font sizes assume).
PDF_DPI = 300


def _document(html: str, title: str) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    document.setHtml(html)
    return document


def _a4_portrait() -> QPageLayout:
    """A4 portrait without page margins: QTextDocument.print_ puts its own 2 cm around the text."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def _print_to(device: QPagedPaintDevice, document: QTextDocument) -> None:
    device.setPageLayout(_a4_portrait())
    document.print_(device)


def html_to_pdf_bytes(html: str, title: str = "Batch HMI") -> bytes:
    """The HTML as an A4 portrait PDF, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("Batch HMI")
    _print_to(writer, _document(html, title))
    del writer  # finishes the file
    buffer.close()
    return bytes(data.data())


def print_html(html: str, parent=None, title: str = "Batch HMI") -> bool:
    """Show the print dialog and print the HTML; False if the operator cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(_a4_portrait())
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    _document(html, title).print_(printer)
    return True


__all__ = ["PDF_DPI", "html_to_pdf_bytes", "print_html"]
