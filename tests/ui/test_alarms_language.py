"""Alarms, the alarm journal, equipment failures and the status badges in Bahasa Indonesia as an
operator sees them; a switch while they are shown; English as before; messages stay as stored."""

from __future__ import annotations

import asyncio

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from hmi.ui import i18n
from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


def _raise_three(ui) -> None:
    alarms = ui.runtime.alarms
    ui.run(alarms.event("batch.out_of_tolerance", "MO WH/MO/00001 outside tolerance: silo A", "WH/MO/00001"))
    ui.run(alarms.raise_alarm("odoo.sync_failing", "Sync failed 3 times in a row (last: HTTP 500)"))
    ui.run(alarms.raise_alarm("plc.offline", "PLC 127.0.0.1:5020 offline: connection refused"))


def _headers(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def _row(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_alarm_dock_counts_and_banner_follow_a_switch_while_shown(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        views = window.alarm_views
        dock, model = views.dock, views.dock.model
        _raise_three(ui)
        ui.run_until(lambda: model.rowCount() == 3)
        try:
            window.set_language("id")
            assert dock.windowTitle() == "Alarm"
            assert [dock.ack_button.text(), dock.ack_all_button.text(), dock.shelve_button.text()] == [
                "&Konfirmasi", "Konfirmasi &semua yang tampil", "Tun&da…"]
            assert dock.ack_all_button.toolTip() == "Konfirmasi semua alarm di daftar yang belum dikonfirmasi"
            assert _headers(model) == ["Prioritas", "Status", "Jumlah", "Muncul", "Alarm", "Pesan"]
            assert [model.index(r, 0).data() for r in range(3)] == ["KRITIS", "TINGGI", "RENDAH"]
            assert [model.index(r, 1).data() for r in range(3)] == [
                "● AKTIF, BELUM DIKONFIRMASI", "● AKTIF, BELUM DIKONFIRMASI", "● KEMBALI NORMAL, BELUM DIKONFIRMASI"]
            # The alarm kind and message stay as stored (English, like the log and the API).
            assert _row(model, 0)[4:] == ["plc.offline", "PLC 127.0.0.1:5020 offline: connection refused"]
            assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == (
                "KRITIS — AKTIF, BELUM DIKONFIRMASI — PLC 127.0.0.1:5020 offline: connection refused")
            assert dock.summary.text() == "3 alarm, 3 belum dikonfirmasi"
            assert views.counts.text() == "1 KRITIS 1 TINGGI 1 RENDAH"
            assert views.counts.buttons[next(iter(views.counts.buttons))].toolTip() == (
                "Alarm KRITIS (aktif atau belum dikonfirmasi); klik untuk membuka Alarm")
            # (the window's own PLC line may come first when the PLC has gone stale meanwhile)
            banner = [line for line in window.alert_text.text().splitlines() if not line.startswith(("DATA PLC", "PLC"))]
            assert banner == ["KRITIS: PLC 127.0.0.1:5020 offline: connection refused",
                              "TINGGI: Sync failed 3 times in a row (last: HTTP 500)",
                              "RENDAH: MO WH/MO/00001 outside tolerance: silo A"]
            assert dock.toggleViewAction().text() == "&Alarm"
            assert dock.toggleViewAction() in window.view_menu.actions()

            # Acknowledged in Indonesian: the state word follows the next read.
            dock.view.selectionModel().select(model.index(0, 0), QItemSelectionModel.SelectionFlag.Select
                                              | QItemSelectionModel.SelectionFlag.Rows)
            dock.ack_button.click()
            ui.run_until(lambda: model.index(0, 1).data() == "AKTIF, DIKONFIRMASI")
            assert dock.summary.text() == "3 alarm, 2 belum dikonfirmasi"
            assert model.alarms[0].message == "PLC 127.0.0.1:5020 offline: connection refused"
        finally:
            window.set_language("en")
        assert dock.windowTitle() == "Alarms" and dock.ack_button.text() == "&Acknowledge"
        assert _headers(model) == ["Priority", "State", "Count", "Raised", "Alarm", "Message"]
        assert [model.index(r, 1).data() for r in range(3)] == [
            "ACTIVE, ACKNOWLEDGED", "● ACTIVE, UNACKNOWLEDGED", "● RETURNED, UNACKNOWLEDGED"]
        assert dock.summary.text() == "3 alarm(s), 2 unacknowledged"
        assert views.counts.text() == "1 CRITICAL 1 HIGH 1 LOW"
        assert [line for line in window.alert_text.text().splitlines() if not line.startswith("PLC")] == [
            "HIGH: Sync failed 3 times in a row (last: HTTP 500)", "LOW: MO WH/MO/00001 outside tolerance: silo A"]
        assert dock.toggleViewAction().text() == "&Alarms"


def test_more_than_three_unacknowledged_alarms_close_the_banner_in_the_window_language(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _raise_three(ui)
        ui.run(ui.runtime.alarms.raise_alarm("plc.stale", "PLC readings fail"))
        ui.run_until(lambda: window.alarm_views.dock.model.rowCount() == 4)
        assert window.alert_text.text().splitlines()[-1] == "… and 1 more unacknowledged alarm(s): see Alarms"
        try:
            window.set_language("id")
            assert window.alert_text.text().splitlines()[-1] == "… dan 1 alarm lain belum dikonfirmasi: lihat Alarm"
        finally:
            window.set_language("en")


def test_shelve_dialog_and_journal_in_indonesian(live_ui):
    from hmi.ui.alarm_dock import ShelveDialog

    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        journal = window.alarm_views.journal
        _raise_three(ui)
        ui.run_until(lambda: window.alarm_views.dock.model.rowCount() == 3)
        assert window.tabs.tabText(window.tabs.indexOf(journal)) == "Alarm &journal"
        try:
            window.set_language("id")
            dialog = ShelveDialog(window.alarm_views.dock.model.alarms[:1], window.alarm_views.dock)
            assert dialog.windowTitle() == "Tunda alarm"
            assert dialog.what.text() == "Sembunyikan 1 alarm (plc.offline) dari daftar sampai waktunya habis."
            assert [dialog.duration.itemText(i) for i in range(dialog.duration.count())] == [
                "15 menit", "30 menit", "1 jam", "2 jam", "4 jam", "8 jam"]
            assert dialog.duration.currentData() == 30
            assert dialog.buttons.buttons()[0].text() in ("Tunda", "Batal")
            assert {b.text() for b in dialog.buttons.buttons()} == {"Tunda", "Batal"}
            dialog.close()

            window.tabs.setCurrentWidget(journal)
            ui.run_until(lambda: journal.model.rowCount() == 3)
            assert window.tabs.tabText(window.tabs.indexOf(journal)) == "&Jurnal alarm"
            assert _headers(journal.model) == ["Prioritas", "Status", "Jumlah", "Muncul", "Alarm", "Dikonfirmasi",
                                               "Normal", "Ditunda", "Pesan"]
            assert journal.page_label.text() == "Halaman 1 dari 1 (3 alarm)"
            assert journal.priority_filter.itemText(0) == "Semua prioritas"
            assert journal.priority_filter.itemText(1) == "KRITIS"
            assert journal.state_filter.itemText(2) == "Aktif, belum dikonfirmasi"
            assert journal.date_from.specialValueText() == "dari: semua tanggal"
            # A filter still works by value, whatever the words.
            journal.priority_filter.setCurrentIndex(journal.priority_filter.findData("critical"))
            ui.run_until(lambda: journal.total == 1)
            assert journal.page_label.text() == "Halaman 1 dari 1 (1 alarm)"
        finally:
            window.set_language("en")
        assert window.tabs.tabText(window.tabs.indexOf(journal)) == "Alarm &journal"
        assert journal.page_label.text() == "Page 1 of 1 (1 alarm(s))"
        assert journal.priority_filter.itemText(1) == "CRITICAL"


def test_badge_words_and_tooltips_follow_the_language(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        ui.refresh()
        ui.run_until(lambda: window.plc_badge.text == "PLC CONNECTED")
        assert window.database_badge.text == "DB OK"
        try:
            window.set_language("id")
            assert window.plc_badge.text == "PLC TERHUBUNG"
            assert window.plc_badge.toolTip().startswith("PLC di 127.0.0.1:")
            assert ": koneksi terhubung, " in window.plc_badge.toolTip()
            assert window.database_badge.text == "DB OK"
            assert window.database_badge.toolTip() == "Tabel batch terbaca pada penyegaran terakhir"
            assert window.odoo_badge.text in ("Odoo OK", "Odoo belum dihubungi")
        finally:
            window.set_language("en")
        assert window.plc_badge.text == "PLC CONNECTED"
        assert window.plc_badge.toolTip().startswith("PLC at 127.0.0.1:")
        assert ": link connected, " in window.plc_badge.toolTip()
        assert window.database_badge.toolTip() == "The batch table was read at the last refresh"


def test_badge_rules_in_indonesian_keep_library_errors_as_they_are(qapp, compiled_translations):
    from hmi.services.health import LinkQuality, OdooHealth, PlcHealth
    from hmi.ui.status_badges import database_badge, odoo_badge, plc_badge

    disabled = PlcHealth(LinkQuality.DISABLED)
    offline = PlcHealth(quality=LinkQuality.OFFLINE, endpoint="10.0.0.5:502", last_good_read=None,
                        last_error="[Errno 111] Connection refused", link_state="DISCONNECTED")
    fault = OdooHealth(state="FAULT", last_contact=NOW - timedelta(minutes=5), last_error="HTTP 500: boom")
    english = (plc_badge(disabled, NOW).text, plc_badge(offline, NOW).text, odoo_badge(fault, NOW).text,
               database_badge("connection refused", True).text)
    assert english == ("PLC DISABLED", "PLC OFFLINE", "Odoo FAULT", "DB FAULT")
    try:
        i18n.install_language(QApplication.instance(), "id")
        assert plc_badge(disabled, NOW).text == "PLC NONAKTIF"
        state = plc_badge(offline, NOW)
        assert state.text == "PLC TERPUTUS"  # the banner's word for the same state
        assert state.tooltip.splitlines()[0] == "PLC di 10.0.0.5:502: koneksi terputus, belum ada bacaan baik"
        assert state.tooltip.splitlines()[1].startswith("Galat terakhir: ")
        odoo = odoo_badge(fault, NOW)
        assert odoo.text == "Odoo GANGGUAN"
        assert odoo.tooltip.startswith("Jawaban terakhir dari Odoo: ")
        assert "HTTP 500" in odoo.tooltip
        assert database_badge(None, False).text == "DB …"
        assert database_badge("connection refused", True).text == "DB GANGGUAN"
    finally:
        i18n.install_language(QApplication.instance(), "en")
    assert plc_badge(disabled, NOW).text == "PLC DISABLED"


def test_failures_tab_in_indonesian_keeps_what_the_plc_sent(live_ui):
    with live_ui() as ui:
        window = ui.window
        tab = window.failures_tab
        ui.plc.raise_failure("MIXER01", "MOTOR OVERLOAD", datetime(2026, 11, 30, 1, 1, 0))
        ui.run_until(lambda: ui.plc.failure_record().flag == 1, timeout=10)
        ui.refresh()
        window.tabs.setCurrentWidget(tab)
        ui.run_until(lambda: tab.model.rowCount() == 1)
        assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Equipment fai&lures"
        try:
            window.set_language("id")
            assert window.tabs.tabText(window.tabs.indexOf(tab)) == "K&erusakan alat"
            assert _headers(tab.model) == ["Waktu PLC", "Peralatan", "Kerusakan", "Kejadian", "Dibaca", "Odoo",
                                           "Dikonfirmasi", "Catatan"]
            row = _row(tab.model, 0)
            assert row[:4] == ["2026-11-30 01:01:00", "MIXER01", "MOTOR OVERLOAD", "1"]
            ui.run_until(lambda: tab.model.index(0, 5).data() == "DILAPORKAN", timeout=10)
            assert row[6] == "BELUM"
            assert tab.count_label.text() == "1 catatan"
            assert tab.unacknowledged_only.text() == "&Hanya yang belum dikonfirmasi"
            assert tab.equipment_filter.placeholderText() == "kode alat, mis. MIXER01"
            assert tab.acknowledge_button.text() == "&Konfirmasi"
            assert tab.acknowledge_button.toolTip() == "Pilih satu catatan kerusakan"
            tab.view.selectRow(0)
            assert tab.acknowledge_button.toolTip() == (
                "Tandai kerusakan yang dipilih sudah dilihat (nama pengguna Anda disimpan)")
            tab.acknowledge_selected()
            ui.run_until(lambda: tab.model.rows and tab.model.rows[0].acknowledged_at is not None)
            ui.run_until(lambda: tab.model.index(0, 6).data() == f"oleh {tab.model.rows[0].acknowledged_by}")
        finally:
            window.set_language("en")
        assert window.tabs.tabText(window.tabs.indexOf(tab)) == "Equipment fai&lures"
        assert _headers(tab.model)[:4] == ["PLC time", "Equipment", "Failure", "Occurrences"]
        assert tab.model.index(0, 5).data() == "REPORTED"
        assert tab.model.index(0, 6).data().startswith("by ")
        assert tab.count_label.text() == "1 record"


@pytest.mark.parametrize("language", ["en", "id"])
def test_alarm_parts_fit_at_1366x768(live_ui, tmp_path, language):
    """Nothing cut off in the dock, the status-bar counts and badges, the journal or the failures tab."""
    from hmi.ui.elision import find_elided_text

    with live_ui() as ui:
        window = ui.window
        views = window.alarm_views
        _raise_three(ui)
        ui.run(ui.runtime.alarms.raise_alarm("plc.stale", "PLC readings fail"))
        ui.run_until(lambda: views.dock.model.rowCount() == 4)
        ui.plc.raise_failure("MIXER01", "MOTOR OVERLOAD", datetime(2026, 11, 30, 1, 1, 0))
        ui.run_until(lambda: ui.plc.failure_record().flag == 1, timeout=10)
        try:
            window.set_language(language)
            window.resize(1366, 768)
            window.show()
            views.open_dock()
            ui.run_until(lambda: window.width() == 1366)
            ui.run(asyncio.sleep(0.05))  # layouts settle, inside the loop
            problems = find_elided_text(views.dock) + find_elided_text(window.statusBar())
            assert views.dock.summary.width() >= views.dock.summary.sizeHint().width()  # the counts, whole
            assert views.dock.summary.text() == ("4 alarm(s), 4 unacknowledged" if language == "en"
                                                 else "4 alarm, 4 belum dikonfirmasi")
            window.grab().save(str(tmp_path / f"{language}-window.png"))
            for name, tab in (("journal", views.journal), ("failures", window.failures_tab)):
                if tab is None:
                    continue
                window.tabs.setCurrentWidget(tab)
                if tab is views.journal:
                    ui.run_until(lambda: views.journal.model.rowCount() == 4)
                else:
                    ui.refresh()
                    ui.run_until(lambda: window.failures_tab.model.rowCount() == 1)
                ui.run(asyncio.sleep(0.05))  # layouts settle, inside the loop
                problems += find_elided_text(tab)
                if tab is views.journal:  # the date edits are not in the checker: "any date" whole
                    from hmi.ui.alarm_journal import DATE_EDIT_MARGIN

                    for edit in (tab.date_from, tab.date_to):
                        needed = edit.fontMetrics().horizontalAdvance(edit.specialValueText()) + DATE_EDIT_MARGIN
                        if needed > edit.width():
                            problems.append(f"date edit {edit.specialValueText()!r}: needs {needed}, has "
                                            f"{edit.width()}")
                window.grab().save(str(tmp_path / f"{language}-{name}.png"))
            assert problems == []
        finally:
            window.set_language("en")


def test_a_critical_alarm_keeps_the_banner_red_in_indonesian(live_ui):
    with live_ui() as ui:  # the PLC polled: no PLC line of the window's own in the banner
        window = ui.window
        ui.run(ui.runtime.alarms.raise_alarm("database.unreachable", "Database does not answer"))
        ui.run_until(lambda: window.alarm_views.dock.model.rowCount() == 1)
        assert window.alert_banner.property("severity") == "fault"
        try:
            window.set_language("id")
            assert "KRITIS: Database does not answer" in window.alert_text.text().splitlines()
            assert window.alert_banner.property("severity") == "fault"
        finally:
            window.set_language("en")


def test_alarm_messages_raised_by_the_services_follow_the_language_and_stay_english_below(live_ui):
    """mo.held raised by a real Clear: the dock cell, its tooltip, the banner and the journal say it in
    Bahasa Indonesia with the MO names kept; the API and system_log keep the English; an alarm stored
    before templates were kept shows its stored English."""
    from sqlalchemy import insert

    from hmi.api import shapes
    from hmi.store.models import alarms as alarms_table

    with live_ui(start_scheduler=False, SYNC_BATCH_LIMIT="2") as ui:
        window = ui.window
        views = window.alarm_views
        dock, model, journal = views.dock, views.dock.model, views.journal
        ui.run(ui.runtime.sync.sync("manual"))
        result = ui.run(ui.runtime.admin.clear(TEST_ACTOR))
        names = ", ".join(sorted(result.held))
        english = f"2 MO(s) on the Held list, not fetched until released: {names}"
        indonesian = f"2 MO di daftar Ditahan, tidak diambil sampai dilepas: {names}"
        old = "PLC 10.0.0.5:502 readings fail, the table is not current: timed out"
        with ui.runtime.alarms.store.engine.begin() as conn:  # a row from before migration 0013
            conn.execute(insert(alarms_table).values(
                line=ui.runtime.alarms.line, kind="plc.stale", source="plc", subject="", priority="high",
                message=old, state="unack_active", count=1, raised_at=NOW, last_raised_at=NOW))
        views.dock.request_refresh()
        ui.run_until(lambda: {a.kind for a in model.alarms} >= {"mo.held", "plc.stale"})

        def row_of(kind: str) -> int:
            return next(r for r, a in enumerate(model.alarms) if a.kind == kind)

        def banner() -> list[str]:
            return [line for line in window.alert_text.text().splitlines() if line.startswith(("TINGGI", "SEDANG",
                                                                                               "HIGH", "MEDIUM"))]

        held = row_of("mo.held")
        message_column = _headers(model).index("Message")
        assert model.index(held, message_column).data() == english
        assert banner() == [f"HIGH: {old}", f"MEDIUM: {english}"]
        try:
            window.set_language("id")
            assert model.index(held, message_column).data() == indonesian
            assert model.index(held, 0).data(Qt.ItemDataRole.ToolTipRole) == (
                f"SEDANG — AKTIF, BELUM DIKONFIRMASI — {indonesian}")
            assert model.index(row_of("plc.stale"), message_column).data() == old  # no template: as stored
            assert banner() == [f"TINGGI: {old}", f"SEDANG: {indonesian}"]
            window.tabs.setCurrentWidget(journal)
            ui.run_until(lambda: any(a.kind == "mo.held" for a in journal.model.alarms))
            in_journal = next(r for r, a in enumerate(journal.model.alarms) if a.kind == "mo.held")
            column = _headers(journal.model).index("Pesan")
            assert journal.model.index(in_journal, column).data() == indonesian
        finally:
            window.set_language("en")
        assert model.index(held, message_column).data() == english
        assert model.index(held, 0).data(Qt.ItemDataRole.ToolTipRole) == (
            f"MEDIUM — ACTIVE, UNACKNOWLEDGED — {english}")
        assert banner() == [f"HIGH: {old}", f"MEDIUM: {english}"]
        assert journal.model.index(in_journal, _headers(journal.model).index("Message")).data() == english
        # Below the window the message stays English.
        alarm = model.alarms[held]
        assert shapes.alarm(alarm)["message"] == english
        logged = [r["message"] for r in ui.runtime.alarms.store.transitions_logged()]
        assert f"ALARM MEDIUM mo.held raised: {english}" in logged
