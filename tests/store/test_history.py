"""History at scale: keyset pages, totals from the per-day counts, the MO search, estimates."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, insert, select

from hmi.domain import HistoryStatus, InvalidCursor
from hmi.store import history as history_module
from hmi.store.history import SearchMode
from hmi.store.models import mo_histories, mo_history_counts
from tools.support.factories import make_mo

START = datetime(2026, 3, 1, 22, 0, tzinfo=timezone.utc)
STATUSES = ("completed", "completed", "completed", "cancelled", "cleared")


def _rows(count: int, step: timedelta = timedelta(hours=2)) -> list[dict]:
    """count rows, 2 h apart from START (so they span days); every 7th shares its time with the one before."""
    rows = []
    at = START
    for number in range(count):
        if number % 7:
            at = at + step
        rows.append({"id": uuid.uuid4(), "mo_id": f"WH/MO/{number:05d}", "batch_no": number % 10 + 1,
                     "consumption": 1000.0, "equipment_id_batch": "PLC01", "status": STATUSES[number % 5],
                     "archived_at": at})
    return rows


@pytest.fixture
def loaded(store):
    rows = _rows(120)
    with store.engine.begin() as conn:
        conn.execute(insert(mo_histories), rows)
    return store, rows


def _newest_first(rows):
    return sorted(rows, key=lambda r: (r["archived_at"], r["id"].hex), reverse=True)


def _walk(store, **filters) -> list[str]:
    seen, cursor = [], None
    while True:
        page = store.history.page(limit=9, cursor=cursor, **filters)
        seen += [e.mo_id for e in page.entries]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_keyset_pages_visit_every_row_once_in_order(loaded):
    store, rows = loaded
    assert _walk(store) == [r["mo_id"] for r in _newest_first(rows)]
    cancelled = [r["mo_id"] for r in _newest_first(rows) if r["status"] == "cancelled"]
    assert _walk(store, status="cancelled") == cancelled


def test_offset_still_pages_for_old_callers(loaded):
    store, rows = loaded
    expected = [r["mo_id"] for r in _newest_first(rows)]
    page = store.history.page(limit=10, offset=20)
    assert [e.mo_id for e in page.entries] == expected[20:30]
    assert page.offset == 20 and page.total == 120 and page.total_is_estimate is False


def test_totals_are_exact_for_status_and_date_ranges(loaded):
    store, rows = loaded
    assert store.history.page().total == 120
    assert store.history.page(status="completed").total == sum(r["status"] == "completed" for r in rows)
    # ranges with partial days at both ends, whole days only, and within one day
    for since, until in ((START + timedelta(hours=5), START + timedelta(days=4, hours=3)),
                         (datetime(2026, 3, 3, tzinfo=timezone.utc), datetime(2026, 3, 6, tzinfo=timezone.utc)),
                         (START + timedelta(days=2, hours=1), START + timedelta(days=2, hours=9)),
                         (None, START + timedelta(days=3, hours=1)),
                         (START + timedelta(days=3, hours=1), None)):
        for status in (None, "completed", "cleared"):
            expected = [r["mo_id"] for r in _newest_first(rows)
                        if (since is None or r["archived_at"] >= since) and (until is None or r["archived_at"] < until)
                        and (status is None or r["status"] == status)]
            page = store.history.page(status=status, since=since, until=until, limit=500)
            assert [e.mo_id for e in page.entries] == expected, (since, until, status)
            assert page.total == len(expected), (since, until, status)


def test_counts_follow_archive_and_delete(store):
    store.insert_batches([make_mo(i) for i in range(1, 4)])
    store.archive(make_mo(1).mo_id, HistoryStatus.COMPLETED)
    store.clear("op")
    with store.engine.connect() as conn:
        counts = {row.status: row.entries for row in conn.execute(select(mo_history_counts))}
    assert counts == {"completed": 1, "cleared": 2}
    with store.engine.begin() as conn:
        conn.execute(delete(mo_histories).where(mo_histories.c.status == "cleared"))
    assert store.history.page().total == 1
    assert store.history.page(status="cleared").total == 0


def test_mo_search_and_its_mode(loaded):
    store, rows = loaded
    mode, index = store.history.search_mode()
    assert mode == SearchMode.CONTAINS  # pg_trgm and FTS5 trigram are available on CI
    assert "trigram" in index
    page = store.history.page(mo_text="/0001", limit=5)
    expected = [r["mo_id"] for r in _newest_first(rows) if "/0001" in r["mo_id"]]
    assert page.total == len(expected) == 10 and page.search_mode == SearchMode.CONTAINS
    assert [e.mo_id for e in page.entries] == expected[:5]
    assert _walk(store, mo_text="0001") == [r["mo_id"] for r in _newest_first(rows) if "0001" in r["mo_id"]]
    assert store.history.page(mo_text="mo/0010").total == 10  # case does not matter: 00100..00109
    assert store.history.page(mo_text="%").total == 0  # wildcards are taken literally
    # the index is asked for the digits; the whole text still has to match
    assert store.history.page(mo_text="wh/mo/0001").total == 10
    assert store.history.page(mo_text="XX/MO/0001").total == 0
    assert store.history.page(mo_text="0001", status="cancelled").total == sum(
        "0001" in r["mo_id"] and r["status"] == "cancelled" for r in rows)


def test_a_broad_search_gives_an_estimate_not_a_full_count(loaded, monkeypatch):
    store, rows = loaded
    monkeypatch.setattr(history_module, "COUNT_CAP", 30)
    page = store.history.page(mo_text="WH/MO", limit=10)
    assert page.total_is_estimate is True
    assert page.total == 120  # every sampled row matches: share 1.0 of 120
    assert [e.mo_id for e in page.entries] == [r["mo_id"] for r in _newest_first(rows)][:10]
    assert store.history.page(mo_text="0001").total_is_estimate is False


def test_index_needle_is_the_part_that_tells_mos_apart():
    assert history_module.index_needle("WH/MO/00123") == "00123"
    assert history_module.index_needle("12345") == "12345"
    assert history_module.index_needle("MO/0") == "MO/0"
    assert history_module.index_needle("FEEDMILL/LINE") == "L/LINE"


def test_a_foreign_cursor_is_refused(store):
    with pytest.raises(InvalidCursor):
        store.history.page(cursor="not-a-cursor")


def test_upgrade_counts_and_indexes_the_history_already_there(database_url):
    from hmi.store import BatchStore, create_database_engine, migrate

    engine = create_database_engine(database_url)
    try:
        migrate(engine, "0006")
        rows = _rows(30)
        from sqlalchemy import column, table

        # The columns of 0006 only: the model's dosed_at (0016) does not exist yet.
        as_of_0006 = table("mo_histories", *(column(c.name, c.type) for c in mo_histories.columns if c.name in rows[0]))
        with engine.begin() as conn:
            conn.execute(insert(as_of_0006), rows)
        migrate(engine)
        store = BatchStore(engine)
        assert store.history.page().total == 30
        assert store.history.page(status="cleared").total == sum(r["status"] == "cleared" for r in rows)
        assert store.history.page(mo_text="00017").total == 1
    finally:
        engine.dispose()
