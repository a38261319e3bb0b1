"""The production report and the batch ticket as files: CSV, XLSX (openpyxl) and HTML for the PDF.

Qt-free: the PDF is the HTML of :func:`report_html` / :func:`ticket_html` laid out by Qt
(hmi.ui.pdf), so the window, the CLI and the API produce the same document. The HTML keeps to
what QTextDocument lays out well: tables with borders, no colour that carries meaning (a
ticket is often printed in black and white), A4 portrait widths.
"""

from __future__ import annotations

import csv
import io
from html import escape

from hmi.clock import PlantClock
from hmi.services.reports import BatchTicket, ProductionReport, report_as_dict

FORMATS = ("json", "csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
STATUS_WORDS = {"completed": "COMPLETED", "failed": "FAILED", "cancelled": "CANCELLED", "cleared": "CLEARED"}
NOT_RECORDED = "Tolerance verdicts are not recorded yet"


def _num(value: float | None, digits: int = 3) -> float | str:
    return "" if value is None else round(value, digits)


def report_sections(report: ProductionReport) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of every part of the report, in the order every format shows them."""
    data = report_as_dict(report)
    total = data["completed_totals"]
    products = [[p["product"], p["batches"], p["target_kg"], p["actual_kg"], p["deviation_kg"],
                 _num(p["deviation_percent"], 2), p["finished_kg"]] for p in data["products"]]
    products.append(["Total", total["batches"], total["target_kg"], total["actual_kg"], total["deviation_kg"],
                     _num(total["deviation_kg"] / total["target_kg"] * 100.0 if total["target_kg"] else None, 2),
                     total["finished_kg"]])
    if report.out_of_tolerance is None:
        tolerance = [[NOT_RECORDED, "", "", ""]]
    else:
        tolerance = [[e.get("mo_id"), e.get("batch_no"), e.get("product"), e.get("silos")]
                     for e in report.out_of_tolerance] or [["None", "", "", ""]]
    return [
        ("Batches by final status", ["Status", "Batches"],
         [[STATUS_WORDS.get(k, k.upper()), v] for k, v in data["batches_by_status"].items()]
         + [["Total", data["total_batches"]]]),
        ("Completed batches per product",
         ["Product", "Batches", "Target kg", "Actual kg", "Deviation kg", "Deviation %", "Finished kg"], products),
        ("Consumption per silo (all archived batches)", ["Silo", "Kg", "Batches"],
         [[s["silo"], s["kg"], s["batches"]] for s in data["silos"]]),
        ("Out of tolerance", ["MO", "Batch", "Product", "Silos"], tolerance),
        ("Dosed, not produced (book in Odoo by hand)", ["MO", "Batch", "Outcome", "Silo", "Kg", "Booked by"],
         [[d["mo_id"], d["batch_no"], STATUS_WORDS.get(d["outcome"], d["outcome"].upper()), d["component"], d["kg"],
           d["booked_by"] or "OPEN"] for d in data["dosed_not_produced"]]),
    ]


def report_heading(report: ProductionReport) -> list[tuple[str, str]]:
    return [
        ("Production report", report.range.label),
        ("From (plant time)", report.range.start_text),
        ("To (plant time)", report.range.end_text),
        ("Time zone", report.zone),
        ("From (UTC)", report.range.start.isoformat()),
        ("To (UTC)", report.range.end.isoformat()),
        ("Line", report.line or "all lines"),
        ("Generated (UTC)", report.generated_at.isoformat(timespec="seconds")),
    ]


def report_csv(report: ProductionReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for key, value in report_heading(report):
        writer.writerow([key, value])
    for title, header, rows in report_sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return out.getvalue()


def report_xlsx(report: ProductionReport) -> bytes:
    """One sheet per part of the report (Summary first), numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    for key, value in report_heading(report):
        sheet.append([key, value])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 48
    names = ["Status", "Products", "Silos", "Out of tolerance", "Dosed not produced"]
    for name, (title, header, rows) in zip(names, report_sections(report)):
        ws = book.create_sheet(name)
        ws.append([title])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for index, _ in enumerate(header):
            ws.column_dimensions[chr(ord("A") + index)].width = 28 if index == 0 else 14
        ws.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- HTML for PDF and print

_STYLE = """
body { font-family: sans-serif; font-size: 9pt; color: #000; }
h1 { font-size: 14pt; margin: 0 0 4px 0; }
h2 { font-size: 11pt; margin: 12px 0 4px 0; }
table { border-collapse: collapse; }
th { background: #e6e6e6; font-weight: bold; text-align: left; }
td.n, th.n { text-align: right; }
p.small { font-size: 8pt; }
"""


def _table(header: list[str], rows: list[list], numeric_from: int = 1, bold_last: bool = False) -> str:
    def cell(tag: str, value, index: int, bold: bool) -> str:
        text = escape(format_number(value))
        if bold:
            text = f"<b>{text}</b>"
        css = ' class="n"' if index >= numeric_from else ""
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", h, i, False) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", v, i, bold_last and r == len(rows) - 1) for i, v in enumerate(row)) + "</tr>"
        for r, row in enumerate(rows)
    )
    return (f'<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{head}</tr>{body}</table>')


