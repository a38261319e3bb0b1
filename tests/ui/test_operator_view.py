"""What the operator sees: faults that cannot be missed, true words, a touch-sized window.

Real window, runtime, PLC simulator and fake Odoo (offscreen, qasync); what is asserted is
what a person at the panel would notice: words in the banner and rows, sizes of what they
tap, text that fits.
"""

from __future__ import annotations

import dataclasses
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from hmi.services.health import LinkQuality, SyncRecord
from hmi.clock import utc_now
from hmi.ui.batch_model import Column
from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui

MO_LIST_ROUTE = "/api/scada/mo-list-detailed"
CANCEL_ROUTE = "/api/scada/mo/cancel"


def _sync(ui) -> None:
    ui.window.sync.trigger_sync()
    ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
    ui.refresh()


def _attention(batch):
    return dataclasses.replace(batch, status_manufacturing=True, needs_attention=True, push_attempts=5,
                               last_push_error="Odoo failed with HTTP 500 on /api/scada/mo/update-with-consumptions.")


def test_plc_lost_marks_every_row_not_current_and_the_banner_says_it_first(live_ui):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _sync(ui)
        assert window.batch_model.rowCount() == 3
        # A sync alert and a batch Odoo refused are already up (as alarms) when the PLC goes away.
        for _ in range(3):
            ui.runtime.health.record_sync(SyncRecord(utc_now(), "timer", "failed",
                                                     "Fetching MOs from Odoo failed: Odoo failed with HTTP 500"))
        ui.run(ui.runtime.alarms.raise_alarm("odoo.sync_failing", ui.runtime.health.alert))
        first = window.batch_model.batch_at(0)
        window.batch_model.apply([_attention(first), *window.batch_model.batches[1:]])
        ui.run(_raise_attention(ui, _attention(first)))
        ui.run(ui.plc.stop())
        ui.run_until(lambda: window.plc_badge.text == "PLC OFFLINE", timeout=10)

        def banner_words() -> list[str]:
            window._update_status()
            return [line.split(":")[0] for line in window.alert_text.text().splitlines()]

        # The PLC's data-quality line first, then the unacknowledged alarms, highest priority first
        # (the PLC link alarm, then the failing syncs and the batch Odoo did not take).
        ui.run_until(lambda: banner_words()[:1] == ["PLC OFFLINE"] and banner_words().count("HIGH") == 2, timeout=10)
        lines = window.alert_text.text().splitlines()
        assert lines[-2:] == [line for line in lines if line.startswith("HIGH: ")], lines
        assert any("Sync failed 3 times in a row" in line for line in lines)
        assert any(f"MO {first.mo_id} (batch {first.batch_no}) needs ATTENTION" in line for line in lines)
        assert "NOT CURRENT" in lines[0]
        assert window.alert_banner.property("severity") == "fault"
        for row in range(1, 3):  # the rows the PLC may still change
            state = window.batch_model.data(window.batch_model.index(row, Column.STATE))
            reading = window.batch_model.data(window.batch_model.index(row, Column.LAST_READING))
            assert state.endswith("\nNOT CURRENT"), state
            assert reading.endswith("\nPLC OFFLINE"), reading


async def _raise_attention(ui, batch) -> None:
    """What the completion service raises when Odoo did not take a finished batch's report."""
    await ui.runtime.alarms.raise_alarm(
        "odoo.push_failed", f"MO {batch.mo_id} (batch {batch.batch_no}) needs ATTENTION: report Odoo failed 5 times "
        f"({batch.last_push_error})", batch.mo_id, mo_id=batch.mo_id, batch_no=batch.batch_no)


#: No poll timer in these tests, so the PLC is given a long poll interval: it stays GOOD meanwhile.
QUIET_PLC = {"PLC_POLL_INTERVAL_SECONDS": "30"}


def test_attention_banner_names_batch_and_mo_and_does_not_promise_a_retry(live_ui):
    with live_ui(start_scheduler=False, **QUIET_PLC) as ui:
        window = ui.window
        _sync(ui)
        batch = window.batch_model.batch_at(1)
        window.batch_model.apply([window.batch_model.batch_at(0), _attention(batch), window.batch_model.batch_at(2)])
        ui.run(_raise_attention(ui, _attention(batch)))

        def text() -> str:
            window._update_status()
            return window.alert_text.text()

        # A batch Odoo did not take is a HIGH alarm (odoo.push_failed): the banner line names it.
        ui.run_until(lambda: text().startswith("HIGH: "), timeout=10)
        assert f"MO {batch.mo_id} (batch {batch.batch_no}) needs ATTENTION" in text()
        assert "retries" not in text() and "batch(es)" not in text()
        assert window.alert_banner.property("severity") == "fault"


