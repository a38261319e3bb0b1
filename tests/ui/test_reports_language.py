"""Reports, Trends, the batch ticket, the history's status words and the plant overview in Bahasa Indonesia,
as an operator sees them: switched while shown, and back to English as before. Each is laid out at 1366x768
and checked for text that does not fit (hmi.ui.elision); I18N_SHOTS=<folder> keeps the PNGs."""

from __future__ import annotations

import asyncio

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication

from hmi.services.report_export import report_sections, row_text
from hmi.records import LineState
from hmi.ui import i18n
from hmi.ui.elision import find_elided_text
from hmi.ui.ticket import open_history_ticket
from tests.services.test_reports import KNOWN_ROWS
from tools.support.history_rows import history_row, write_history
from tests.support.qt_loop import run, run_until
from tests.ui.test_overview_window import plant, window  # noqa: F401 - the overview's fixtures
from tests.ui.test_reports_ui import sync_until_archived

pytestmark = pytest.mark.ui

#: I18N_SHOTS=<folder> keeps a PNG of each view checked here, for a look.
SHOTS = os.environ.get("I18N_SHOTS")


def _settle() -> None:
    """Layouts settle to the new words: Qt's events run inside the qasync loop (a bare processEvents()
    would run asyncio callbacks with no running loop and kill the simulators' tasks)."""
    run(asyncio.get_event_loop(), asyncio.sleep(0.05))


def _grab(widget, name: str, part=None) -> None:
    """The widget as the operator sees it; nothing of ``part`` (default: all of it) may be cut off."""
    _settle()
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"i18n-c-{name}.png"))
    problems = find_elided_text(part or widget)
    assert problems == [], "\n".join(problems)


def _known_report(ui):
    write_history(ui.runtime.engine, [history_row(mo, product, status, archived, dosing, finished, batch_no=n)
                                      for n, (mo, product, status, archived, dosing, finished)
                                      in enumerate(KNOWN_ROWS, 1)])
    tab = ui.window.reports_tab
    ui.window.resize(1366, 768)
    ui.window.tabs.setCurrentWidget(tab)
    tab.range_combo.setCurrentIndex(tab.range_combo.findData("custom"))
    tab.from_edit.setDateTime(QDateTime.fromString("2026-11-30 00:00", "yyyy-MM-dd HH:mm"))
    tab.to_edit.setDateTime(QDateTime.fromString("2026-12-01 00:00", "yyyy-MM-dd HH:mm"))
    tab.reload()
    ui.run_until(lambda: tab.report is not None and tab.report.range.start.isoformat().startswith("2026-11-29T17"))
    return tab


def test_reports_tab_follows_the_language_while_shown(live_ui):
    with live_ui(start_scheduler=False, PLANT_TIMEZONE="Asia/Jakarta") as ui:
        tab = _known_report(ui)
        english = [tab.shown_rows(i) for i in range(len(tab.tables))]
        try:
            ui.window.set_language("id")
            assert tab.range_label.text() == "&Rentang:" and tab.refresh_button.text() == "Muat ulang"
            assert [b.text() for b in tab.export_buttons.values()] == \
                ["Ekspor CSV…", "Ekspor XLSX…", "Ekspor PDF…"]
            assert [tab.range_combo.itemText(i) for i in range(tab.range_combo.count())] == \
                ["Shift ini", "Hari ini", "Kemarin", "7 hari terakhir", "Waktu pilihan"]
            assert tab.to_label.text() == "sampai"
            assert tab.title.text() == ("Laporan produksi 2026-11-30 00:00 sampai 2026-12-01 00:00 (Asia/Jakarta) · "
                                        "7 batch di arsip · semua lini")
            assert [box.title() for box in tab.boxes] == [
                "Batch per status akhir", "Batch selesai per produk", "Pemakaian per silo (semua batch di arsip)",
                "Di luar toleransi", "Bahan tambahan manual (batch selesai)",
                "Ditakar, tidak diproduksi (bukukan manual di Odoo)"]
            assert [tab.lists.tabText(i).split(" (")[0] for i in range(3)] == [
                "Di luar toleransi", "Ditambah manual", "Ditakar, tidak diproduksi"]
            headers = [tab.tables[1].horizontalHeaderItem(c).text() for c in range(tab.tables[1].columnCount())]
            assert headers == ["Produk", "Jumlah batch", "Target kg", "Aktual kg", "Deviasi kg", "Deviasi %",
                               "Manual kg", "OPEN manual", "Hasil kg"]
            shown = tab.shown_rows(0)
            assert ["SELESAI", "4"] in shown and ["GAGAL", "1"] in shown and ["DIBATALKAN", "1"] in shown
            assert ["DIKOSONGKAN", "1"] in shown and ["Total", "7"] in shown
            # names stay as they are; numbers in Indonesian form (decimal comma, thousands point)
            assert ["GROWER", "3", "1.200,0", "1.199,0", "-1,0", "-0,08", "0,0", "0", "1.197,5"] in tab.shown_rows(1)
            assert ["LQ114", "19,500", "1"] in tab.shown_rows(2)
            _grab(ui.window, "reports", tab)
            # a report loaded in Indonesian names its range in Indonesian too
            tab.range_combo.setCurrentIndex(tab.range_combo.findData("today"))
            ui.run_until(lambda: tab.report is not None and tab.report.range.label.endswith("(Asia/Jakarta)")
                         and tab.title.text().startswith("Laporan produksi ")
                         and "sampai" not in tab.title.text())
        finally:
            ui.window.set_language("en")
        assert tab.range_label.text() == "Ra&nge:" and tab.refresh_button.text() == "Refresh"
        assert tab.range_combo.itemText(0) == "This shift" and tab.boxes[0].title() == "Batches by final status"
        tab.range_combo.setCurrentIndex(tab.range_combo.findData("custom"))
        tab.reload()
        ui.run_until(lambda: tab.report is not None and tab.report.range.start.isoformat().startswith("2026-11-29T17")
                     and tab.title.text().startswith("Production report 2026-11-30 00:00 to 2026-12-01 00:00"))
        assert [tab.shown_rows(i) for i in range(len(tab.tables))] == english
        for index, (_title, header, rows) in enumerate(report_sections(tab.report)):
            assert english[index] == [row_text(header, row) for row in rows]


