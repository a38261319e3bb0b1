"""The engineer's Settings dialog: save, refuse, keep comments, environment overrides, Test buttons."""

from __future__ import annotations

import contextlib
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtCore import QTimer

from hmi.config import load_settings
from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.plc import PlcSimulator
from hmi.ui.settings_editor_dialog import SettingsEditorDialog
from tests.conftest import pick_free_port
from tests.support.qt_loop import run, run_until

pytestmark = pytest.mark.ui

INI = """# Plant settings, kept by the engineer
[sync]
# how often (comment the dialog must keep)
interval_minutes = 5   # five minutes
batch_limit = 10

[plc]
host = 127.0.0.1
port = 5020
# unit id of the mixer PLC
unit_id = 1

[odoo]
base_url = http://127.0.0.1:8070
db = feedmill
username = admin
timeout_seconds = 1

[logging]
level = INFO
"""


@pytest.fixture
def editor(qapp, qloop, qtbot, tmp_path):
    qloop.set_default_executor(ThreadPoolExecutor(max_workers=2, thread_name_prefix="test-settings"))
    ini = tmp_path / "settings.ini"
    ini.write_text(INI)
    tasks = set()

    def spawn(coroutine):
        task = qloop.create_task(coroutine)
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    def build(environ=None):
        settings = load_settings(ini, environ=environ or {"DATA_DIR": str(tmp_path / "data")})
        saved = []
        dialog = SettingsEditorDialog(settings, spawn, actor=lambda: "Budi", on_saved=saved.append)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog, saved

    yield build, ini
    run_until(qloop, lambda: not tasks, timeout=10)


def test_a_valid_change_is_saved_in_place_keeping_comments_and_secrets_go_to_dotenv(editor, qloop):
    build, ini = editor
    dialog, saved = build()
    dialog.fields["SYNC_INTERVAL_MINUTES"].setText("2")
    dialog.fields["PLC_HOST"].setText("192.168.1.10")
    dialog.fields["ODOO_PASSWORD"].setText("n3w-s3cret")
    dialog.fields["LINE_EQUIPMENT_CODE"].setText("PLC01")
    dialog.save_button.click()
    run_until(qloop, lambda: dialog.save_result.text().startswith("Saved."))
    assert dialog.save_result.text() == ("Saved. Applied now: SYNC_INTERVAL_MINUTES. Needs a restart: ODOO_PASSWORD, "
                                         "PLC_HOST, LINE_EQUIPMENT_CODE.")
    text = ini.read_text()
    assert "# how often (comment the dialog must keep)" in text and "# unit id of the mixer PLC" in text
    assert "interval_minutes = 2   # five minutes" in text
    assert "host = 192.168.1.10" in text and "[logging]\nlevel = INFO" in text
    assert "[line]\nequipment_code = PLC01" in text
    assert "n3w-s3cret" not in text
    dotenv = ini.parent / ".env"
    assert "ODOO_PASSWORD='n3w-s3cret'" in dotenv.read_text()
    assert oct(dotenv.stat().st_mode & 0o777) == "0o600"
    reloaded = load_settings(ini, environ={})
    assert reloaded.sync_interval_minutes == 2 and reloaded.odoo_password == "n3w-s3cret"
    assert saved[0].settings.plc_host == "192.168.1.10"


def test_an_invalid_value_is_refused_naming_the_key_and_nothing_is_written(editor, qloop):
    build, ini = editor
    dialog, saved = build()
    dialog.fields["SYNC_BATCH_LIMIT"].setText("ten")
    dialog.save_button.click()
    run_until(qloop, lambda: dialog.save_result.text().startswith("Not saved"))
    assert dialog.save_result.text() == "Not saved: SYNC_BATCH_LIMIT='ten' must be a whole number"
    dialog.fields["SYNC_BATCH_LIMIT"].setText("10")
    dialog.fields["ODOO_API"].setCurrentText("json2")  # a combination rule of the start-up check
    dialog.save_button.click()
    run_until(qloop, lambda: "ODOO_API_KEY" in dialog.save_result.text())
    assert dialog.save_result.text().startswith("Not saved: ODOO_API='json2'")
    assert ini.read_text() == INI and not saved


