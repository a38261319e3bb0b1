"""The Alarms dock, the status-bar counts, the banner and the journal, on the real Runtime."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from hmi.services.alarms import AlarmState
from hmi.ui.alarm_dock import ShelveDialog
from tests.ui.conftest import TEST_ACTOR


def _raise_three(ui) -> None:
    alarms = ui.runtime.alarms
    ui.run(alarms.event("batch.out_of_tolerance", "MO WH/MO/00001 outside tolerance: silo A", "WH/MO/00001"))
    ui.run(alarms.raise_alarm("odoo.sync_failing", "Sync failed 3 times in a row (last: HTTP 500)"))
    ui.run(alarms.raise_alarm("plc.offline", "PLC 127.0.0.1:5020 offline: connection refused"))


def _wait_listed(ui, count: int):
    dock = ui.window.alarm_views.dock
    ui.run_until(lambda: dock.model.rowCount() == count)
    return dock


def test_dock_lists_by_priority_marks_unacknowledged_and_counts_follow(live_ui):
    with live_ui(start_scheduler=False) as ui:
        views = ui.window.alarm_views
        assert views.counts.text() == "No alarms"
        _raise_three(ui)
        dock = _wait_listed(ui, 3)
        model = dock.model
        cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(3)]
        assert [row[0] for row in cells] == ["CRITICAL", "HIGH", "LOW"]
        assert [row[1] for row in cells] == ["● ACTIVE, UNACKNOWLEDGED", "● ACTIVE, UNACKNOWLEDGED",
                                             "● RETURNED, UNACKNOWLEDGED"]
        assert model.index(0, 0).data(1) is not None  # the priority shape (DecorationRole)
        assert views.counts.text() == "1 CRITICAL 1 HIGH 1 LOW"
        assert ui.window.alert_text.text().splitlines()[0].startswith("CRITICAL: PLC 127.0.0.1:5020 offline")
        assert ui.window.alert_banner.isVisible()

        # Acknowledge the selected (the critical one): still listed, no longer marked, off the banner.
        dock.view.selectionModel().select(model.index(0, 0), QItemSelectionModel.SelectionFlag.Select
                                          | QItemSelectionModel.SelectionFlag.Rows)
        assert dock.ack_button.isEnabled()
        dock.ack_button.click()
        ui.run_until(lambda: model.rowCount() == 3 and model.alarms[0].state is AlarmState.ACK_ACTIVE)
        assert model.alarms[0].acknowledged_by == TEST_ACTOR
        assert model.index(0, 1).data() == "ACTIVE, ACKNOWLEDGED"
        assert ui.window.alert_text.text().splitlines()[0].startswith("HIGH: Sync failed")

        # Acknowledge all visible: the returned one leaves the list, the active ones stay.
        dock.ack_all_button.click()
        ui.run_until(lambda: model.rowCount() == 2)
        assert all(a.state is AlarmState.ACK_ACTIVE for a in model.alarms)
        assert views.counts.text() == "1 CRITICAL 1 HIGH"
        assert not ui.window.alert_banner.isVisible()


def test_shelve_hides_an_alarm_with_duration_and_reason(live_ui, monkeypatch):
    with live_ui(start_scheduler=False) as ui:
        _raise_three(ui)
        dock = _wait_listed(ui, 3)
        dock.view.selectRow(1)
        monkeypatch.setattr(ShelveDialog, "ask", classmethod(lambda cls, alarms, parent=None: None))
        dock.shelve_button.click()
        assert dock.model.rowCount() == 3  # cancelled: nothing shelved
        monkeypatch.setattr(ShelveDialog, "ask",
                            classmethod(lambda cls, alarms, parent=None: (60, "Odoo maintenance window")))
        dock.shelve_button.click()
        ui.run_until(lambda: dock.model.rowCount() == 2)
        assert [a.kind for a in dock.model.alarms] == ["plc.offline", "batch.out_of_tolerance"]
        assert "1 shelved" in dock.summary.text()
        assert ui.window.alarm_views.counts.text() == "1 CRITICAL 1 LOW"
        [shelved] = [a for a in ui.run(ui.runtime.alarms.open_alarms()) if a.kind == "odoo.sync_failing"]
        assert (shelved.shelved_by, shelved.shelf_reason) == (TEST_ACTOR, "Odoo maintenance window")


def test_shelve_dialog_needs_a_reason(live_ui):
    with live_ui(start_scheduler=False) as ui:
        _raise_three(ui)
        dock = _wait_listed(ui, 3)
        dialog = ShelveDialog(dock.model.alarms[:1], dock)
        ok = dialog.buttons.buttons()[0]
        assert not ok.isEnabled()
        dialog.reason.setText("silo A maintenance")
        assert ok.isEnabled()
        dialog.close()


def test_journal_pages_and_filters(live_ui):
    with live_ui(start_scheduler=False) as ui:
        alarms = ui.runtime.alarms
        for n in range(55):
            ui.run(alarms.event("batch.out_of_tolerance", f"MO {n} outside tolerance", f"MO{n}"))
        ui.run(alarms.raise_alarm("plc.offline", "PLC offline"))
        journal = ui.window.alarm_views.journal
        ui.window.tabs.setCurrentWidget(journal)
        ui.run_until(lambda: journal.model.rowCount() == 50)
        assert journal.page_label.text() == "Page 1 of 2 (56 alarm(s))"
        assert journal.model.alarms[0].kind == "plc.offline"
        journal.next_button.click()
        ui.run_until(lambda: journal.model.rowCount() == 6)
        assert not journal.next_button.isEnabled() and journal.previous_button.isEnabled()

        journal.priority_filter.setCurrentIndex(journal.priority_filter.findData("critical"))
        ui.run_until(lambda: journal.model.rowCount() == 1)
        assert journal.page_label.text() == "Page 1 of 1 (1 alarm(s))"
        journal.priority_filter.setCurrentIndex(0)
        journal.state_filter.setCurrentIndex(journal.state_filter.findData("rtn_unack"))
        ui.run_until(lambda: journal.total == 55)
        journal.kind_filter.setCurrentIndex(journal.kind_filter.findData("plc.offline"))
        ui.run_until(lambda: journal.total == 0)
        journal.kind_filter.setCurrentIndex(0)
        journal.state_filter.setCurrentIndex(0)
        ui.run_until(lambda: journal.total == 56)
        from PySide6.QtCore import QDate
        journal.date_from.setDate(QDate.currentDate().addDays(1))
        ui.run_until(lambda: journal.total == 0)


def test_status_bar_count_opens_the_dock(live_ui):
    with live_ui(start_scheduler=False) as ui:
        views = ui.window.alarm_views
        views.dock.close()
        assert not views.dock.isVisible()
        _raise_three(ui)
        _wait_listed(ui, 3)
        views.counts.buttons[next(iter(views.counts.buttons))].click()
        assert views.dock.isVisible()


@pytest.mark.parametrize("cycles", [50, pytest.param(250, marks=pytest.mark.slow)])
def test_flapping_link_burst_leaves_one_alarm_per_condition_with_its_count(live_ui, cycles):
    """A flapping PLC link (4 × cycles transitions, 1,000 in the slow run) while the window runs.
    The heartbeat figure is printed (bench/alarm_burst.py has the full figures), never asserted."""
    import time

    from PySide6.QtCore import QTimer

    from bench.alarm_burst import flap

    with live_ui(start_scheduler=False) as ui:  # no PLC poll of its own raising plc.stale meanwhile
        ticks: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
        heartbeat.start()
        ui.run(flap(ui.runtime.alarms, cycles), timeout=120)
        heartbeat.stop()
        dock = ui.window.alarm_views.dock
        ui.run_until(lambda: dock.model.rowCount() == 2 and all(a.count == cycles for a in dock.model.alarms))
        assert [(a.kind, a.state) for a in dock.model.alarms] == [("plc.offline", AlarmState.RTN_UNACK),
                                                                  ("plc.stale", AlarmState.RTN_UNACK)]
        ui.run_until(lambda: ui.window.alarm_views.counts.text() == "1 CRITICAL 1 HIGH")  # the next refresh
        total, _ = ui.run(ui.runtime.alarms.journal())
        assert total == 2
        assert len(ui.runtime.alarms.store.transitions_logged()) == 4 * cycles
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        print(f"{4 * cycles} transitions; max heartbeat gap {max(gaps) * 1000:.0f} ms over {len(ticks)} ticks")


def test_history_shows_the_tolerance_verdict_and_filters_out_of_tolerance(live_ui):
    with live_ui(DOSING_TOLERANCE_KG="0.5", DOSING_TOLERANCE_PERCENT="0.5") as ui:
        ui.plc.deviation = 0.3  # 30 % off target: outside any sensible tolerance
        ui.window.sync.trigger_sync()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
        async def emptied() -> bool:
            return await ui.runtime.db(ui.runtime.store.count_batches) == 0

        ui.run_until(emptied, timeout=30)
        # One low alarm per batch, naming the MO; the dock lists them.
        dock = _wait_listed(ui, 3)
        assert {a.kind for a in dock.model.alarms} == {"batch.out_of_tolerance"}
        tab = ui.window.history_tab
        ui.window.tabs.setCurrentWidget(tab)
        tab.status_combo.setCurrentIndex(tab.status_combo.findData("out of tolerance"))
        ui.run_until(lambda: tab.total == 3 and tab.model.rowCount() == 3)
        column = tab.model.columnCount() - 1
        assert tab.model.headerData(column, Qt.Orientation.Horizontal) == "Tolerance"
        cell = tab.model.index(0, column)
        assert cell.data().startswith("OUTSIDE: silo ")
        assert cell.data(Qt.ItemDataRole.DecorationRole) is not None  # word and shape, not colour alone
        assert "OUTSIDE" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_batch_table_and_details_show_a_finished_batch_outside_tolerance(live_ui):
    from hmi.ui.batch_model import Column

    with live_ui(DOSING_TOLERANCE_KG="0.5", DOSING_TOLERANCE_PERCENT="0.5") as ui:
        ui.plc.deviation = 0.3
        completion, ui.runtime.completion = ui.runtime.completion, None  # keep DONE rows in the table
        try:
            ui.window.sync.trigger_sync()
            ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
            model = ui.window.batch_model
            ui.run_until(lambda: any(b.is_locked for b in model.batches) and model.tolerance is not None,
                         timeout=15)
            row = next(r for r, b in enumerate(model.batches) if b.is_locked)
            cell = model.index(row, Column.DEVIATION)
            assert model.headerData(Column.DEVIATION, Qt.Orientation.Horizontal) == "Batch deviation"
            # The batch total's deviation over the verdict naming the silos outside.
            figure, verdict = cell.data().split("\n")
            assert figure.endswith(" %") and verdict.startswith("OUTSIDE silo ")
            assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
            running = next((r for r, b in enumerate(model.batches) if not b.is_locked), None)
            if running is not None:
                assert model.index(running, Column.DEVIATION).data() == "—"
            ui.window.workflows.show_batch_detail(model.index(row, 0))
            dialog = ui.window.workflows.detail_dialog
            assert dialog.verdict is not None and not dialog.verdict.within
            texts = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
            assert any("OUTSIDE" in t for t in texts) and texts[-1] == "⚠ OUTSIDE"
            dialog.close()
        finally:
            ui.runtime.completion = completion


def test_open_journal_follows_new_alarms(live_ui):
    with live_ui(start_scheduler=False) as ui:
        journal = ui.window.alarm_views.journal
        ui.window.tabs.setCurrentWidget(journal)
        ui.run_until(lambda: journal.page_label.text().startswith("Page 1 of 1 (0"))
        ui.run(ui.runtime.alarms.raise_alarm("plc.stale", "PLC readings fail"))
        ui.run_until(lambda: journal.total == 1 and journal.model.rowCount() == 1)
        assert journal.model.index(0, 0).data() == "HIGH"