def test_the_exported_report_stays_english(live_ui, tmp_path):
    with live_ui(start_scheduler=False, PLANT_TIMEZONE="Asia/Jakarta") as ui:
        tab = _known_report(ui)
        try:
            ui.window.set_language("id")
            csv = tmp_path / "report.csv"
            ui.run(tab.export_to(csv, "csv"))
            text = csv.read_text()
            assert "Batches by final status" in text and "COMPLETED" in text and "SELESAI" not in text
        finally:
            ui.window.set_language("en")


def test_trend_axis_labels_and_the_history_status_words_in_indonesian(live_ui):
    from hmi.clock import utc_now
    from hmi.domain import Silo

    with live_ui(start_scheduler=False) as ui:
        hour = utc_now().replace(minute=0, second=0, microsecond=0)
        write_history(ui.runtime.engine, [
            history_row("MO/T1", "GROWER", "completed", hour, {Silo.A: (100, 101)}, 101),
            history_row("MO/T2", "GROWER", "cancelled", hour, {Silo.B: (100, 40)}, None),
        ])
        ui.window.resize(1366, 768)
        tab = ui.window.trends_tab
        ui.window.tabs.setCurrentWidget(tab)
        ui.run_until(lambda: tab.loaded_once)
        assert tab.chart.axis_label("left") == "kg per hour"
        try:
            ui.window.set_language("id")
            assert tab.chart.axis_label("left") == "kg per jam"
            assert tab.chart.axis_label("bottom").startswith("waktu pabrik (")
            assert tab.chart.save_button.text() == "Simpan grafik sebagai PNG…"
            assert tab.range_combo.itemText(0) == "24 jam terakhir" and tab.refresh_button.text() == "Muat ulang"
            assert tab.title.text().startswith("Kg tertimbang per silo per jam, ")
            _grab(ui.window, "trends", tab)

            history = ui.window.history_tab
            ui.window.tabs.setCurrentWidget(history)
            history.reload()
            ui.run_until(lambda: history.model.rowCount() == 2)
            words = {history.model.data(history.model.index(r, 4)) for r in range(2)}
            assert words == {"SELESAI", "DIBATALKAN"}
            combo = [history.status_combo.itemText(i) for i in range(history.status_combo.count())]
            assert combo[:5] == ["Semua status", "SELESAI", "GAGAL", "DIBATALKAN", "DIKOSONGKAN"]
            assert history.from_check.text() == "&Dari" and history.page_label.text().startswith("Halaman 1 dari 1")
            _grab(ui.window, "history", history)
        finally:
            ui.window.set_language("en")
        assert tab.chart.axis_label("left") == "kg per hour" and tab.chart.axis_label("bottom").startswith("plant time")
        assert {history.model.data(history.model.index(r, 4)) for r in range(2)} == {"COMPLETED", "CANCELLED"}
        assert history.status_combo.itemText(1) == "COMPLETED" and history.from_check.text() == "&From"


