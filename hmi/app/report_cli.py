"""``--report``: the production report from the command line, as the Reports tab and the API make it.

    batch-hmi --report today --format xlsx --out today.xlsx
    batch-hmi --report 2026-11-01T06:00..2026-11-02T06:00 --format csv        (to standard output)
    batch-hmi --report 2026-11-01..2026-11-30 --format pdf --out nov.pdf      (whole days: the 30th included)

Times are plant time (PLANT_TIMEZONE) unless they carry an offset. A range of whole dates includes its
last day; a range with times ends just before its end time.

Exit 0 when the file is written, 2 with one line on a bad argument, 1 when the database
cannot be read.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from hmi.config import Settings
from hmi.clock import PRESETS, PlantClock, TimeRange
from hmi.services.report_export import FORMATS, report_csv, report_html, report_xlsx
from hmi.services.reports import ReportService, report_as_dict

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(ValueError):
    """A bad --report/--format/--out value (one line for the operator)."""


def parse_range(text: str, reports: ReportService) -> TimeRange:
    """A preset name, or FROM..TO in ISO form (plant time unless it carries an offset). A whole date as
    TO includes that day (2026-11-01..2026-11-30 is all of November); a time as TO is not included."""
    if text in PRESETS:
        return reports.range_for(text)
    start_text, sep, end_text = text.partition("..")
    if not sep:
        raise UsageError(f"--report must be one of {', '.join(PRESETS)} or FROM..TO (e.g. "
                         f"2026-11-01T06:00..2026-11-02T06:00), not {text!r}")
    try:
        start, end = datetime.fromisoformat(start_text), datetime.fromisoformat(end_text)
    except ValueError:
        raise UsageError(f"--report FROM..TO needs ISO dates or times (2026-11-01 or 2026-11-01T06:00), "
                         f"not {text!r}") from None
    try:
        if _whole_date(start_text) and _whole_date(end_text):
            return reports.clock.dates(start.date(), end.date())
        if _whole_date(end_text):
            end = end + timedelta(days=1)  # the end date's day is included
        return reports.range_for(start=start, end=end)
    except ValueError as exc:
        raise UsageError(f"--report {text}: {exc}") from None


def _whole_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def render(report, fmt: str) -> bytes:
    if fmt == "json":
        import json

        return (json.dumps(report_as_dict(report), indent=2) + "\n").encode()
    if fmt == "csv":
        return report_csv(report).encode("utf-8")
    if fmt == "xlsx":
        return report_xlsx(report)
    return render_pdf(report_html(report), f"Production report {report.range.label}")


def render_pdf(html: str, title: str) -> bytes:
    """Qt lays the PDF out; a command line has no display, so Qt draws offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from hmi.ui.pdf import html_to_pdf_bytes

    _app = QGuiApplication.instance() or QGuiApplication(["batch-hmi"])
    return html_to_pdf_bytes(html, title)


def run_report(settings: Settings, range_text: str, fmt: str, out: str | None) -> int:
    if fmt not in FORMATS:
        print(f"batch-hmi: error: --format must be one of {', '.join(FORMATS)}, not {fmt!r}", file=sys.stderr)
        return EXIT_USAGE
    if fmt in ("xlsx", "pdf") and not out:
        print(f"batch-hmi: error: --format {fmt} needs --out FILE", file=sys.stderr)
        return EXIT_USAGE
    if out and not Path(out).expanduser().parent.is_dir():
        print(f"batch-hmi: error: --out {out}: the folder does not exist", file=sys.stderr)
        return EXIT_USAGE
    from hmi.store import create_database_engine

    engine = create_database_engine(settings.resolved_database_url,
                                    connect_timeout=settings.database_connect_timeout_seconds,
                                    statement_timeout=settings.database_statement_timeout_seconds)
    try:
        reports = ReportService(engine, None, PlantClock.from_settings(settings), line=settings.line_filter)
        try:
            time_range = parse_range(range_text, reports)
        except UsageError as exc:
            print(f"batch-hmi: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            from sqlalchemy import inspect

            if not inspect(engine).has_table("mo_histories"):
                print("batch-hmi: the database holds no batch history yet (Batch HMI creates its tables "
                      "when it starts)", file=sys.stderr)
                return EXIT_FAILURE
            report = reports.report_blocking(time_range)
        except Exception as exc:  # noqa: BLE001 - the database cannot answer: one line, exit 1
            from hmi.services.messages import first_line

            print(f"batch-hmi: cannot read the report from the database: {first_line(exc)}", file=sys.stderr)
            return EXIT_FAILURE
        data = render(report, fmt)
    finally:
        engine.dispose()
    if out:
        Path(out).expanduser().write_bytes(data)
        print(f"Report {report.range.label}: {report.total_batches} batches, written to {out}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK
