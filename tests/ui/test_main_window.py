"""The operator window on the real Runtime, PLC simulator and fake Odoo (offscreen, qasync)."""

from __future__ import annotations

import asyncio

import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from hmi.domain import BatchState
from hmi.ui import dialogs
from hmi.ui.gate import TIP_NOTHING_TO_CLEAR, TIP_SYNC_RUNNING
from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui

MO_LIST_ROUTE = "/api/scada/mo-list-detailed"
PUSH_ROUTE = "/api/scada/mo/update-with-consumptions"


def _sync(ui) -> str:
    """Press Trigger sync and wait for the outcome in the status bar."""
    ui.window.sync.trigger_sync()
    ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
    ui.refresh()
    return ui.window.statusBar().currentMessage()


def test_trigger_sync_shows_the_outcome_in_the_status_bar_and_log(live_ui):
    # No poll timer here: a 2 s poll interval keeps the PLC from counting as STALE (whose banner
    # rightly hides a success) on a busy test machine.
    with live_ui(start_scheduler=False, PLC_POLL_INTERVAL_SECONDS="2") as ui:
        window = ui.window
        assert not window.clear_action.isEnabled()
        assert window.clear_action.toolTip() == TIP_NOTHING_TO_CLEAR

        window.sync.trigger_sync()
        assert not window.trigger_sync_action.isEnabled()
        assert window.trigger_sync_action.toolTip() == TIP_SYNC_RUNNING
        assert not window.clear_action.isEnabled()
        ui.run_until(lambda: not window.sync.sync_running, timeout=15)
        ui.refresh()
        message = window.statusBar().currentMessage()
        assert "Trigger sync: Sync fetched 3 MOs from Odoo" in message
        assert window.batch_model.rowCount() == 3
        assert window.trigger_sync_action.isEnabled() and window.clear_action.isEnabled()

        message = _sync(ui)
        assert "Trigger sync: Sync skipped: 3 batches still in the table; new MOs are fetched once the table is empty" in message
        log_text = window.log_panel.shown_text()
        assert "Sync fetched 3 MOs from Odoo" in log_text
        assert "Table mo_batch has 3 records. Skipping sync - waiting for PLC..." in log_text

        ui.odoo.set_faults(http_500=True)
        # A sync only asks Odoo when the table is empty.
        ui.run(ui.runtime.admin.clear(TEST_ACTOR))
        ui.refresh()
        message = _sync(ui)
        assert "Trigger sync: Sync failed: Fetching MOs from Odoo failed" in message
        assert window.odoo_badge.text == "Odoo FAULT"


def test_clear_confirmed_moves_rows_to_history_with_the_actor(live_ui, monkeypatch):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        asked = []
        shown = [b.mo_id for b in ui.window.batch_model.batches]

        def answer_hold(parent, mo_ids, staying=()):
            asked.append(list(mo_ids))
            return dialogs.CLEAR_AND_HOLD

        monkeypatch.setattr(dialogs, "ask_clear_choice", answer_hold)
        ui.window.workflows.clear_table()
        assert asked == [shown]  # the question names every MO that will be held
        assert not ui.window.clear_action.isEnabled()  # while the clear runs
        ui.run_until(lambda: ui.window.batch_model.rowCount() == 0)
        assert (f"Cleared by {TEST_ACTOR}: 3 batches moved to the history; 3 MOs held until released"
                in ui.window.statusBar().currentMessage())
        ui.refresh()
        assert ui.window.held_action.text() == "&Held MOs (3)"

        page = ui.run(ui.runtime.admin.history("cleared"))
        assert page.total == 3
        assert {entry.actor for entry in page.entries} == {TEST_ACTOR}

        # The History tab shows them.
        ui.window.tabs.setCurrentWidget(ui.window.history_tab)
        ui.run_until(lambda: ui.window.history_tab.total == 3)
        assert ui.window.history_tab.model.rowCount() == 3
        assert "Page 1 of 1 · 3 entries" == ui.window.history_tab.page_label.text()


def test_clear_refused_keeps_the_table(live_ui, monkeypatch):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        monkeypatch.setattr(dialogs, "ask_clear_choice", lambda *args: None)
        ui.window.workflows.clear_table()
        assert "Clear cancelled" in ui.window.statusBar().currentMessage()
        ui.refresh()
        assert ui.window.batch_model.rowCount() == 3
        assert ui.run(ui.runtime.admin.history()).total == 0


