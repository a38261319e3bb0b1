"""Bahasa Indonesia and English: every tr() text translated, runtime switch, remembered per user."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from hmi.ui import i18n

pytestmark = pytest.mark.ui

UI_DIR = Path(i18n.__file__).resolve().parent


def test_every_tr_text_has_an_indonesian_translation(tmp_path):
    """pyside6-lupdate over the translated modules must leave no unfinished entry in the committed .ts."""
    checked = tmp_path / "batch_hmi_id.ts"
    shutil.copy(i18n.ts_path("id"), checked)
    result = subprocess.run([str(i18n.lupdate_executable()), *i18n.translated_modules(), "-ts", str(checked),
                             "-no-obsolete", "-locations", "none"], cwd=UI_DIR, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    unfinished = [m.find("source").text for m in ET.parse(checked).getroot().iter("message")
                  if m.find("translation").get("type") == "unfinished" or not (m.findtext("translation") or "").strip()]
    assert unfinished == [], ("texts without Indonesian (add them to a table in tools/id_words/, run "
                              f"`python -m tools.id_words`): {unfinished}")


def test_the_translation_check_reads_every_module_of_the_window():
    """A new module in hmi/ui is checked without anyone remembering to list it."""
    modules = i18n.translated_modules()
    on_disk = sorted(p.name for p in UI_DIR.glob("*.py"))
    assert modules[:len(on_disk)] == on_disk and {"main_window.py", "alarm_dock.py", "reports_tab.py"} <= set(modules)
    # Sentences the lower layers write for the operator (hmi.operator_text) are collected too.
    assert {"../plc/probe.py", "../services/connection_check.py", "../services/admin.py"} <= set(modules)


def test_the_word_tables_give_each_source_text_one_translation():
    from tools.id_words import words

    table = words()
    assert table["Trigger &sync"] == "&Sinkronkan"
    assert all(word.strip() for word in table.values()), "an empty translation is not a translation"


def test_view_language_switches_at_runtime_and_is_remembered_per_user(live_ui, tmp_path):
    from hmi.ui.batch_model import Column
    from hmi.ui.main_window import MainWindow

    with live_ui() as ui:
        window = ui.window
        menu = window.language_menu
        assert [a.text() for a in menu.actions()] == ["English", "Bahasa Indonesia"]
        assert window.trigger_sync_action.text() == "Trigger &sync"
        try:
            next(a for a in menu.actions() if a.data() == "id").trigger()
            assert window.trigger_sync_action.text() == "&Sinkronkan"
            assert window.tabs.tabText(1) == "&Riwayat" and window.menu_title("view") == "&Tampilan"
            titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
            assert titles[:6] == ["&Batch", "&Riwayat", "A&udit", "K&erusakan alat", "Lap&oran", "Tr&en"]
            assert window.history_tab.view.toolTip().startswith("Klik dua kali satu baris")
            assert window.operator_label.text() == "op-tester · Engineer"
            assert window.sign_action.text() == "Keluar"
            assert window.batch_model.headerData(2, Qt.Orientation.Horizontal) == "Produk"
            assert window._window_settings.value("ui/language") == "id"
            # Log records stay English (the plant's record).
            window.sync.trigger_sync()
            ui.run_until(lambda: not window.sync.sync_running, timeout=15)
            assert "Trigger sync by op-tester" in window.log_panel.shown_text()
            ui.run_until(lambda: window.countdown_label.text() == "sinkron otomatis dijeda")
            assert window.batch_model.data(window.batch_model.index(0, Column.STATE)).startswith(
                ("ANTRE", "BERJALAN", "DIKIRIM", "SELESAI"))
            # A new window for the same OS user starts in the language chosen.
            stored = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
            i18n.install_language(QApplication.instance(), "en")
            again = MainWindow(ui.window.port, ui.scheduler, window_settings=stored, session=window.session)
            assert again.trigger_sync_action.text() == "&Sinkronkan"
            again.close()
        finally:
            next(a for a in menu.actions() if a.data() == "en").trigger()
        assert window.trigger_sync_action.text() == "Trigger &sync" and i18n.current_language() == "en"
        assert window.tabs.tabText(5) == "&Trends"


def test_ui_language_sets_the_default(live_ui):
    with live_ui(UI_LANGUAGE="id") as ui:
        try:
            assert ui.window.trigger_sync_action.text() == "&Sinkronkan"
        finally:
            ui.window.set_language("en")


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_toolbar_with_the_sign_in_area_fits_1366_pixels(live_ui, language, signed_in):
    from PySide6.QtWidgets import QToolButton

    with live_ui() as ui:
        window = ui.window
        try:
            window.set_language(language)
            if not signed_in:
                window.session.sign_out()
            window.resize(1366, 768)
            ui.run_until(lambda: window.width() == 1366)
            qtbot_wait = ui.run_until(lambda: window.toolbar.widgetForAction(window.sign_action) is not None)
            assert qtbot_wait
            extension = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
            assert extension is None or not extension.isVisible(), "the toolbar overflows: actions are hidden"
            sign = window.toolbar.widgetForAction(window.sign_action)
            assert sign.isVisible() and sign.height() >= 40
            assert sign.geometry().right() <= window.toolbar.width()
        finally:
            window.set_language("en")


def test_a_refused_pin_is_explained_in_indonesian_while_the_log_stays_english(live_ui):
    from hmi.services.access import Role

    with live_ui(sign_in=None) as ui:
        window = ui.window
        ui.run(ui.runtime.operators.add("Siti", Role.OPERATOR, "2468", "test"))
        try:
            window.set_language("id")
            assert window.sign_action.text() == "Masuk" and window.operator_label.text() == "Hanya lihat"
            assert window.trigger_sync_action.toolTip() == "Perlu Operator: masuk dulu (hanya lihat)"
            window.sign_action.trigger()
            ui.run_until(lambda: window.window_dialogs.sign_in_dialog is not None)
            dialog = window.window_dialogs.sign_in_dialog
            assert dialog.windowTitle() == "Masuk" and dialog.keypad.buttons["clear"].text() == "Hapus"
            for digit in "1111":
                dialog.keypad.buttons[digit].click()
            dialog.ok_button.click()
            ui.run_until(lambda: dialog.message.text() ==
                         "PIN salah: tinggal 4 kali coba sebelum akun terkunci 60 detik")
            ui.run_until(lambda: "Sign-in of Siti: wrong PIN (1 of 5 before a lockout)" in window.log_panel.shown_text())
            dialog.close()
        finally:
            window.set_language("en")


def test_sentences_from_the_service_layer_are_shown_in_the_window_language(qapp):
    """Why an action was refused is written once, in English, by the service layer (log, API); the window
    shows the same sentence in Indonesian, names and values kept."""
    from hmi.operator_text import OperatorText
    from hmi.services.admin import ActionRefused

    refused = ActionRefused(OperatorText("MO {mo} is not in the batch table", mo="WH/MO/00042"))
    assert str(refused) == "MO WH/MO/00042 is not in the batch table"
    try:
        i18n.install_language(qapp, "id")
        assert i18n.localized(refused.text) == "MO WH/MO/00042 tidak ada di tabel batch"
        nested = OperatorText("{name} answered; signed in as uid {uid}; 1 MO ready",
                              name=OperatorText("Odoo at {url}", url="http://odoo:8069"), uid=7)
        assert i18n.localized(nested) == "Odoo di http://odoo:8069 menjawab; masuk sebagai uid 7; 1 MO siap"
        assert i18n.localized("ConnectionRefusedError") == "ConnectionRefusedError"  # a driver's own words
    finally:
        i18n.install_language(qapp, "en")
    assert i18n.localized(refused.text) == "MO WH/MO/00042 is not in the batch table"


def test_the_bundle_uses_the_translation_its_build_compiled(tmp_path, monkeypatch):
    """PyInstaller's copy may leave the .qm older than the .ts; a bundle has no lrelease to compile it again."""
    import os
    import sys

    folder = tmp_path / "resources" / "i18n"
    folder.mkdir(parents=True)
    ts, qm = folder / "batch_hmi_id.ts", folder / "batch_hmi_id.qm"
    qm.write_bytes(b"compiled")
    ts.write_text("<TS/>")
    os.utime(qm, (1_000_000, 1_000_000))  # older than the .ts
    monkeypatch.setattr(i18n, "resources_dir", lambda: tmp_path / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert i18n.qm_path("id") == qm
