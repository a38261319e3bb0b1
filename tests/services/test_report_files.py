"""The report as files (CSV, XLSX, PDF) holds the hand-computed numbers; the CLI and the API give the same report."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from hmi.api import create_app
from hmi.api.tokens import ApiToken, ApiTokens
from hmi.app import main
from hmi.services.access import Role
from hmi.services.report_export import report_csv, report_html, report_xlsx
from hmi.services.reports import report_as_dict
from tests.services.test_reports import known_history, service  # noqa: F401 - known_history is a fixture
from tests.support.pdf_text import pdf_text

# 2026-11-30 in Jakarta, given as plant times (no offset)
FROM, TO = "2026-11-30T00:00", "2026-12-01T00:00"


@pytest.fixture
def today(known_history):
    reports = service(known_history)
    return reports.report_blocking(reports.range_for("today"))


def test_csv_holds_the_totals(today):
    rows = list(csv.reader(io.StringIO(report_csv(today))))
    assert ["Time zone", "Asia/Jakarta"] in rows
    assert ["From (plant time)", "2026-11-30 00:00"] in rows and ["To (plant time)", "2026-12-01 00:00"] in rows
    assert ["COMPLETED", "4"] in rows and ["FAILED", "1"] in rows and ["Total", "7"] in rows
    # The CSV convention, stated in the file: '.' decimal, no thousands separator, kg to 0.001, % to 0.01.
    assert ["Numbers", "decimal point '.', no thousands separator; kg to 0.001, % to 0.01"] in rows
    assert ["GROWER", "3", "1200.000", "1199.000", "-1.000", "-0.08", "0.000", "0", "1197.500"] in rows
    assert ["Total", "4", "1520.000", "1519.000", "-1.000", "-0.07", "0.000", "0", "1516.500"] in rows
    assert ["A", "1248.500", "4"] in rows and ["LQ114", "19.500", "1"] in rows


def test_xlsx_read_back_with_openpyxl(today):
    book = load_workbook(io.BytesIO(report_xlsx(today)))
    assert book.sheetnames == ["Summary", "Status", "Products", "Silos", "Out of tolerance", "By hand",
                               "Dosed not produced"]
    products = [list(r) for r in book["Products"].iter_rows(min_row=3, values_only=True)]
    assert products[0] == ["GROWER", 3, 1200.0, 1199.0, -1.0, -0.08, 0.0, 0, 1197.5]
    assert products[-1] == ["Total", 4, 1520.0, 1519.0, -1.0, -0.07, 0.0, 0, 1516.5]
    silos = {r[0]: (r[1], r[2]) for r in book["Silos"].iter_rows(min_row=3, values_only=True)}
    assert silos == {"A": (1248.5, 4), "B": (240.0, 3), "C": (201.0, 1), "LQ114": (19.5, 1)}
    status = {r[0]: r[1] for r in book["Status"].iter_rows(min_row=3, values_only=True)}
    assert status == {"COMPLETED": 4, "FAILED": 1, "CANCELLED": 1, "CLEARED": 1, "Total": 7}
    # Numbers are numeric cells with a number format: the spreadsheet shows them in its own language.
    grower = list(book["Products"].iter_rows(min_row=3, max_row=3))[0]
    assert [c.data_type for c in grower[1:]] == ["n"] * 8
    assert [c.number_format for c in grower[2:]] == ["#,##0.0"] * 3 + ["#,##0.00", "#,##0.0", "General", "#,##0.0"]
    lq = next(row for row in book["Silos"].iter_rows(min_row=3) if row[0].value == "LQ114")
    assert (lq[1].value, lq[1].number_format) == (19.5, "#,##0.000")


def test_pdf_text_holds_the_totals(today, qapp):
    from hmi.ui.pdf import html_to_pdf_bytes

    data = html_to_pdf_bytes(report_html(today), "report")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    # Fixed decimals per figure: kg to 0.1 from 100 kg, to the gram below (a kg figure always shows its
    # decimals, so 19.500 kg never reads like the thousands of 1,248.5); % to 0.01.
    for expected in ("Asia/Jakarta", "COMPLETED 4", "GROWER 3 1,200.0 1,199.0 -1.0 -0.08 0.0 0 1,197.5",
                     "Total 4 1,520.0 1,519.0 -1.0 -0.07 0.0 0 1,516.5", "A 1,248.5 4", "LQ114 19.500 1"):
        assert expected in text, expected


def test_command_line_and_api_give_the_same_report(known_history, database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PLANT_TIMEZONE", "Asia/Jakarta")
    ini = tmp_path / "settings.ini"
    ini.write_text(f"[paths]\ndata_dir = {tmp_path}\n")
    expected = report_as_dict(service(known_history).report_blocking(service(known_history).range_for("today")))

    out = tmp_path / "today.json"
    assert main(["--config", str(ini), "--report", f"{FROM}..{TO}", "--format", "json", "--out", str(out)]) == 0
    from_cli = json.loads(out.read_text())
    xlsx = tmp_path / "today.xlsx"
    assert main(["--config", str(ini), "--report", f"{FROM}..{TO}", "--format", "xlsx", "--out", str(xlsx)]) == 0
    assert load_workbook(xlsx)["Status"]["B3"].value == 4

    # The admin API is closed: every request carries an engineer's bearer token (tokens.py).
    tokens = ApiTokens(ApiToken(Role.ENGINEER, "report-token", "API_TOKEN"), [])
    client = TestClient(create_app(None, tokens, reports=service(known_history)), base_url="http://127.0.0.1",
                        headers={"Authorization": "Bearer report-token"})
    answer = client.get("/api/admin/report", params={"from": FROM, "to": TO})
    assert answer.status_code == 200
    from_api = answer.json()["data"]
    for data in (from_cli, from_api):
        for key in ("batches_by_status", "products", "completed_totals", "silos", "out_of_tolerance"):
            assert data[key] == expected[key], key
        assert {k: data["range"][k] for k in ("from", "to", "timezone")} == \
            {k: expected["range"][k] for k in ("from", "to", "timezone")}
    as_csv = client.get("/api/admin/report", params={"from": FROM, "to": TO, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert ["GROWER", "3", "1200.000", "1199.000", "-1.000", "-0.08", "0.000", "0", "1197.500"] in \
        list(csv.reader(io.StringIO(as_csv.text)))
    as_xlsx = client.get("/api/admin/report", params={"range": "today", "format": "xlsx"})
    assert load_workbook(io.BytesIO(as_xlsx.content)).sheetnames[0] == "Summary"
    assert client.get("/api/admin/report", params={"from": FROM}).status_code == 422
    assert client.get("/api/admin/report", params={"range": "today", "format": "pdf"}).status_code == 422


@pytest.mark.parametrize("args, words", [
    (["--report", "tomorrow"], "--report must be one of"),
    (["--report", "today", "--format", "docx"], "--format must be one of"),
    (["--report", "today", "--format", "xlsx"], "needs --out FILE"),
    (["--report", "2026-12-01..2026-11-01"], "end of the range must be after"),
    (["--report"], "expected one argument"),
])
def test_command_line_refuses_a_bad_argument_in_one_line(args, words, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    ini = tmp_path / "settings.ini"
    ini.write_text(f"[paths]\ndata_dir = {tmp_path}\n")
    try:
        code = main(["--config", str(ini), *args])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err


def test_command_line_range_of_whole_dates_includes_the_last_day(request, database_url, tmp_path, monkeypatch,
                                                                   capsys):
    request.getfixturevalue("known_history")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PLANT_TIMEZONE", "Asia/Jakarta")
    ini = tmp_path / "settings.ini"
    ini.write_text(f"[paths]\ndata_dir = {tmp_path}\n")
    out = tmp_path / "days.json"
    assert main(["--config", str(ini), "--report", "2026-11-29..2026-11-30", "--format", "json",
                 "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert (data["range"]["from_plant_time"], data["range"]["to_plant_time"]) == ("2026-11-29 00:00",
                                                                                  "2026-12-01 00:00")
    assert "both days included" in data["range"]["label"]
    assert data["total_batches"] == 8  # all but MO/008 (1 December in Jakarta); the 30th's seven included
    assert "both days included" in capsys.readouterr().out
    # A time as the end is where the range stops, not included.
    assert main(["--config", str(ini), "--report", "2026-11-29..2026-11-30T00:00", "--format", "json",
                 "--out", str(out)]) == 0
    assert json.loads(out.read_text())["total_batches"] == 1  # MO/007 only
    from hmi.app.cli import build_parser

    assert "2026-11-01..2026-11-30 is all of November" in " ".join(build_parser().format_help().split())
