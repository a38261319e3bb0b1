"""History tab over a real store: cursor pages, date range, estimated totals, the search mode label."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
from hmi.store import history as history_module
from hmi.clock import utc_now
from hmi.store.models import mo_histories
from hmi.ui.history_tab import PAGE_SIZE, HistoryTab, about
from tests.support.qt_loop import run, run_until

pytestmark = pytest.mark.ui

ROWS = 130


@pytest.fixture
def store(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'history.db'}")
    migrate(engine)
    now = utc_now()
    with engine.begin() as conn:
        conn.execute(insert(mo_histories), [
            {"id": uuid.uuid4(), "mo_id": f"WH/MO/{n:05d}", "batch_no": 1, "consumption": 1000.0,
             "equipment_id_batch": "PLC01", "status": "cancelled" if n % 10 == 0 else "completed",
             "archived_at": now - timedelta(hours=n)}  # WH/MO/00000 is the newest, one row an hour
            for n in range(ROWS)
        ])
    yield BatchStore(engine)
    engine.dispose()


@pytest.fixture
def tab(qtbot, qloop, store):
    runner = DbRunner(max_workers=1)

    async def fetch(*args):
        return await runner(store.history.page, *args)

    widget = HistoryTab(fetch, lambda coroutine: asyncio.ensure_future(coroutine, loop=qloop))
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    widget.show()
    yield widget
    run(qloop, runner.stop())


def _load(qloop, tab) -> None:
    run(qloop, tab.load_page())


def test_pages_forward_and_back_by_cursor(qloop, tab):
    _load(qloop, tab)
    assert tab.page_label.text() == f"Page 1 of 3 · {ROWS} entries"
    assert tab.model.entries[0].mo_id == "WH/MO/00000"
    assert not tab.prev_button.isEnabled() and tab.next_button.isEnabled()
    tab.next_page()
    run_until(qloop, lambda: tab.page_number == 2 and tab.model.entries[0].mo_id == f"WH/MO/{PAGE_SIZE:05d}")
    tab.next_page()
    run_until(qloop, lambda: tab.model.rowCount() == ROWS - 2 * PAGE_SIZE)
    assert tab.page_label.text() == f"Page 3 of 3 · {ROWS} entries"
    assert not tab.next_button.isEnabled()
    tab.previous_page()
    run_until(qloop, lambda: tab.page_number == 2 and tab.model.entries[0].mo_id == f"WH/MO/{PAGE_SIZE:05d}")
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("cancelled"))
    run_until(qloop, lambda: tab.total == 13 and tab.page_number == 1)


def test_date_range_is_whole_local_days(qloop, tab):
    today = datetime.now().astimezone()
    tab.to_date.setDate(tab.to_date.date().addDays(-1))
    tab.to_check.setChecked(True)
    run_until(qloop, lambda: tab.loaded_once and tab.to_check.isChecked() and tab.page_number == 1
              and all(e.archived_at < today.replace(hour=0, minute=0, second=0, microsecond=0)
                      for e in tab.model.entries) and tab.model.rowCount() > 0)
    since, until = tab.date_range()
    assert since is None and until == today.replace(hour=0, minute=0, second=0, microsecond=0)
    expected = sum(1 for n in range(ROWS) if utc_now() - timedelta(hours=n) < until)
    assert abs(tab.total - expected) <= 1  # an hour boundary may pass while the test runs


def test_an_estimated_total_says_about(qloop, tab, monkeypatch):
    monkeypatch.setattr(history_module, "COUNT_CAP", 20)
    tab.mo_filter.setText("WH/MO")
    _load(qloop, tab)
    assert tab.total_is_estimate
    assert tab.page_label.text() == f"Page 1 · about {ROWS} entries"
    assert tab.search_mode_label.text() == "contains"
    assert "trigram" in tab.search_mode_label.toolTip()


def test_about_rounds_to_two_digits():
    assert about(899_820) == "900,000"
    assert about(1_234) == "1,200"
    assert about(57) == "57"


def test_screenshot(qloop, tab, tmp_path):
    tab.mo_filter.setText("MO/000")
    _load(qloop, tab)
    path = tmp_path / "history.png"
    tab.grab().save(str(path))
    assert path.stat().st_size > 0
