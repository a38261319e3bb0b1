"""Equipment failures in the operator window: the banner while unacknowledged, the tab's list
(newest first, filters) and the Acknowledge button — on the real runtime and PLC simulator."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui


def _raise_and_wait(ui, code: str, info: str, minute: int) -> None:
    ui.plc.raise_failure(code, info, datetime(2026, 11, 30, 1, minute, 0))
    ui.run_until(lambda: ui.plc.failure_record().flag == 1, timeout=10)  # stored and acknowledged on the PLC
    ui.refresh()


def test_banner_list_filters_and_acknowledgement(live_ui):
    with live_ui() as ui:
        window = ui.window
        assert window.failures_tab is not None
        # No failure banner before a failure is raised. The banner may show "PLC STALE" for a moment
        # first: the poll runs every 0.2 s here, and until the first good read after start-up (or
        # after a poll held up on a loaded machine) the reading is older than two intervals.
        shown_at_start = window.alert_text.text() if window.alert_banner.isVisible() else ""
        print(f"banner at start: {shown_at_start!r}")
        ui.run_until(lambda: not window.alert_banner.isVisible(), timeout=10)
        assert "EQUIPMENT FAILURE" not in shown_at_start, shown_at_start

        _raise_and_wait(ui, "MIXER01", "MOTOR OVERLOAD", 1)
        _raise_and_wait(ui, "DRYER2", "HIGH TEMP", 2)
        banner = window.alert_text.text()
        assert window.alert_banner.isVisible()
        assert "EQUIPMENT FAILURE: DRYER2 - HIGH TEMP (PLC time 2026-11-30 01:02:00); 2 unacknowledged" in banner

        tab = window.failures_tab
        window.tabs.setCurrentWidget(tab)
        ui.run_until(lambda: tab.model.rowCount() == 2)
        assert [(r.equipment_code, r.info) for r in tab.model.rows] == [("DRYER2", "HIGH TEMP"),
                                                                        ("MIXER01", "MOTOR OVERLOAD")]
        ui.run_until(lambda: tab.model.index(0, 5).data() == "REPORTED", timeout=10)  # the completion tick's
        assert tab.model.index(0, 3).data() == "1"
        assert not tab.acknowledge_button.isEnabled()

        tab.equipment_filter.setText("MIXER01")
        tab.reload()
        ui.run_until(lambda: tab.model.rowCount() == 1)
        tab.equipment_filter.setText("")

        for row in range(2):
            tab.reload()
            ui.run_until(lambda: tab.model.rowCount() == 2)
            tab.view.selectRow(0 if row == 0 else 1)
            assert tab.acknowledge_button.isEnabled()
            tab.acknowledge_selected()
            ui.run_until(lambda: tab.model.rows and any(r.acknowledged_by == TEST_ACTOR for r in tab.model.rows))
        ui.run_until(lambda: all(r.acknowledged_by == TEST_ACTOR for r in tab.model.rows), timeout=10)
        ui.refresh()
        assert "EQUIPMENT FAILURE" not in window.alert_text.text()
        assert tab.model.index(0, 6).data() == f"by {TEST_ACTOR}"

        _raise_and_wait(ui, "MIXER01", "MOTOR OVERLOAD", 1)  # the PLC raises the same record again
        assert "EQUIPMENT FAILURE: MIXER01 - MOTOR OVERLOAD" in window.alert_text.text()  # to be seen again
        tab.reload()
        ui.run_until(lambda: tab.model.rowCount() == 2 and tab.model.index(0, 3).data() == "2")
        assert tab.model.rows[0].equipment_code == "MIXER01" and tab.model.rows[0].acknowledged_at is None
        ui.run_until(lambda: tab.model.index(0, 5).data() == "REPORTED", timeout=10)