def format_number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) >= 0.0005 else "0"
    return "" if value is None else str(value)


def report_html(report: ProductionReport) -> str:
    heading = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>"
                      for k, v in [("Range", report.range.label), *report_heading(report)[1:]])
    parts = [f"<html><head><style>{_STYLE}</style></head><body>",
             "<h1>Production report</h1>",
             f'<table cellpadding="1">{heading}</table>']
    for title, header, rows in report_sections(report):
        parts.append(f"<h2>{escape(title)}</h2>")
        if rows:
            parts.append(_table(header, rows, bold_last=title.startswith(("Batches", "Completed"))))
        else:
            parts.append("<p>None in this range.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _verdict_text(verdict: bool | None) -> str:
    return {True: "within", False: "OUTSIDE", None: "not known"}[verdict]


def ticket_html(ticket: BatchTicket, clock: PlantClock) -> str:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:+.2f} %"

    def kg(value: float | None, signed: bool = False) -> str:
        if value is None:
            return "—"
        return f"{value:+,.2f}" if signed else f"{value:,.2f}"

    facts = [
        ("MO", ticket.mo_id), ("Product", ticket.product or "—"), ("Line", ticket.line or "—"),
        ("Batch number", str(ticket.batch_no)),
        ("Started", f"{clock.format(ticket.started_at)}" if ticket.started_at else "not recorded"),
        ("Ended", clock.format(ticket.ended_at)),
        ("Signed in / cleared by", ticket.actor or "—"),
        ("Final status", ticket.status),
        ("Finished weight", f"{kg(ticket.finished_kg)} kg" if ticket.finished_kg is not None else "—"),
    ]
    rows = "".join(f"<tr><td width='32%'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in facts)
    lines = [[line.silo, line.component or "—", kg(line.target_kg), kg(line.actual_kg),
              kg(line.deviation_kg, signed=True), pct(line.deviation_percent), _verdict_text(line.verdict)]
             for line in ticket.lines]
    target, actual = ticket.target_total_kg, ticket.actual_total_kg
    lines.append(["Total", "", kg(target), kg(actual), kg(actual - target, signed=True),
                  pct((actual - target) / target * 100.0 if target else None), ""])
    notes = f"<p>Notes: {escape(ticket.notes)}</p>" if ticket.notes else ""
    verdict_note = "" if any(line.verdict is not None for line in ticket.lines) else \
        f'<p class="small">{NOT_RECORDED}: the tolerance column says "not known".</p>'
    return (
        f"<html><head><style>{_STYLE}</style></head><body>"
        f"<h1>Batch ticket — {escape(ticket.mo_id)}</h1>"
        f'<table border="1" cellspacing="0" cellpadding="3" width="100%">{rows}</table>'
        f"<h2>Dosing per silo / tank</h2>"
        + _table(["Silo", "Component", "Target kg", "Actual kg", "Deviation kg", "Deviation %", "Tolerance"],
                 lines, numeric_from=2, bold_last=True)
        + notes + verdict_note
        + f'<p class="small">Times in {escape(ticket.zone)} (plant time).</p>'
        "</body></html>"
    )