def test_table_follows_the_simulator_with_row_updates_not_resets(live_ui):
    with live_ui(start_scheduler=False) as ui:
        # Pushes fail for now, so DONE rows stay in the table long enough to be seen; fast retries.
        ui.odoo.set_faults(http_500=True, route=PUSH_ROUTE)
        ui.runtime.completion.backoff_initial = timedelta(milliseconds=100)
        model = ui.window.batch_model
        seen: dict[str, list[BatchState]] = {}

        def snapshot() -> None:
            for batch in model.batches:
                states = seen.setdefault(batch.mo_id, [])
                if not states or states[-1] is not batch.state:
                    states.append(batch.state)

        ui.window.refreshed.connect(snapshot)
        counts = {"changed": 0, "inserted": 0, "removed": 0, "reset": 0}
        model.dataChanged.connect(lambda *_: counts.__setitem__("changed", counts["changed"] + 1))
        model.rowsInserted.connect(lambda *_: counts.__setitem__("inserted", counts["inserted"] + 1))
        model.rowsRemoved.connect(lambda *_: counts.__setitem__("removed", counts["removed"] + 1))
        model.modelReset.connect(lambda: counts.__setitem__("reset", counts["reset"] + 1))

        _sync(ui)  # rows arrive QUEUED (the poll timer is not running yet)
        assert counts["inserted"] == 3
        ui.scheduler.start()
        ui.run_until(lambda: model.rowCount() == 3 and all(b.state is BatchState.DONE for b in model.batches),
                     timeout=15)
        ui.odoo.clear_faults()
        ui.run_until(lambda: model.rowCount() == 0, timeout=15)

        assert len(seen) == 3
        for mo_id, states in seen.items():
            assert states[0] is BatchState.QUEUED, (mo_id, states)
            assert BatchState.RUNNING in states and BatchState.DONE in states, (mo_id, states)
            assert states.index(BatchState.RUNNING) < states.index(BatchState.DONE)
        assert counts["changed"] > 3
        assert counts["removed"] == 3
        assert counts["reset"] == 0
        assert "DONE" in ui.window.log_panel.shown_text()


def test_gui_thread_keeps_turning_while_a_sync_waits_on_odoo(live_ui):
    # Responsiveness as an event: the fake Odoo holds the MO-list answer until the test lets it go;
    # while the sync waits on it, the GUI thread must fire a timer again and again. A blocking call
    # on the GUI thread would deliver no tick until the answer came. (The gap between ticks, in ms,
    # is a measured figure in bench/gui_loop.py, not a test.)
    with live_ui(ODOO_TIMEOUT_SECONDS="60") as ui:  # the poll timer runs too, as in production
        odoo_waiting = threading.Event()
        answer = threading.Event()

        def hold(_seconds: float) -> bool:  # FakeOdoo.pause for a delay fault: wait for the test instead
            odoo_waiting.set()
            answer.wait(30)
            return False

        ui.odoo.pause = hold
        outcomes = []
        ui.scheduler.sync_finished.connect(lambda outcome: outcomes.append(outcome.outcome))
        ui.odoo.set_faults(delay_seconds=1.0, route=MO_LIST_ROUTE)
        ticks: list[bool] = []  # for each tick: was the sync then waiting on Odoo?
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: ticks.append(odoo_waiting.is_set() and not answer.is_set()))
        heartbeat.start()
        try:
            ui.window.sync.trigger_sync()
            ui.run_until(odoo_waiting.is_set, timeout=15)
            ui.run_until(lambda: ticks.count(True) >= 5, timeout=15)
            assert ui.window.sync.sync_running, "the sync ended while Odoo held its answer"
        finally:
            answer.set()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
        heartbeat.stop()
        # The outcome, not the status bar: a success is rightly not shown there while a loaded
        # machine's 0.2 s poll has let the PLC reading go STALE.
        assert outcomes == ["synced"]


def test_double_click_opens_the_silo_detail(live_ui, qtbot):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        view = ui.window.batch_view
        rect = view.visualRect(ui.window.batch_model.index(0, 1))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        ui.run_until(lambda: ui.window.workflows.detail_dialog is not None)
        dialog = ui.window.workflows.detail_dialog
        batch = ui.window.batch_model.batch_at(0)
        assert dialog.isVisible()
        # one per silo, one per hand-added component, the total
        assert dialog.table.rowCount() == len(batch.dosing_lines) + len(batch.hand_added) + 1
        assert dialog.table.item(0, 0).text() == batch.dosing_lines[0].silo.long_label
        dialog.close()