def test_sync_alert_quotes_the_failing_fetch_not_another_calls_error(live_ui):
    with live_ui(start_scheduler=False, **QUIET_PLC) as ui:
        window = ui.window
        ui.odoo.set_faults(http_500=True, route=MO_LIST_ROUTE)
        for _ in range(3):
            _sync(ui)

        def banner() -> str:
            window._update_status()
            return window.alert_text.text()

        # Three failed syncs are the HIGH alarm odoo.sync_failing, quoted in the banner.
        ui.run_until(lambda: banner().startswith("HIGH: Sync failed 3 times in a row"), timeout=10)
        text = banner()
        assert MO_LIST_ROUTE in text and CANCEL_ROUTE not in text
        assert "next cycle retries" not in text
        assert window.odoo_badge.text == "Odoo FAULT"
        # The empty table says what the line waits for, not an empty grey grid.
        assert window.batches_page.currentWidget() is window.idle_panel
        assert window.idle_text.text().startswith("Odoo unreachable")
        # The status bar tells the failure, never an older success.
        assert "Sync failed" in window.statusBar().currentMessage()


def test_no_old_success_in_the_status_bar_while_the_banner_reports_a_fault(live_ui):
    # The poll timer runs: the PLC is read until it goes away. A success is (rightly) not shown while
    # the banner says "PLC STALE", and STALE means no good read for two poll intervals: with the
    # fixture's 0.2 s poll, a sync that holds the PLC link for 0.4 s on a loaded machine made the
    # reading STALE and hid the success this test starts from. A 1 s poll gives the sync 2 s.
    with live_ui(PLC_POLL_INTERVAL_SECONDS="1") as ui:
        window = ui.window
        ui.run_until(lambda: window.status.plc is not None and window.status.plc.quality is LinkQuality.GOOD
                     and not window.alert_banner.isVisible(), timeout=10)
        _sync(ui)
        assert "Sync fetched 3 MOs" in window.statusBar().currentMessage(), window.alert_text.text()
        ui.run(ui.plc.stop())
        ui.run_until(lambda: window.alert_banner.isVisible() and window.statusBar().currentMessage() == "",
                     timeout=10)
        _sync(ui)  # "skipped" is a success: not shown under a fault
        assert window.statusBar().currentMessage() == ""


def test_idle_screen_says_what_the_line_waits_for(live_ui):
    with live_ui(start_scheduler=False, ENABLE_AUTO_SYNC="true") as ui:
        window = ui.window
        ui.scheduler.start()
        window._update_status()
        assert window.batches_page.currentWidget() is window.idle_panel
        assert window.idle_text.text().startswith("Waiting for the next sync.")
        assert "Next sync in " in window.idle_text.text()
        window.pause_action.trigger()
        window._update_status()
        assert window.idle_text.text().startswith("Auto-sync is paused")
        ui.run(ui.plc.stop())
        ui.run_until(lambda: window.plc_badge.text == "PLC OFFLINE", timeout=10)
        window._update_status()
        assert window.idle_text.text().startswith("Waiting for the PLC: it is OFFLINE")
        assert window.idle_sync_button.isVisible()


