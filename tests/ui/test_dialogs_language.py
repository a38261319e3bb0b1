"""The dialogs in Bahasa Indonesia as an operator sees them: the Clear and close questions, batch details,
Held MOs, the hand-added checklist, the tolerance words and ages; open dialogs follow a switch of language;
English stays as before and log records stay English."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hmi.domain import HandAddLine
from hmi.ui import i18n
from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def indonesian(qapp):
    i18n.install_language(QApplication.instance(), "id")
    try:
        yield
    finally:
        i18n.install_language(QApplication.instance(), "en")


def _answer(seen: dict, pick) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        seen.update(title=box.windowTitle(), text=box.text(), box=box, default=box.defaultButton(),
                    buttons=sorted(b.text() for b in box.buttons()))
        pick(box).click()
    QTimer.singleShot(0, click)


def test_clear_question_in_indonesian_keeps_cancel_as_the_default(qtbot, indonesian):
    from hmi.ui.dialogs import ask_clear_choice

    seen: dict = {}
    _answer(seen, lambda box: box.button(QMessageBox.StandardButton.Cancel))
    assert ask_clear_choice(None, [f"WH/MO/{n:05d}" for n in range(1, 15)]) is None
    assert seen["title"] == "Kosongkan tabel batch"
    assert seen["text"].startswith("Kosongkan tabel batch?")
    assert "14 batch akan dipindah ke riwayat sebagai DIKOSONGKAN" in seen["text"]
    assert "MO ini akan DITAHAN" in seen["text"] and "WH/MO/00001" in seen["text"] and "dan 2 lainnya" in seen["text"]
    assert '"Kosongkan dan lepas — PLC sudah di-reset"' in seen["text"]
    assert seen["buttons"] == ["Batal", "Kosongkan dan lepas — PLC sudah di-reset", "Kosongkan dan tahan MO"]
    assert seen["default"] is seen["box"].button(QMessageBox.StandardButton.Cancel)


def test_close_question_in_indonesian_answers_ya_or_tidak(qtbot, indonesian):
    from hmi.ui.dialogs import ask_close_confirmation

    seen: dict = {}
    _answer(seen, lambda box: box.button(QMessageBox.StandardButton.No))
    assert ask_close_confirmation(None) is False
    assert seen["title"] == "Tutup Batch HMI" and "tidak ada yang membaca PLC" in seen["text"]
    assert seen["buttons"] == ["&Tidak", "&Ya"]
    assert seen["default"] is seen["box"].button(QMessageBox.StandardButton.No)


def test_the_questions_stay_english_in_english(qtbot):
    from hmi.ui.dialogs import ask_close_confirmation, batch_action_question, batch_action_text

    seen: dict = {}
    _answer(seen, lambda box: box.button(QMessageBox.StandardButton.Yes))
    assert ask_close_confirmation(None) is True
    assert seen["title"] == "Close Batch HMI" and seen["buttons"] == ["&No", "&Yes"]
    assert batch_action_text("archive_failed") == "Archive as failed…"
    assert batch_action_question("cancel", "WH/MO/00007").startswith("Cancel MO WH/MO/00007 in Odoo?")


def test_batch_actions_and_why_they_are_disabled_in_indonesian(indonesian):
    from hmi.domain import BatchState
    from hmi.ui.dialogs import batch_action_question, batch_action_text, batch_action_tooltip

    assert [batch_action_text(k) for k in ("retry", "cancel", "archive_failed")] == \
        ["Coba lagi", "Batalkan di Odoo…", "Arsipkan sebagai gagal…"]
    assert batch_action_tooltip("cancel", BatchState.RUNNING) == \
        "Hanya untuk batch GAGAL atau PERHATIAN atau DITAHAN; batch ini BERJALAN"
    assert batch_action_tooltip("retry", BatchState.DONE) == "Hanya untuk batch PERHATIAN; batch ini SELESAI"
    assert batch_action_question("archive_failed", "WH/MO/00003").startswith(
        "Arsipkan MO WH/MO/00003 sebagai gagal?")


def test_ages_and_tolerance_words_in_indonesian_with_an_english_path_for_logs(indonesian):
    from hmi.ui.formatting import format_age
    from hmi.ui.tolerance_view import deviation_tooltip

    assert format_age(NOW - timedelta(seconds=4), NOW) == "4 dtk"
    assert format_age(NOW - timedelta(minutes=3), NOW) == "3 mnt"
    assert format_age(NOW - timedelta(hours=5), NOW) == "5 jam"
    assert format_age(NOW - timedelta(seconds=4), NOW, english=True) == "4 s"
    assert deviation_tooltip(None) == "Dinilai terhadap toleransi penimbangan setelah PLC menyelesaikan batch"


def test_hand_added_checklist_in_indonesian_and_back(qtbot, indonesian):
    from hmi.ui.hand_add_panel import HandAddChecklist

    lines = [HandAddLine("WH/MO/00001", 7, "Premix layer", 2.5),
             HandAddLine("WH/MO/00001", 8, "Obat cacing", 0.4, actual_kg=0.4, confirmed_at=NOW,
                         confirmed_by="Siti")]
    checklist = HandAddChecklist(lines, lambda *args: None)
    qtbot.addWidget(checklist)
    assert checklist.title() == "Bahan tambahan manual — 1 dari 2 OPEN: timbang lalu konfirmasi"
    assert checklist.confirm_buttons[7].text() == "Konfirmasi" and checklist.confirm_buttons[8].text() == "Koreksi"
    assert checklist.accept_buttons[7].text() == "Sesuai target"
    assert checklist.detail_labels[8].text().startswith("oleh Siti, ")
    checklist.inputs[7].clear()
    checklist.confirm_buttons[7].click()
    assert checklist.message.text() == "⚠ TIDAK TERSIMPAN: Premix layer: ketik kg hasil timbang, atau tekan Sesuai target"
    i18n.install_language(QApplication.instance(), "en")
    checklist.retranslate()
    assert checklist.title() == "Hand-added components — 1 of 2 OPEN: weigh and confirm"
    assert checklist.confirm_buttons[8].text() == "Correct" and checklist.detail_labels[8].text().startswith("by Siti")


def _sync(ui) -> None:
    ui.window.sync.trigger_sync()
    ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
    ui.refresh()


def test_batch_details_in_indonesian_follow_a_switch_while_open(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _sync(ui)
        try:
            window.set_language("id")
            window.workflows.show_batch_detail(window.batch_model.index(0, 0))
            dialog = window.workflows.detail_dialog
            batch = dialog.batch
            assert dialog.windowTitle() == f"Batch {batch.batch_no} — {batch.mo_id}"
            assert "Bacaan PLC terakhir:" in dialog.header.text() and ", lini " in dialog.header.text()
            headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(5)]
            assert headers[:4] == ["Silo", "Bahan", "Target kg", "Aktual kg"]
            assert headers[4] in ("Kemajuan", "Deviasi")
            assert dialog.table.item(dialog.table.rowCount() - 1, 0).text() == "Total"
            assert dialog.action_buttons["archive_failed"].text() == "Arsipkan sebagai gagal…"
            assert dialog.action_buttons["cancel"].toolTip().startswith("Hanya untuk batch GAGAL")
            window.set_language("en")  # the dialog is still open: it follows
            assert "Last PLC reading:" in dialog.header.text()
            assert dialog.table.horizontalHeaderItem(1).text() == "Component"
            assert dialog.action_buttons["archive_failed"].text() == "Archive as failed…"
            assert dialog.action_buttons["cancel"].toolTip().startswith("Only for FAILED")
            dialog.close()
        finally:
            window.set_language("en")


def test_held_mos_in_indonesian_while_the_log_stays_english(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _sync(ui)
        ui.run(ui.runtime.admin.clear("night-shift"))
        ui.refresh()
        try:
            window.held_action.trigger()
            dialog = window.workflows.held_dialog
            ui.run_until(lambda: dialog.table.rowCount() == 3)
            assert dialog.windowTitle() == "Held MOs"
            window.set_language("id")  # switched while the dialog is open
            assert dialog.windowTitle() == "MO Ditahan"
            assert [dialog.table.horizontalHeaderItem(c).text() for c in range(5)] == \
                ["MO", "Lini", "Ditahan sejak", "Ditahan oleh", "Alasan"]
            assert dialog.release_button.text() == "Lepas yang dipilih"
            assert dialog.release_button.toolTip() == "Pilih MO yang akan dilepas"
            assert dialog.reason_label.text() == "A&lasan:"
            dialog.table.selectRow(0)
            released = dialog.table.item(0, 0).text()
            dialog.reason.setText("slot PLC 1 kosong")
            dialog.release_button.click()
            ui.run_until(lambda: dialog.table.rowCount() == 2)
            assert dialog.status.text() == \
                f"Dilepas: {released}. Sinkronisasi berikutnya bisa mengirimnya lagi ke PLC."
            ui.run_until(lambda: f"Released from the Held list by {TEST_ACTOR}: {released}"
                         in window.log_panel.shown_text())
            window.set_language("en")
            assert dialog.status.text() == f"Released: {released}. The next sync may download them again."
            dialog.close()
        finally:
            window.set_language("en")