def test_settings_dialog_shows_sources_and_masks_secrets(live_ui):
    from hmi.ui.dialogs import SettingsDialog

    with live_ui(start_scheduler=False) as ui:
        dialog = SettingsDialog(ui.runtime.settings, ui.window)
        rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
                for r in range(dialog.table.rowCount())}
        assert rows["ODOO_PASSWORD"] == ("********", "environment")
        assert rows["SYNC_INTERVAL_MINUTES"][1] == "default"
        assert rows["SYNC_BATCH_LIMIT"] == ("3", "environment")
        dialog.close()


def test_pause_and_resume_auto_sync(live_ui):
    with live_ui(start_scheduler=False, ENABLE_AUTO_SYNC="true") as ui:
        window = ui.window
        ui.scheduler.start()
        window._update_status()
        assert window.countdown_label.text().startswith("next sync in ")
        window.pause_action.trigger()
        assert not ui.scheduler.auto_sync_enabled
        assert window.countdown_label.text() == "auto-sync paused"
        assert window.pause_action.text() == "&Resume auto-sync"
        ui.run_until(lambda: f"Auto-sync PAUSED by {TEST_ACTOR}" in window.log_panel.shown_text())
        window.pause_action.trigger()
        assert ui.scheduler.auto_sync_enabled
        assert window.countdown_label.text().startswith("next sync in ")


def test_plc_badge_goes_stale_then_offline_when_the_plc_stops(live_ui):
    with live_ui(PLC_POLL_INTERVAL_SECONDS="0.2") as ui:
        # The first good read after start-up, however long a loaded machine takes to make it.
        ui.run_until(lambda: ui.window.plc_badge.text == "PLC CONNECTED", timeout=10)
        ui.run(ui.plc.stop())
        ui.run_until(lambda: ui.window.plc_badge.text == "PLC STALE", timeout=5)
        ui.run_until(lambda: ui.window.plc_badge.text == "PLC OFFLINE", timeout=5)
        assert ui.window.plc_badge.property("severity") == "fault"


def test_window_geometry_is_remembered(live_ui, tmp_path, qtbot):
    from hmi.ui.main_window import MainWindow

    with live_ui(start_scheduler=False) as ui:
        ui.window.resize(760, 580)  # within the offscreen screen (800x600): restore clamps to it
        chosen = (ui.window.width(), ui.window.height())  # the window may keep a slightly larger minimum
        assert chosen != (1366, 768)
        ui.window.close()
        stored = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        assert not stored.value("window/geometry").isEmpty()
        again = MainWindow(ui.window.port, ui.scheduler, window_settings=stored, session=ui.window.session)
        qtbot.addWidget(again)
        assert (again.width(), again.height()) == chosen
        again.close()


def test_held_list_releases_with_a_reason_and_the_actor(live_ui, monkeypatch):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        held = [b.mo_id for b in ui.window.batch_model.batches]
        ui.run(ui.runtime.admin.clear("night-shift"))
        ui.refresh()
        ui.window.held_action.trigger()
        dialog = ui.window.workflows.held_dialog
        ui.run_until(lambda: dialog.table.rowCount() == 3)
        assert [dialog.table.item(r, 0).text() for r in range(3)] == sorted(held)
        assert dialog.table.item(0, 3).text() == "night-shift"
        assert not dialog.release_button.isEnabled()  # nothing selected
        dialog.table.selectRow(0)
        released = dialog.table.item(0, 0).text()
        assert not dialog.release_button.isEnabled()
        assert "reason" in dialog.release_button.toolTip()
        dialog.reason.setText("PLC slot 1 empty, batch not started")
        assert dialog.release_button.isEnabled()
        dialog.release_button.click()
        ui.run_until(lambda: dialog.table.rowCount() == 2)
        assert released in dialog.status.text()
        assert released not in {h.mo_id for h in ui.run(ui.runtime.admin.held())}
        ui.run_until(lambda: f"Released from the Held list by {TEST_ACTOR}: {released}"
                     in ui.window.log_panel.shown_text())
        dialog.close()