def test_library_lines_stay_out_of_the_window_log(live_ui):
    with live_ui(start_scheduler=False) as ui:
        panel = ui.window.log_panel
        logging.getLogger("pymodbus.logging").error("Failed to connect [Errno 111] Connect call failed "
                                                    "('127.0.0.1', 35967)")
        logging.getLogger("pymodbus.logging").warning("Repeating....")
        logging.getLogger("qasync").warning("Event callback failed")
        logging.getLogger("uvicorn.error").error("Exception in ASGI application")
        logging.getLogger("qt").warning("This plugin does not support propagateSizeHints()")
        logging.getLogger("hmi.test").warning("PLC marker line in the product's words")
        logging.getLogger("hmi.test").warning("PLC not reachable at 10.0.0.5:502 ([Errno 113] No route to host)")
        ui.run_until(lambda: "PLC marker line" in panel.shown_text() and "10.0.0.5" in panel.shown_text())
        shown = panel.shown_text()
        for library_text in ("Errno", "Repeating", "Event callback", "ASGI", "propagateSizeHints"):
            assert library_text not in shown
        assert "PLC not reachable at 10.0.0.5:502 (no route to the host)" in shown
        # Long lines wrap: no horizontal scrolling.
        assert panel.view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_touch_density_makes_everything_tappable_and_reachable_without_a_key_chord(live_ui, qtbot):
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        assert window.density.value == "touch"
        _sync(ui)
        view = window.batch_view
        assert all(view.rowHeight(row) >= 40 for row in range(window.batch_model.rowCount()))
        buttons = [b for b in window.toolbar.findChildren(QToolButton) if b.defaultAction() is not None
                   and b.isVisible()]
        assert {b.defaultAction() for b in buttons} >= {window.trigger_sync_action, window.clear_action,
                                                         window.pause_action, window.details_action,
                                                         window.settings_action, window.about_action}
        assert all(b.height() >= 40 for b in buttons), [(b.text(), b.height()) for b in buttons]
        tabs = window.tabs.tabBar()
        assert all(tabs.tabRect(i).height() >= 40 for i in range(tabs.count()))
        assert window.history_tab.refresh_button.height() >= 34  # inside the 40 px tab page row

        # Details on a visible button: tap a row, tap Details.
        assert not window.details_action.isEnabled()
        rect = view.visualRect(window.batch_model.index(1, 1))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.details_action.isEnabled()
        next(b for b in buttons if b.defaultAction() is window.details_action).click()
        ui.run_until(lambda: window.workflows.detail_dialog is not None)
        assert window.workflows.detail_dialog.batch.mo_id == window.batch_model.batch_at(1).mo_id
        window.workflows.detail_dialog.close()

        # A long press on a row opens its menu with Details.
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        ui.run_until(lambda: window.workflows.row_menu is not None and window.workflows.row_menu.isVisible(),
                     timeout=3)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.details_action in window.workflows.row_menu.actions()
        window.workflows.row_menu.close()


def test_desktop_density_keeps_the_compact_table(live_ui):
    with live_ui(start_scheduler=False, UI_DENSITY="desktop") as ui:
        assert ui.window.density.value == "desktop"
        assert ui.window.batch_view.verticalHeader().defaultSectionSize() < 40


def test_kiosk_start_is_full_screen_without_a_frame_and_quitting_asks(live_ui, qtbot, monkeypatch):
    from hmi.app.gui import show_window
    from hmi.ui.main_window import MainWindow

    with live_ui(start_scheduler=False) as ui:
        kiosk = MainWindow(ui.window.port, ui.scheduler, kiosk=True, session=ui.window.session,
                           window_settings=ui.window._window_settings)
        qtbot.addWidget(kiosk)
        show_window(kiosk, kiosk=True)
        assert kiosk.isFullScreen()
        assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert kiosk.quit_action in kiosk.toolbar.actions()  # no frame, so Quit is on screen

        # The question itself (No as the default, a real box) is tested in test_parts; a modal loop here would
        # step the simulator's tasks outside the test's loop.
        from hmi.ui import dialogs

        asked = []

        def answer(value):
            monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: asked.append(title) or value)

        closed = []
        kiosk.closing.connect(lambda: closed.append(True))
        answer(False)
        kiosk.quit_action.trigger()
        assert asked == ["Close Batch HMI"] and not closed and kiosk.isVisible()
        answer(True)
        kiosk.quit_action.trigger()
        assert closed and not kiosk.isVisible()


