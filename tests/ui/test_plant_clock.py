"""One clock in the window: with the PC in one zone and PLANT_TIMEZONE another, every time the operator
reads (History, its date filter, the batch details, the ticket) is plant time."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate

from hmi.clock import utc_now
from hmi.domain import Silo
from tools.support.history_rows import history_row, write_history

UTC = timezone.utc


@pytest.fixture
def pc_zone(monkeypatch):
    """The process's own zone (what datetime.astimezone() and QDate.currentDate() read)."""
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


# (PC's zone, plant zone). The second pair is 25 h apart: the PC's date is never the plant's.
@pytest.mark.parametrize("pc, plant", [("America/New_York", "Asia/Jakarta"),
                                       ("Pacific/Pago_Pago", "Pacific/Kiritimati")])
def test_history_its_date_filter_and_the_details_read_plant_time(live_ui, pc_zone, pc, plant):
    pc_zone(pc)
    zone = ZoneInfo(plant)
    # 23:59 and 00:30 the next day on the plant's clock, the same afternoon on the PC's.
    late = datetime(2026, 11, 29, 23, 59, tzinfo=zone).astimezone(UTC)
    early = datetime(2026, 11, 30, 0, 30, tzinfo=zone).astimezone(UTC)
    assert late.astimezone(ZoneInfo(pc)).date() == early.astimezone(ZoneInfo(pc)).date()
    with live_ui(start_scheduler=False, PLANT_TIMEZONE=plant) as ui:
        write_history(ui.runtime.engine, [
            history_row("WH/MO/LATE", "GROWER", "completed", late, {Silo.A: (400, 400)}, 400.0),
            history_row("WH/MO/EARLY", "GROWER", "completed", early, {Silo.A: (400, 401)}, 401.0, batch_no=2)])
        tabs = ui.window.tabs
        history = tabs.history_tab
        tabs.setCurrentWidget(history)
        ui.run_until(lambda: history.model.rowCount() == 2)
        shown = {history.model.entries[r].mo_id: history.model.index(r, 0).data() for r in range(2)}
        assert shown == {"WH/MO/LATE": "2026-11-29 23:59:00", "WH/MO/EARLY": "2026-11-30 00:30:00"}

        # The date pickers start at the plant's today; a day is the plant's day.
        plant_today = utc_now().astimezone(zone).date()
        assert history.to_date.date().toPython() == plant_today
        assert history.from_date.date().toPython() == QDate(plant_today).addDays(-30).toPython()
        history.from_date.setDate(QDate(2026, 11, 30))
        history.to_date.setDate(QDate(2026, 11, 30))
        history.from_check.setChecked(True)
        history.to_check.setChecked(True)
        ui.run_until(lambda: [e.mo_id for e in history.model.entries] == ["WH/MO/EARLY"])

        # The details of a batch in the table: its last PLC reading in plant time.
        ui.window.sync.trigger_sync()
        ui.run_until(lambda: not ui.window.sync.sync_running, timeout=15)
        ui.refresh()
        from hmi.ui.dialogs import BatchDetailDialog

        batch = dataclasses.replace(ui.window.batch_model.batches[0], last_read_from_plc=early)
        dialog = BatchDetailDialog(batch, ui.window)
        assert "Last PLC reading: 2026-11-30 00:30:00" in dialog.header.text()
        dialog.close()

        # The ticket of the archived batch (double-click in History).
        tabs._open_history_ticket(history.model.index(0, 0))
        ui.run_until(lambda: tabs.ticket_dialog is not None and "2026-11-30 00:30:00" in _ticket_text(tabs))
        tabs.ticket_dialog.close()


def _ticket_text(tabs) -> str:
    dialog = tabs.ticket_dialog
    browser = getattr(dialog, "browser", None) or getattr(dialog, "view", None)
    return browser.toPlainText() if browser is not None and hasattr(browser, "toPlainText") else ""


def test_history_in_indonesian_writes_numbers_the_indonesian_way(live_ui, pc_zone, tmp_path):
    pc_zone("America/New_York")
    zone = ZoneInfo("Asia/Jakarta")
    with live_ui(start_scheduler=False, PLANT_TIMEZONE="Asia/Jakarta") as ui:
        write_history(ui.runtime.engine, [
            history_row(f"WH/MO/{n:05d}", "GROWER", "completed",
                        datetime(2026, 11, 30, 5 + n, 15, tzinfo=zone).astimezone(UTC),
                        {Silo.A: (1000.0 + n, 1000.5 + n), Silo.LQ114: (0.025, 0.024)}, 1234.5 + n, batch_no=n)
            for n in range(1, 6)])
        tabs = ui.window.tabs
        history = tabs.history_tab
        try:
            ui.window.set_language("id")
            tabs.setCurrentWidget(history)
            ui.run_until(lambda: history.model.rowCount() == 5)
            first = [history.model.index(0, c).data() for c in range(6)]
            assert first[0] == "2026-11-30 10:15:00" and first[1] == "WH/MO/00005"
            assert first[5] == "1.239,5"  # finished kg: thousands point, decimal comma
            history.grab().save(str(tmp_path / "history-id.png"))
        finally:
            ui.window.set_language("en")
        assert history.model.index(0, 5).data() == "1,239.5"