def test_values_from_the_environment_are_read_only_with_the_reason(editor):
    build, _ini = editor
    dialog, _saved = build({"PLC_PORT": "5021"})
    field = dialog.fields["PLC_PORT"]
    assert not field.isEnabled() and field.text() == "5021"
    assert dialog.notes["PLC_PORT"].text() == ("Read-only: set by the environment variable PLC_PORT, which wins over "
                                               "settings.ini and .env; change it there")
    assert dialog.fields["PLC_HOST"].isEnabled()


def test_test_buttons_report_a_refused_plc_and_an_unreachable_odoo_in_one_line_while_responsive(editor, qloop):
    build, _ini = editor
    dialog, _saved = build()
    port = pick_free_port()
    dialog.fields["PLC_PORT"].setText(str(port))
    dialog.test_buttons["PLC"].click()
    run_until(qloop, lambda: dialog.test_results["PLC"].text() not in ("", "Testing…"))
    assert dialog.test_results["PLC"].text() == (f"PLC 127.0.0.1:{port} refused the connection "
                                                 f"(nothing listens on port {port})")

    odoo_port = pick_free_port()
    dialog.fields["ODOO_BASE_URL"].setText(f"http://127.0.0.1:{odoo_port}")
    dialog.test_buttons["Odoo"].click()
    run_until(qloop, lambda: dialog.test_results["Odoo"].text() != "Testing…", timeout=15)
    refused = dialog.test_results["Odoo"].text()
    assert refused.startswith(f"Odoo http://127.0.0.1:{odoo_port}: ") and "refused" in refused and "\n" not in refused

    # An Odoo that takes the connection and never answers: the Test waits for ODOO_TIMEOUT_SECONDS
    # (1 s here) while the window keeps turning: a timer fires again and again while the Test's
    # connection is held unanswered and the result still says "Testing…".
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    silent.setblocking(False)
    held: list[socket.socket] = []
    ticks: list[bool] = []  # for each tick: was the Test then waiting on the silent Odoo?

    def tick() -> None:
        with contextlib.suppress(BlockingIOError):
            held.append(silent.accept()[0])
        ticks.append(bool(held) and dialog.test_results["Odoo"].text() == "Testing…")

    try:
        dialog.fields["ODOO_BASE_URL"].setText(f"http://127.0.0.1:{silent.getsockname()[1]}")
        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(20)
        dialog.test_buttons["Odoo"].click()
        assert dialog.test_results["Odoo"].text() == "Testing…"
        run_until(qloop, lambda: dialog.test_results["Odoo"].text() != "Testing…", timeout=15)
        timer.stop()
    finally:
        for connection in held:
            connection.close()
        silent.close()
    line = dialog.test_results["Odoo"].text()
    assert line.startswith("Odoo http://127.0.0.1:") and "\n" not in line
    assert "did not answer /web/session/authenticate within 1 s" in line, line  # the timeout, not an error
    assert held, "the Test never connected to the silent Odoo"
    assert ticks.count(True) >= 3, ticks


def test_test_buttons_say_what_answered(editor, qloop):
    build, _ini = editor
    odoo = FakeOdoo(host="127.0.0.1", port=0, mo_count=12)
    odoo.start()
    plc = PlcSimulator(host="127.0.0.1", port=0)
    run(qloop, plc.start())
    try:
        dialog, _saved = build()
        dialog.fields["ODOO_BASE_URL"].setText(odoo.base_url)
        dialog.fields["ODOO_PASSWORD"].setText(DEFAULT_PASSWORD)
        dialog.fields["PLC_PORT"].setText(str(plc.port))
        dialog.test_buttons["Odoo"].click()
        dialog.test_buttons["PLC"].click()
        run_until(qloop, lambda: dialog.tests_running == 0 and "Testing…" not in
                  (dialog.test_results["Odoo"].text(), dialog.test_results["PLC"].text()), timeout=15)
        assert "answered; signed in as uid" in dialog.test_results["Odoo"].text()
        assert "MOs ready" in dialog.test_results["Odoo"].text()
        assert dialog.test_results["PLC"].text().startswith(f"PLC 127.0.0.1:{plc.port} answered: unit 1")
    finally:
        run(qloop, plc.stop())
        odoo.stop()


