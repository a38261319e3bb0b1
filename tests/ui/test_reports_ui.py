"""Reports tab, batch ticket and dosing curves in the real window (offscreen, simulators, SQLite)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from fastapi.testclient import TestClient

from hmi.api import create_app
from hmi.api.tokens import ApiToken, ApiTokens
from hmi.domain import Silo
from hmi.services.tolerance import stored_silo_verdict
from hmi.app import main
from hmi.services.access import Role
from hmi.services.report_export import kg_decimals, number_text, report_sections, row_text
from hmi.ui.ticket import open_history_ticket
from tests.services.test_reports import KNOWN_ROWS
from tools.support.history_rows import history_row, write_history
from tests.support.pdf_text import pdf_text

pytestmark = pytest.mark.ui


def sync_until_archived(ui):
    """Sync, let the simulated PLC dose, and return the oldest batch archived as completed."""
    ui.window.sync.trigger_sync()
    ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)

    def archived():
        return ui.runtime.store.history.page(status="completed", limit=5).entries

    ui.run_until(archived, timeout=20)
    return archived()[-1]


def test_archived_batch_ticket_equals_its_history_row_and_shows_its_dosing_curve(live_ui, tmp_path, qtbot):
    with live_ui(batch_seconds=1.0) as ui:
        entry = sync_until_archived(ui)
        # Double-click in History opens the ticket of that row.
        history = ui.window.history_tab
        ui.window.tabs.setCurrentWidget(history)
        ui.run_until(lambda: history.model.rowCount() >= 1)
        rect = history.view.visualRect(history.model.index(0, 1))
        qtbot.mouseClick(history.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(history.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        ui.run_until(lambda: ui.window.tabs.ticket_dialog is not None)
        assert ui.window.tabs.ticket_dialog.source.mo_id == history.model.entries[0].mo_id
        ui.window.tabs.ticket_dialog.close()
        dialog = open_history_ticket(ui.window.port, entry, ui.window)
        ui.run_until(lambda: dialog.ticket is not None and dialog.curve.samples, timeout=10)
        ticket = dialog.ticket
        assert ticket.status == "COMPLETED" and ticket.mo_id == entry.mo_id and ticket.batch_no == entry.batch_no
        dosed = [line for line in entry.silos if line.target_kg or line.actual_kg]
        assert [(t.silo, t.target_kg, t.actual_kg) for t in ticket.lines] == \
            [(line.silo.label, line.target_kg, line.actual_kg) for line in dosed]
        assert ticket.finished_kg == entry.actual_weight
        assert ticket.started_at is not None and ticket.started_at <= ticket.ended_at
        # The completion round judged the batch against the dosing tolerance (2 kg or 2 %): every silo
        # has its verdict on the ticket, the same one the history record keeps.
        stored = ui.run(ui.runtime.tolerance.verdicts([entry.mo_id]))[entry.mo_id][1]
        assert {t.silo: t.verdict for t in ticket.lines} == {silo: stored_silo_verdict(d) for silo, d in stored.items()}
        assert all(d["verdict"] in ("within", "over", "under") for d in stored.values())
        # The curve ends at the archived actuals, silo by silo.
        last = {s.silo: s.kg for s in dialog.curve.samples}
        assert last == {line.silo.label: line.actual_kg for line in dosed}

        pdf = tmp_path / "ticket.pdf"
        assert ui.run(dialog.save_pdf(pdf))
        text = pdf_text(pdf.read_bytes())
        assert entry.mo_id in text and "COMPLETED" in text
        for line in dosed:
            assert number_text(line.actual_kg, kg_decimals(line.target_kg)) in text
        dialog.close()


def test_details_of_a_dosing_batch_show_its_curve_growing(live_ui):
    with live_ui(batch_seconds=4.0) as ui:
        ui.window.sync.trigger_sync()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
        ui.run_until(lambda: ui.window.batch_model.batch_at(0) and ui.window.batch_model.batch_at(0).actual_total_kg > 0,
                     timeout=10)
        ui.window.workflows.show_batch_detail(ui.window.batch_model.index(0, 1))
        dialog = ui.window.workflows.detail_dialog
        curve = dialog.dosing_curve
        assert curve.timer.isActive()  # live while the PLC doses it
        ui.run_until(lambda: len(curve.samples) > 0, timeout=5)
        seen = len(curve.samples)
        ui.run_until(lambda: len(curve.samples) > seen, timeout=8)
        assert not dialog.ticket_button.isEnabled()  # a ticket once the PLC has finished the batch
        dialog.close()


def test_reports_tab_shows_the_report_the_command_line_and_the_api_give(live_ui, tmp_path, monkeypatch):
    with live_ui(start_scheduler=False, PLANT_TIMEZONE="Asia/Jakarta") as ui:
        write_history(ui.runtime.engine, [history_row(mo, product, status, archived, dosing, finished, batch_no=n)
                                          for n, (mo, product, status, archived, dosing, finished)
                                          in enumerate(KNOWN_ROWS, 1)])
        tab = ui.window.reports_tab
        ui.window.tabs.setCurrentWidget(tab)
        tab.range_combo.setCurrentIndex(tab.range_combo.findData("custom"))
        tab.from_edit.setDateTime(QDateTime.fromString("2026-11-30 00:00", "yyyy-MM-dd HH:mm"))
        tab.to_edit.setDateTime(QDateTime.fromString("2026-12-01 00:00", "yyyy-MM-dd HH:mm"))
        tab.reload()
        ui.run_until(lambda: tab.report is not None and tab.report.range.start.isoformat().startswith("2026-11-29T17"))
        shown = [tab.shown_rows(i) for i in range(len(tab.tables))]
        assert ["COMPLETED", "4"] in shown[0] and ["Total", "7"] in shown[0]
        assert ["GROWER", "3", "1,200.0", "1,199.0", "-1.0", "-0.08", "0.0", "0", "1,197.5"] in shown[1]
        assert ["A", "1,248.5", "4"] in shown[2]
        # The three lists under the totals share the width as tabs; each says how many rows it holds.
        report = tab.report
        assert [tab.lists.tabText(i) for i in range(tab.lists.count())] == [
            f"Out of tolerance ({len(report.out_of_tolerance)})" if report.out_of_tolerance is not None
            else "Out of tolerance",
            f"Added by hand ({len(shown[4])})", f"Dosed, not produced ({len(shown[5])})"]
        assert tab.lists.widget(2) is tab.boxes[5]

        monkeypatch.setenv("DATABASE_URL", ui.runtime.settings.resolved_database_url)
        monkeypatch.setenv("PLANT_TIMEZONE", "Asia/Jakarta")
        ini = tmp_path / "cli.ini"
        ini.write_text(f"[paths]\ndata_dir = {tmp_path}\n")
        out = tmp_path / "report.json"
        assert main(["--config", str(ini), "--report", "2026-11-30T00:00..2026-12-01T00:00", "--format", "json",
                     "--out", str(out)]) == 0
        from_cli = json.loads(out.read_text())
        # The admin API is closed: the same report needs an engineer's bearer token (tokens.py).
        tokens = ApiTokens(ApiToken(Role.ENGINEER, "report-token", "API_TOKEN"), [])
        api = TestClient(create_app(None, tokens, reports=ui.runtime.reports), base_url="http://127.0.0.1")
        answer = api.get("/api/admin/report", params={"from": "2026-11-30T00:00", "to": "2026-12-01T00:00"},
                         headers={"Authorization": "Bearer report-token"})
        assert answer.status_code == 200, answer.text
        from_api = answer.json()["data"]
        for data in (from_cli, from_api):
            assert data["products"] == [
                {"product": p.product, "batches": p.batches, "target_kg": p.target_kg, "actual_kg": p.actual_kg,
                 "deviation_kg": round(p.deviation_kg, 3), "deviation_percent": round(p.deviation_percent, 2),
                 "by_hand_kg": p.by_hand_kg, "open_by_hand": p.open_by_hand, "finished_kg": p.finished_kg}
                for p in tab.report.products]
            assert data["batches_by_status"] == tab.report.by_status
        # and what the tables show is what the files hold
        for index, (_title, header, rows) in enumerate(report_sections(tab.report)):
            assert shown[index] == [row_text(header, row) for row in rows]


def test_trends_tab_shows_kg_per_silo_per_hour(live_ui, tmp_path):
    from hmi.clock import utc_now

    with live_ui(start_scheduler=False) as ui:
        now = utc_now()
        hour = now.replace(minute=0, second=0, microsecond=0)
        write_history(ui.runtime.engine, [
            history_row("MO/T1", "GROWER", "completed", hour - timedelta(hours=2, minutes=-10), {Silo.A: (100, 101)}, 101),
            history_row("MO/T2", "GROWER", "completed", hour - timedelta(hours=2, minutes=-40), {Silo.A: (100, 99)}, 99),
            history_row("MO/T3", "GROWER", "completed", hour - timedelta(hours=30), {Silo.B: (50, 50)}, 50),
        ])
        tab = ui.window.trends_tab
        ui.window.tabs.setCurrentWidget(tab)
        ui.run_until(lambda: tab.loaded_once)
        assert dict(tab.hours) == {hour - timedelta(hours=2): {"A": 200.0}}  # last 24 h: MO/T3 is older
        xs, ys = tab._curves["A"].getData()
        assert max(ys) == 200.0 and "B" not in tab._curves
        tab.range_combo.setCurrentIndex(1)  # last 7 days
        ui.run_until(lambda: "B" in tab._curves)
        png = tmp_path / "trend.png"
        assert ui.run(tab.chart.save_png(png))
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_done_batch_still_in_the_table_has_a_ticket_with_its_row_numbers(live_ui):
    from hmi.domain import BatchState

    with live_ui(batch_seconds=1.0) as ui:
        ui.runtime.completion = None  # the DONE row stays in the table (not yet reported to Odoo)
        ui.window.sync.trigger_sync()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)

        def done_row():
            ui.window.request_refresh()
            return next((r for r in range(ui.window.batch_model.rowCount())
                         if ui.window.batch_model.batch_at(r).state is BatchState.DONE), None)

        ui.run_until(lambda: done_row() is not None, timeout=15)
        row = done_row()
        batch = ui.window.batch_model.batch_at(row)
        ui.window.workflows.show_batch_detail(ui.window.batch_model.index(row, 1))
        dialog = ui.window.workflows.detail_dialog
        assert not dialog.dosing_curve.timer.isActive()  # finished: nothing left to follow
        assert dialog.ticket_button.isEnabled()
        dialog.ticket_button.click()
        ticket = dialog.ticket_dialog
        ui.run_until(lambda: ticket.ticket is not None)
        assert ticket.ticket.status == "DONE"
        assert [(t.silo, t.target_kg, t.actual_kg) for t in ticket.ticket.lines] == \
            [(line.silo.label, line.target_kg, line.actual_kg) for line in batch.dosing_lines]
        assert ticket.ticket.finished_kg == batch.actual_weight
        ticket.close()
        dialog.close()