def test_ticket_dialog_follows_the_language_and_the_ticket_stays_english(live_ui, tmp_path):
    with live_ui(batch_seconds=1.0) as ui:
        entry = sync_until_archived(ui)
        dialog = open_history_ticket(ui.window.port, entry, ui.window)
        dialog.resize(1366, 740)
        ui.run_until(lambda: dialog.ticket is not None and dialog.curve.samples, timeout=10)
        assert dialog.windowTitle() == f"Batch ticket — {entry.mo_id}" and dialog.print_button.text() == "&Print…"
        try:
            ui.window.set_language("id")  # while the dialog is open
            assert dialog.windowTitle() == f"Tiket batch — {entry.mo_id}"
            assert dialog.print_button.text() == "&Cetak…" and dialog.pdf_button.text() == "Simpan sebagai P&DF…"
            assert dialog.close_box.buttons()[0].text() == "Tutup"
            assert dialog.curve.axis_label("left") == "kg" and dialog.curve.axis_label("bottom").startswith("waktu")
            # the ticket is the plant's record: English on screen, on paper and in the PDF
            assert f"Batch ticket — {entry.mo_id}" in dialog.browser.toPlainText()
            assert "Dosing per silo / tank" in dialog.browser.toPlainText()
            assert ui.run(dialog.save_pdf(tmp_path / "ticket.pdf"))
            assert dialog.status.text() == "Tersimpan di ticket.pdf"
            _grab(dialog, "ticket")
        finally:
            ui.window.set_language("en")
        assert dialog.print_button.text() == "&Print…" and dialog.status.text() == "Saved to ticket.pdf"
        dialog.close()


def test_details_ticket_button_in_indonesian(live_ui):
    with live_ui(batch_seconds=4.0) as ui:
        ui.window.sync.trigger_sync()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
        ui.run_until(lambda: ui.window.batch_model.batch_at(0) is not None, timeout=10)
        ui.window.workflows.show_batch_detail(ui.window.batch_model.index(0, 1))
        dialog = ui.window.workflows.detail_dialog
        try:
            ui.window.set_language("id")
            assert dialog.ticket_button.text() == "&Tiket…"
            assert dialog.ticket_button.toolTip() == "Tiket dibuat setelah PLC menyelesaikan batch"
        finally:
            ui.window.set_language("en")
        assert dialog.ticket_button.text() == "&Ticket…"
        dialog.close()


def _switch(qloop, code: str) -> None:
    """Install a language the way the window does; Qt delivers LanguageChange to every top-level window."""
    i18n.install_language(QApplication.instance(), code)
    _settle()


def test_overview_tiles_and_line_detail_follow_the_language(qloop, qtbot, window):  # noqa: F811
    run(qloop, window.load())
    tile = window.tiles["PLC01"]
    assert tile.state_label.text() == "DOSING" and tile.left_label.text() == "Batches left: 3 of 4"
    try:
        _switch(qloop, "id")
        run_until(qloop, lambda: tile.state_label.text() == "MENIMBANG")
        assert tile.batch_label.text() == "Di PLC: WH/MO/00102 · batch 2"
        assert tile.left_label.text() == "Sisa batch: 3 dari 4"
        assert window.tiles["PLC02"].state_label.text() == "GANGGUAN"
        assert window.tiles["PLC02"].alarms_label.text() == "Batch perlu tindakan: PERHATIAN 1 · GAGAL 1"
        assert window.tiles["PLC03"].instance_label.text().startswith("TERPUTUS · detak terakhir 7 mnt lalu")
        assert {t.state_label.text() for t in window.tiles.values()} == \
            {"MENIMBANG", "GANGGUAN", "TERPUTUS", "MENUNGGU", "SIAGA"}
        assert window.windowTitle() == "Batch HMI — ringkasan pabrik (hanya lihat)"
        assert window.summary_label.text().startswith("5 lini · ")
        # the next refresh keeps the language
        run(qloop, window.load())
        assert tile.state_label.text() == "MENIMBANG" and tile.progress.format() == "%p% tertimbang"
        _grab(window, "overview")
        qtbot.mouseDClick(window.tiles["PLC02"], Qt.MouseButton.LeftButton)
        run_until(qloop, lambda: getattr(window, "detail_dialog", None) is not None)
        dialog = window.detail_dialog
        assert dialog.windowTitle() == "Lini PLC02 — batch dan log (hanya lihat)"
        assert dialog.buttons.buttons()[0].text() == "Tutup"
        assert "FAILED" in dialog.log_view.toPlainText()  # the log records stay English
        dialog.resize(1366, 700)
        _grab(dialog, "overview-line")
        _switch(qloop, "en")
        run_until(qloop, lambda: dialog.windowTitle() == "Line PLC02 — batches and log (read only)")
        dialog.close()
    finally:
        _switch(qloop, "en")
    run_until(qloop, lambda: tile.state_label.text() == "DOSING")
    assert tile.left_label.text() == "Batches left: 3 of 4" and tile.state is LineState.DOSING
    assert window.windowTitle() == "Batch HMI — plant overview (read only)"