def test_the_window_opens_the_editor_for_an_engineer_and_applies_the_sync_interval_at_once(live_ui, tmp_path):
    with live_ui() as ui:
        window = ui.window
        window.settings_action.trigger()
        dialog = window.window_dialogs.settings_dialog
        assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["Connections", "Operators"]
        # The live window's settings all come from the environment: shown, read-only, with the reason.
        assert not dialog.fields["PLC_HOST"].isEnabled() and dialog.fields["SYNC_INTERVAL_MINUTES"].isEnabled()
        from hmi.services.settings_editor import SavedChange
        from hmi.app.settings_apply import apply_at_runtime
        import dataclasses
        new = dataclasses.replace(ui.runtime.settings, sync_interval_minutes=0.5, sync_batch_limit=2)
        apply_at_runtime(ui.runtime, ui.scheduler, SavedChange(new, ("SYNC_INTERVAL_MINUTES", "SYNC_BATCH_LIMIT"),
                                                               ("SYNC_INTERVAL_MINUTES", "SYNC_BATCH_LIMIT"), (),
                                                               tmp_path / "settings.ini", None), "op-tester")
        assert ui.scheduler.interval_minutes == 0.5 and ui.runtime.sync.batch_limit == 2
        assert ui.runtime.settings.sync_interval_minutes == 0.5
        ui.run_until(lambda: "Sync interval set to" in window.log_panel.shown_text() and "by op-tester" in window.log_panel.shown_text())


def test_test_answers_are_shown_in_indonesian_while_the_log_keeps_them_english(editor, qloop, qapp, caplog):
    from hmi.ui.i18n import install_language

    build, _ini = editor
    odoo = FakeOdoo(host="127.0.0.1", port=0, mo_count=12)
    odoo.start()
    install_language(qapp, "id")
    try:
        dialog, _saved = build()
        port = pick_free_port()
        dialog.fields["PLC_PORT"].setText(str(port))
        dialog.fields["ODOO_BASE_URL"].setText(odoo.base_url)
        dialog.fields["ODOO_PASSWORD"].setText(DEFAULT_PASSWORD)
        with caplog.at_level("INFO", logger="hmi.ui"):
            dialog.test_buttons["PLC"].click()
            dialog.test_buttons["Odoo"].click()
            run_until(qloop, lambda: dialog.tests_running == 0 and "Menguji…" not in
                      (dialog.test_results["Odoo"].text(), dialog.test_results["PLC"].text()), timeout=15)
        assert dialog.test_results["PLC"].text() == (f"PLC 127.0.0.1:{port} menolak koneksi (tidak ada yang "
                                                     f"mendengarkan di port {port})")
        odoo_line = dialog.test_results["Odoo"].text()
        assert " menjawab; masuk sebagai uid " in odoo_line and odoo_line.endswith(" MO siap"), odoo_line
        logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Connection test")]
        assert f"Connection test PLC by Budi: PLC 127.0.0.1:{port} refused the connection (nothing listens on " \
               f"port {port})" in logged
        assert any("answered; signed in as uid" in line for line in logged), logged
    finally:
        install_language(qapp, "en")
        odoo.stop()


def test_an_omron_line_is_set_up_and_tested_over_fins(editor, qloop):
    """PLC protocol in the dialog: the Test speaks FINS/UDP to the FINS simulator; Save writes it (restart)."""
    build, ini = editor
    plc = PlcSimulator(host="127.0.0.1", port=0, protocol="fins-udp")
    run(qloop, plc.start())
    try:
        dialog, saved = build()
        assert dialog.fields["PLC_PROTOCOL"].currentText() == "modbus" and dialog.fields["PLC_FINS_NODE"].text() == ""
        dialog.fields["PLC_PROTOCOL"].setCurrentText("fins-udp")
        dialog.fields["PLC_PORT"].setText(str(plc.port))
        dialog.test_buttons["PLC"].click()
        run_until(qloop, lambda: dialog.tests_running == 0 and dialog.test_results["PLC"].text() not in
                  ("", "Testing…"), timeout=15)
        assert dialog.test_results["PLC"].text().startswith(f"PLC 127.0.0.1:{plc.port} (FINS/UDP) answered: "
                                                            "handshake word D")
        dialog.save_button.click()
        run_until(qloop, lambda: saved, timeout=10)
        text = ini.read_text()
        assert "protocol = fins-udp" in text and "# unit id of the mixer PLC" in text
        assert "PLC_PROTOCOL" in dialog.save_result.text()  # named among the keys that need a restart
    finally:
        run(qloop, plc.stop())