def test_held_dialog_lists_what_a_cleared_batch_dosed_until_it_is_marked_booked(live_ui):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        first = ui.window.batch_model.batch_at(0)

        async def dosing() -> None:
            while True:
                await ui.runtime.poll.poll()
                batch = await ui.runtime.db(ui.runtime.store.get_batch, first.mo_id)
                if batch.plc_actual_kg > 0 and not batch.status_manufacturing:
                    return
                await asyncio.sleep(0.02)

        ui.run(dosing(), timeout=10)
        ui.plc.pause()
        ui.run(ui.runtime.poll.poll())
        dosed = ui.run(ui.runtime.db(ui.runtime.store.get_batch, first.mo_id))
        ui.refresh()
        ui.run(ui.runtime.admin.clear("night-shift", mo_ids=[b.mo_id for b in ui.window.batch_model.batches]))
        ui.window.held_action.trigger()
        dialog = ui.window.workflows.held_dialog
        silos = [line for line in dosed.silos if line.actual_kg]
        ui.run_until(lambda: dialog.bookings_table.rowCount() == len(silos))
        assert {dialog.bookings_table.item(r, 0).text() for r in range(len(silos))} == {first.mo_id}
        assert {dialog.bookings_table.item(r, 1).text() for r in range(len(silos))} == {"cleared"}
        assert not dialog.booked_button.isEnabled()  # nothing selected
        dialog.bookings_table.selectRow(0)
        assert dialog.booked_button.isEnabled()
        dialog.booked_button.click()
        ui.run_until(lambda: dialog.bookings_table.rowCount() == len(silos) - 1)
        assert "1 dosed amount(s) marked booked in Odoo." in dialog.status.text()
        booked = [b for b in ui.run(ui.runtime.admin.dosed_bookings(open_only=False)) if b.booked_at]
        assert [b.booked_by for b in booked] == [TEST_ACTOR]
        dialog.close()


def test_batch_menu_offers_the_actions_its_state_allows(live_ui, monkeypatch):
    with live_ui(start_scheduler=False, MAX_PUSH_ATTEMPTS="1") as ui:
        _sync(ui)
        batch = ui.window.batch_model.batch_at(0)
        menu = ui.window.workflows.batch_menu(batch)
        texts = {a.text(): a for a in menu.actions() if a.text()}
        assert set(texts) == {"&Details…", "Retry", "Cancel in Odoo…", "Archive as failed…"}
        assert not texts["Cancel in Odoo…"].isEnabled()
        assert "Only for FAILED or ATTENTION or HELD batches" in texts["Cancel in Odoo…"].toolTip()

        # The PLC fails the batch and Odoo refuses the cancel once: ATTENTION.
        ui.odoo.set_faults(http_500=True, route="/api/scada/mo/cancel")
        ui.plc.fail_mo.add(batch.plc_key)
        ui.scheduler.start()
        ui.run_until(lambda: ui.window.batch_model.batch_at(0) is not None
                     and ui.window.batch_model.batch_at(0).state is BatchState.ATTENTION, timeout=15)
        ui.odoo.clear_faults()
        batch = ui.window.batch_model.batch_at(0)
        texts = {a.text(): a for a in ui.window.workflows.batch_menu(batch).actions() if a.text()}
        assert all(texts[name].isEnabled() for name in ("Retry", "Cancel in Odoo…", "Archive as failed…"))

        asked = []
        monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: asked.append(text) or False)
        assert not ui.window.workflows.run_batch_action("cancel", batch)  # declined: nothing happens
        assert "Cancel MO" in asked[0]
        monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text: True)
        assert ui.window.workflows.run_batch_action("cancel", batch)
        ui.run_until(lambda: batch.mo_id not in {b.mo_id for b in ui.window.batch_model.batches}, timeout=10)
        page = ui.run(ui.runtime.admin.history("cancelled"))
        assert [(e.mo_id, e.actor) for e in page.entries] == [(batch.mo_id, TEST_ACTOR)]


def test_quit_asks_first_and_no_keeps_the_window(live_ui, monkeypatch, caplog):
    with live_ui(start_scheduler=False) as ui:
        closing = []
        ui.window.closing.connect(lambda: closing.append(True))
        monkeypatch.setattr(dialogs, "ask_close_confirmation", lambda parent: False)
        ui.window.quit_action.trigger()
        assert ui.window.isVisible() and not closing
        monkeypatch.setattr(dialogs, "ask_close_confirmation", lambda parent: True)
        ui.window.quit_action.trigger()
        assert closing and not ui.window.isVisible()
        assert f"Batch HMI closed by {TEST_ACTOR}: PLC polling and reporting to Odoo stop" in caplog.messages
