"""The production report and the batch ticket as files: CSV, XLSX (openpyxl) and HTML for the PDF.

Qt-free: the PDF is the HTML of :func:`report_html` / :func:`ticket_html` laid out by Qt
(hmi.ui.pdf), so the window, the CLI and the API produce the same document. The HTML keeps to
what QTextDocument lays out well: tables with borders, no colour that carries meaning (a
ticket is often printed in black and white), A4 portrait widths.

Numbers (the one place their decimals are decided; hmi.ui.formatting shows them in the window's
language with these rules):
- kg to 0.001 (the gram) for quantities under 100 kg (liquids, medicines: a 25 g target reads 0.025)
  or when the tolerance band is under 1 kg, else to 0.1 kg; a row's kg share the decimals of its
  largest quantity, and a kg figure always shows its decimals, so 12.345 kg never looks like 12,345;
- percentages to 0.01; counts as whole numbers;
- the PDF and the window group thousands; the XLSX holds numbers as numbers with a number format
  (the spreadsheet shows them in its own language); the CSV writes a decimal point '.', no thousands
  separator, kg to 0.001 and % to 0.01 (said in its "Numbers" line).
"""

from __future__ import annotations

import csv
import io
from html import escape

from hmi.clock import PlantClock
from hmi.domain import PERCENT_DECIMALS, Verdict, deviation_percent
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


#: kg below this are shown to the gram; at and above it to 0.1 kg (when the tolerance band is 1 kg or more).
FINE_KG_BELOW = 100.0
CSV_NUMBERS = "decimal point '.', no thousands separator; kg to 0.001, % to 0.01"


def kg_decimals(scale: float | None, allowed: float | None = None) -> int:
    """Decimals of a kg figure of this size (``scale``: the quantity it belongs to, e.g. the target):
    3 under 100 kg or with a tolerance band under 1 kg, else 1 (0.1 kg: at most a tenth of the band)."""
    if scale is None or abs(scale) < FINE_KG_BELOW or (allowed is not None and allowed < 1.0):
        return 3
    return 1


def number_text(value: float, decimals: int, point: str = ".", group: str = ",") -> str:
    """``value`` with fixed ``decimals``, thousands grouped by ``group`` ('' for none), ``point`` as the
    decimal mark: 1234.5 -> '1,234.5' (English) or '1.234,5' (Indonesian); never '-0.0'."""
    text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def _kind(title: str) -> str:
    words = title.strip().lower()
    return "kg" if words.endswith("kg") else "percent" if words.endswith("%") else ""


def cell_decimals(header: list[str], row: list) -> list[int | None]:
    """Decimals of each cell of a report row (None: not a figure with decimals): kg columns by the row's
    largest kg, percent columns 2."""
    kinds = [_kind(title) for title in header]
    kgs = [abs(v) for k, v in zip(kinds, row) if k == "kg" and isinstance(v, (int, float))]
    decimals = kg_decimals(max(kgs)) if kgs else 3
    return [(decimals if kind == "kg" else 2 if kind == "percent" else None)
            if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            for kind, value in zip(kinds, row)] + [None] * (len(row) - len(kinds))


def row_text(header: list[str], row: list, point: str = ".", group: str = ",") -> list[str]:
    """The text of each cell of a report row, in a number format (English by default)."""
    return [number_text(value, d, point, group) if d is not None else format_number(value)
            for value, d in zip(row, cell_decimals(header, row))]


def report_sections(report: ProductionReport) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of every part of the report, in the order every format shows them."""
    data = report_as_dict(report)
    total = data["completed_totals"]
    products = [[p["product"], p["batches"], p["target_kg"], p["actual_kg"], p["deviation_kg"],
                 _num(p["deviation_percent"], PERCENT_DECIMALS), p["by_hand_kg"], p["open_by_hand"], p["finished_kg"]]
                for p in data["products"]]
    products.append(["Total", total["batches"], total["target_kg"], total["actual_kg"], total["deviation_kg"],
                     _num(deviation_percent(total["target_kg"], total["actual_kg"]), PERCENT_DECIMALS),
                     total["by_hand_kg"], total["open_by_hand"], total["finished_kg"]])
    hand_added = [[h["product"], h["component"], h["confirmed"], h["target_kg"], h["weighed_kg"], h["open"],
                   h["open_target_kg"]] for h in data["hand_added"]]
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
         ["Product", "Batches", "Target kg", "Actual kg", "Deviation kg", "Deviation %", "By hand kg", "Open by hand",
          "Finished kg"], products),
        ("Consumption per silo (all archived batches)", ["Silo", "Kg", "Batches"],
         [[s["silo"], s["kg"], s["batches"]] for s in data["silos"]]),
        ("Out of tolerance", ["MO", "Batch", "Product", "Silos"], tolerance),
        ("Hand-added components (completed batches)",
         ["Product", "Component", "Weighed", "Target kg", "Weighed kg", "Open", "Open target kg"], hand_added),
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
    """Numbers with a decimal point '.', no thousands separator, kg to 0.001 and % to 0.01 (the file's
    "Numbers" line says so: a spreadsheet in another language imports the columns as English numbers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for key, value in report_heading(report):
        writer.writerow([key, value])
    writer.writerow(["Numbers", CSV_NUMBERS])
    for title, header, rows in report_sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        kinds = [_kind(t) for t in header]
        for row in rows:
            writer.writerow([number_text(v, 3 if k == "kg" else 2, ".", "")
                             if k and isinstance(v, (int, float)) and not isinstance(v, bool) else v
                             for k, v in zip(kinds, row)] + list(row[len(kinds):]))
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
    names = ["Status", "Products", "Silos", "Out of tolerance", "By hand", "Dosed not produced"]
    for name, (title, header, rows) in zip(names, report_sections(report)):
        ws = book.create_sheet(name)
        ws.append([title])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
            for cell, decimals in zip(ws[ws.max_row], cell_decimals(header, row)):
                if decimals is not None:
                    cell.number_format = "#,##0." + "0" * decimals
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
    def cell(tag: str, text: str, index: int, bold: bool) -> str:
        text = escape(text)
        if bold:
            text = f"<b>{text}</b>"
        css = ' class="n"' if index >= numeric_from else ""
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", h, i, False) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", v, i, bold_last and r == len(rows) - 1)
                         for i, v in enumerate(row_text(header, row))) + "</tr>"
        for r, row in enumerate(rows)
    )
    return (f'<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{head}</tr>{body}</table>')