def test_kiosk_is_a_window_option_only():
    import subprocess
    import sys
    from pathlib import Path

    main = Path(__file__).resolve().parents[2] / "main.py"
    result = subprocess.run([sys.executable, str(main), "--headless", "--kiosk"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "--kiosk is a window option" in result.stderr
    from hmi.app.cli import build_parser

    assert build_parser().parse_args(["--kiosk", "--demo"]).kiosk


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_no_label_or_header_is_cut_off(live_ui, qapp, tmp_path, size):
    """Every label, button, tab, column header and hint fits its space (themed, touch density)."""
    from hmi.ui.dialogs import SettingsDialog
    from hmi.ui.elision import find_elided_text
    from hmi.ui.theme import apply_theme

    apply_theme(qapp)
    try:
        with live_ui(start_scheduler=False) as ui:
            window = ui.window
            window.resize(*size)
            problems = []

            def check(name, widget):
                ui.run_until(lambda: True, timeout=0.3)  # let layouts settle
                widget.grab().save(str(tmp_path / f"{name}.png"))
                problems.extend(f"{name}: {p}" for p in find_elided_text(widget))

            window._update_status()
            check("idle", window)
            _sync(ui)
            ui.run(ui.plc.stop())
            ui.run_until(lambda: window.plc_badge.text == "PLC OFFLINE", timeout=10)
            window._update_status()
            check("plc-offline", window)
            window.tabs.setCurrentWidget(window.history_tab)
            ui.run_until(lambda: window.history_tab.loaded_once)
            check("history", window)
            dialog = SettingsDialog(ui.runtime.settings, window)
            dialog.show()
            check("settings", dialog)
            dialog.close()
            assert not problems, "\n".join(problems)
    finally:
        qapp.setStyleSheet("")


def test_the_elision_check_notices_text_wider_than_its_space(qtbot):
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

    from hmi.ui.elision import find_elided_text

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    label = QLabel("ODOO ERROR: Odoo failed with HTTP 500 on /api/scada/mo/cancel", root)
    label.setObjectName("odooBadgeText")
    label.setMinimumWidth(10)
    label.setMaximumWidth(80)
    table = QTableView(root)
    model = QStandardItemModel(1, 1, table)
    model.setHorizontalHeaderLabels(["Manufacturing order"])
    model.setItem(0, 0, QStandardItem("WH/MO/00001"))
    table.setModel(model)
    table.horizontalHeader().resizeSection(0, 10)
    layout.addWidget(label)
    layout.addWidget(table)
    root.resize(300, 200)
    root.show()
    qtbot.waitExposed(root)
    problems = find_elided_text(root)
    assert any("odooBadgeText" in p for p in problems)
    assert any(p.startswith("cell ") and "WH/MO/00001" in p for p in problems)
    assert any(p.startswith("header ") for p in problems)
    label.setMaximumWidth(2000)
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance(label.text()) + 4)
    root.resize(label.minimumWidth() + 40, 200)
    qtbot.wait(10)
    assert not any("odooBadgeText" in p for p in find_elided_text(root))


def test_the_window_reads_link_health_through_the_service_layer():
    """House rule: one definition of healthy (HealthMonitor); hmi/ui never asks the adapters."""
    from pathlib import Path

    ui_dir = Path(__file__).resolve().parents[2] / "hmi" / "ui"
    for source in ui_dir.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for adapter in ("runtime.plc", "runtime.odoo", "hmi.plc", "hmi.odoo"):
            assert adapter not in text, f"{source.name} reaches {adapter}"


def test_a_long_sync_failure_fits_the_status_bar_and_keeps_its_whole_text_as_tooltip(live_ui):
    from hmi.services.sync import SyncOutcome
    from hmi.ui.elision import find_elided_text

    with live_ui() as ui:
        window = ui.window
        window.resize(1366, 768)
        ui.run_until(lambda: window.width() == 1366)
        reason = ("Odoo answered HTTP 500 Internal Server Error for /api/mrp/productions/ready while listing the "
                  "line's manufacturing orders; the next cycle retries")
        window.sync.on_sync_finished(SyncOutcome(outcome="failed", message=reason, count=0))
        shown = window.statusBar().currentMessage()
        assert shown.endswith("…") and "Sync failed: Odoo answered HTTP 500" in shown
        whole = window.statusBar().toolTip()
        assert "Sync failed: Odoo answered HTTP 500" in whole and whole.startswith(shown[:-1])
        assert len(whole) > len(shown)
        assert [p for p in find_elided_text(window.statusBar()) if "status bar message" in p] == []
        # Shown at full width, then the window is made narrower: the message is cut again to fit.
        window.resize(1920, 1000)
        ui.run_until(lambda: window.width() == 1920)
        window.sync.on_sync_finished(SyncOutcome(outcome="failed", message=reason, count=0))
        wide = window.statusBar().currentMessage()
        window.resize(1366, 768)
        ui.run_until(lambda: window.statusBar().currentMessage() != wide or window.width() == 1366)
        ui.run_until(lambda: [p for p in find_elided_text(window.statusBar()) if "status bar message" in p] == [])


def test_an_unexpected_error_of_a_batch_action_reads_as_words_not_driver_text(live_ui):
    from tests.ui.test_main_window import _sync

    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        window = ui.window
        batch = window.batch_model.batch_at(0)

        async def fails(mo_id, actor):
            raise RuntimeError('(psycopg2.OperationalError) connection to server at "db01", port 5432 failed: '
                               "Connection refused\n[SQL: UPDATE mo_batch SET ...]\n"
                               "(Background on this error at: https://sqlalche.me/e/20/e3q8)")

        ui.run(window.workflows._run_batch_action(fails, batch, "op-tester"))
        assert window.statusBar().currentMessage() == (
            f'Action on MO {batch.mo_id} failed: connection to server at "db01", port 5432 failed: Connection refused')