def format_number(value) -> str:
    """A cell outside a kg or % column: a count, a name; a stray float to 0.001 (decimals kept)."""
    if isinstance(value, float):
        return number_text(value, 3)
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


def _verdict_text(verdict: Verdict | None) -> str:
    return {Verdict.WITHIN: "within", Verdict.OVER: "OVER", Verdict.UNDER: "UNDER", None: "not known"}[verdict]


def ticket_html(ticket: BatchTicket, clock: PlantClock) -> str:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:+.{PERCENT_DECIMALS}f} %"

    def kg(value: float | None, signed: bool = False, scale: float | None = None) -> str:
        if value is None:
            return "—"
        text = number_text(value, kg_decimals(value if scale is None else scale))
        return ("+" + text if signed and not text.startswith("-") and value != 0 else text)

    figures = ticket.figures
    worst = figures.worst_silo
    tolerance = {True: "within", False: "OUTSIDE", None: "not known"}[ticket.within]
    facts = [
        ("MO", ticket.mo_id), ("Product", ticket.product or "—"), ("Line", ticket.line or "—"),
        ("Batch number", str(ticket.batch_no)),
        ("Started", f"{clock.format(ticket.started_at)}" if ticket.started_at else "not recorded"),
        ("Ended", clock.format(ticket.ended_at)),
        ("Signed in / cleared by", ticket.actor or "—"),
        ("Final status", ticket.status),
        ("Finished weight", f"{kg(ticket.finished_kg)} kg" if ticket.finished_kg is not None else "—"),
        ("Batch deviation", f"{pct(figures.deviation_percent)} "
                            f"({kg(figures.deviation_kg, signed=True, scale=figures.target_kg)} kg; batch "
                            "total: the silos and the hand-added components weighed)"),
        ("Worst silo", "—" if worst is None else f"{worst.label} {pct(worst.deviation_percent)}"),
        ("Dosing tolerance", tolerance),
    ]
    if figures.hand_added:
        facts.append(("Added by hand", f"{len(figures.hand_added) - len(figures.open_lines)} weighed, "
                                       f"{len(figures.open_lines)} OPEN"))
    rows = "".join(f"<tr><td width='32%'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in facts)
    lines = [[line.silo, line.component or "—", kg(line.target_kg, scale=line.target_kg),
              kg(line.actual_kg, scale=line.target_kg), kg(line.deviation_kg, signed=True, scale=line.target_kg),
              pct(line.deviation_percent), _verdict_text(line.verdict)]
             for line in ticket.lines]
    silo_target = sum(line.target_kg for line in figures.silos)
    silo_actual = sum(line.actual_kg or 0.0 for line in figures.silos)
    lines.append(["Silos", "", kg(silo_target), kg(silo_actual, scale=silo_target),
                  kg(silo_actual - silo_target, signed=True, scale=silo_target),
                  pct(deviation_percent(silo_target, silo_actual)), ""])
    hand = ""
    if figures.hand_added:
        hand_rows = [[line.component, "not weighed yet" if line.is_open else (line.confirmed_by or "—"),
                      clock.format(line.confirmed_at) if line.confirmed_at else "—", kg(line.target_kg),
                      "OPEN" if line.is_open else kg(line.actual_kg, scale=line.target_kg),
                      "—" if line.is_open else pct(line.deviation_percent)]
                     for line in figures.hand_added]
        hand = ("<h2>Weighed by hand</h2>"
                + _table(["Component", "Weighed by", "Confirmed", "Target kg", "Weighed kg", "Deviation %"],
                         hand_rows, numeric_from=3))
    total_rows = [["Batch total (silos + weighed by hand)", kg(figures.target_kg),
                   kg(figures.actual_kg, scale=figures.target_kg),
                   kg(figures.deviation_kg, signed=True, scale=figures.target_kg), pct(figures.deviation_percent)]]
    if figures.open_lines:
        total_rows.append([f"OPEN by hand, not counted ({len(figures.open_lines)})", kg(figures.open_target_kg),
                           "OPEN", "—", "—"])
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
        + hand
        + "<h2>Batch total</h2>"
        + _table(["", "Target kg", "Actual kg", "Deviation kg", "Deviation %"], total_rows, numeric_from=1)
        + notes + verdict_note
        + '<p class="small">Batch total: target and actual over the same lines, the silos and the hand-added '
          "components weighed; a component still OPEN counts on neither side. Tolerance per silo: within, "
          "OVER or UNDER |actual − target| ≤ max(kg, % × target).</p>"
        + f'<p class="small">Times in {escape(ticket.zone)} (plant time).</p>'
        "</body></html>"
    )
