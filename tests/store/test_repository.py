"""BatchStore against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hmi.domain import BatchState, HistoryStatus, Silo
from hmi.store.models import mo_batch, mo_histories
from hmi.store.repository import DuplicateMo, ReadingResult, TableNotEmpty
from tools.support.factories import make_mo, make_reading


def _raw_row(store, mo_id: str) -> tuple:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(mo_batch).where(mo_batch.c.mo_id == mo_id)).one())


def test_insert_and_count_per_line(store):
    store.insert_batches([make_mo(i) for i in range(1, 4)], line="PLC01")
    store.insert_batches([make_mo(10, line="PLC02")], line="PLC02")
    assert store.count_batches() == 4
    assert store.count_batches("PLC01") == 3
    assert store.count_batches("PLC02") == 1
    batches = store.list_batches("PLC01")
    assert [b.batch_no for b in batches] == [1, 2, 3]
    first = batches[0]
    assert first.mo_id == "WH/MO/00001"
    assert first.state is BatchState.QUEUED
    assert [line.silo for line in first.dosing_lines] == [Silo.A, Silo.B, Silo.C, Silo.D]
    assert first.silos[0].component_name == "PKE PELLET"
    assert first.silos[0].target_kg == pytest.approx(100.0)


def test_silo_id_columns_hold_equipment_ids(store):
    store.insert_batches([make_mo(1)])
    with store.engine.connect() as conn:
        row = conn.execute(select(mo_batch)).mappings().one()
    assert [row[s.id_column] for s in Silo] == list(range(101, 116))


def test_insert_refuses_non_empty_table(store):
    store.insert_batches([make_mo(1)])
    with pytest.raises(TableNotEmpty) as info:
        store.insert_batches([make_mo(2)])
    assert info.value.count == 1
    assert store.count_batches() == 1


def test_insert_failing_on_row_7_of_10_leaves_no_rows(store):
    orders = [make_mo(i) for i in range(1, 11)]
    # Row 7 carries a NULL in a NOT NULL column: the database itself rejects it, after rows 1..6.
    orders[6] = dataclasses.replace(orders[6], equipment_code=None)
    with pytest.raises(IntegrityError):
        store.insert_batches(orders)
    assert store.count_batches() == 0


def test_insert_rejects_duplicate_mo(store):
    with pytest.raises(DuplicateMo):
        store.insert_batches([make_mo(1), make_mo(1)])
    assert store.count_batches() == 0


def test_unique_mo_id_enforced_by_database(store):
    store.insert_batches([make_mo(1)])
    from hmi.store.batch_rows import order_to_row
    from sqlalchemy import insert

    with pytest.raises(IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(insert(mo_batch), [order_to_row(make_mo(1), 2)])
    assert store.count_batches() == 1


def test_reading_updates_running_batch(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    result = store.apply_plc_reading(make_reading(mo, 1, fraction=0.5), max_kg_per_silo=5000)
    assert result.outcome == ReadingResult.UPDATED
    batch = store.get_batch(mo.mo_id)
    assert batch.state is BatchState.RUNNING
    assert batch.silos[0].actual_kg == pytest.approx(50.0)
    assert batch.last_read_from_plc is not None


def test_reading_matches_batch_no_and_mo_id(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    wrong_slot = make_reading(mo, 2)
    assert store.apply_plc_reading(wrong_slot, 5000).outcome == ReadingResult.NO_MATCH
    other_mo = make_reading(make_mo(99), 1)
    assert store.apply_plc_reading(other_mo, 5000).outcome == ReadingResult.NO_MATCH
    assert store.get_batch(mo.mo_id).last_read_from_plc is None


def test_out_of_range_value_rejected_and_named(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    reading = make_reading(mo, 1, overrides={Silo.B: 7000.0, Silo.C: -274.11})
    result = store.apply_plc_reading(reading, max_kg_per_silo=5000)
    assert result.outcome == ReadingResult.UPDATED
    assert any("silo B" in r and "7000" in r for r in result.rejected)
    assert any("silo C" in r for r in result.rejected)
    batch = store.get_batch(mo.mo_id)
    assert batch.silos[1].actual_kg is None  # never stored
    assert batch.silos[2].actual_kg is None
    assert batch.silos[0].actual_kg == pytest.approx(50.0)


def test_done_row_is_byte_identical_after_100_readings(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    final = store.apply_plc_reading(make_reading(mo, 1, fraction=1.0, done=True), 5000)
    assert final.became_done
    before = _raw_row(store, mo.mo_id)
    for i in range(100):
        reading = make_reading(mo, 1, fraction=0.1 + i / 100, done=bool(i % 2), failed=bool(i % 3 == 0))
        result = store.apply_plc_reading(reading, 5000)
        assert result.outcome == ReadingResult.SKIPPED_DONE
        assert "already complete" in result.reason
    assert _raw_row(store, mo.mo_id) == before
    assert store.get_batch(mo.mo_id).state is BatchState.DONE


def test_archive_copies_and_deletes_in_one_step(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    store.apply_plc_reading(make_reading(mo, 1, fraction=1.0, done=True), 5000)
    assert store.archive(mo.mo_id, HistoryStatus.COMPLETED, notes="pushed")
    assert store.count_batches() == 0
    page = store.history.page()
    assert page.total == 1
    entry = page.entries[0]
    assert (entry.mo_id, entry.status, entry.notes) == (mo.mo_id, "completed", "pushed")
    assert entry.silos[0].actual_kg == pytest.approx(100.0)
    assert entry.silos[0].target_kg == pytest.approx(100.0)
    assert not store.archive("WH/MO/NOPE", HistoryStatus.COMPLETED)


def test_clear_moves_every_row_to_history_with_actor(store):
    orders = [make_mo(i) for i in range(1, 8)]
    store.insert_batches(orders)
    result = store.clear(actor="operator1")
    assert result.count == 7
    assert store.count_batches() == 0
    # Every cleared MO reached the PLC: all of them are held, with who cleared them.
    assert sorted(result.held) == sorted(mo.mo_id for mo in orders)
    assert {(h.mo_id, h.held_by) for h in store.ledger.list_held()} == {(mo.mo_id, "operator1") for mo in orders}
    assert set(store.ledger.dispatched_mo_ids([mo.mo_id for mo in orders]).values()) == {"held"}
    page = store.history.page(status="cleared", limit=100)
    assert page.total == 7
    assert {e.mo_id for e in page.entries} == {mo.mo_id for mo in orders}
    assert {e.actor for e in page.entries} == {"operator1"}


def test_clear_only_touches_own_line(store):
    store.insert_batches([make_mo(1)], line="PLC01")
    store.insert_batches([make_mo(2, line="PLC02")], line="PLC02")
    assert store.clear(actor="op", line="PLC01").count == 1
    assert store.count_batches("PLC02") == 1
    assert [h.mo_id for h in store.ledger.list_held("PLC01")] == [make_mo(1).mo_id]
    assert store.ledger.list_held("PLC02") == []


def test_clear_after_plc_reset_holds_nothing(store):
    store.insert_batches([make_mo(1), make_mo(2)])
    result = store.clear(actor="op", plc_was_reset=True)
    assert result.count == 2 and result.held == ()
    assert sorted(result.released) == [make_mo(1).mo_id, make_mo(2).mo_id]
    assert store.ledger.list_held() == []


def test_release_needs_an_open_hold_and_keeps_the_record(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    store.clear(actor="op")
    assert store.ledger.release([mo.mo_id, "WH/MO/NOPE"], "PLC checked: slot empty", "supervisor") == [mo.mo_id]
    assert store.ledger.dispatched_mo_ids([mo.mo_id]) == {}
    assert store.ledger.release([mo.mo_id], "again", "supervisor") == []
    # Fetched, downloaded and cleared again: a second hold opens.
    store.insert_batches([mo])
    assert store.clear(actor="op2").held == (mo.mo_id,)
    assert [h.held_by for h in store.ledger.list_held()] == ["op2"]


def test_history_filters_and_pages(store):
    for i in range(1, 26):
        store.insert_batches([make_mo(i)])
        store.archive(make_mo(i).mo_id, HistoryStatus.COMPLETED if i % 5 else HistoryStatus.CANCELLED)
    page = store.history.page(status="cancelled")
    assert page.total == 5
    page = store.history.page(mo_text="0001", limit=3)
    assert page.total == 11  # 00001 and 00010..00019
    assert len(page.entries) == 3
    second = store.history.page(mo_text="0001", limit=3, offset=3)
    assert {e.mo_id for e in page.entries}.isdisjoint({e.mo_id for e in second.entries})
    # LIKE wildcards typed by an operator are taken literally
    assert store.history.page(mo_text="%").total == 0


def test_push_failure_bookkeeping_and_attention(store):
    from datetime import datetime, timedelta, timezone

    mo = make_mo(1)
    store.insert_batches([mo])
    store.apply_plc_reading(make_reading(mo, 1, fraction=1.0, done=True), 5000)
    now = datetime.now(timezone.utc)
    assert [b.mo_id for b in store.outbox.done_batches_to_report(now)] == [mo.mo_id]
    attempts, attention = store.outbox.record_push_failure(mo.mo_id, "Odoo down", now + timedelta(seconds=30), 2)
    assert (attempts, attention) == (1, False)
    assert store.outbox.done_batches_to_report(now) == []  # backing off
    assert store.outbox.done_batches_to_report(now + timedelta(seconds=31))
    attempts, attention = store.outbox.record_push_failure(mo.mo_id, "Odoo down", now, 2)
    assert (attempts, attention) == (2, True)
    batch = store.get_batch(mo.mo_id)
    assert batch.state is BatchState.ATTENTION
    assert batch.last_push_error == "Odoo down"
    assert store.outbox.done_batches_to_report(now + timedelta(days=1)) == []
    assert store.outbox.retry_push(mo.mo_id)
    assert store.get_batch(mo.mo_id).state is BatchState.DONE


def test_an_mo_is_archived_as_completed_only_once(store):
    mo = make_mo(1)
    store.insert_batches([mo])
    assert store.archive(mo.mo_id, HistoryStatus.COMPLETED)
    # The ledger refuses to store a completed MO again, whatever Odoo offers.
    with pytest.raises(DuplicateMo, match=r"WH/MO/00001 \(closed\)"):
        store.insert_batches([mo])
    assert store.count_batches() == 0
    assert store.history.page(status="completed").total == 1
    # A cleared (not dosed) record does not count as completed: once released, the MO may come back.
    store.insert_batches([make_mo(2)])
    store.clear(actor="op")
    with pytest.raises(DuplicateMo, match="held"):
        store.insert_batches([make_mo(2)])
    assert store.ledger.release([make_mo(2).mo_id], "PLC slot checked: empty", "supervisor") == [make_mo(2).mo_id]
    store.insert_batches([make_mo(2)])
    assert store.archive(make_mo(2).mo_id, HistoryStatus.COMPLETED)
    assert store.history.page(mo_text="00002").total == 2
    assert [(r.state.value, r.dispatches) for r in store.ledger.dispatch_rows() if r.mo_id == make_mo(2).mo_id] == [
        ("closed", 2)]


def test_database_refuses_a_second_completed_record(store):
    from sqlalchemy import insert as sql_insert

    from hmi.store.batch_rows import order_to_row

    row = {**order_to_row(make_mo(1), 1), "status": "completed"}
    row.pop("created_at")
    import uuid

    with store.engine.begin() as conn:
        conn.execute(sql_insert(mo_histories), [{**row, "id": uuid.uuid4()}])
    with pytest.raises(IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(sql_insert(mo_histories), [{**row, "id": uuid.uuid4()}])
    assert store.history.page(status="completed").total == 1


def test_a_failed_batch_whose_last_reading_was_refused_books_with_a_note_of_both_figures(store):
    """The PLC fails a batch and its last reading is refused: the batch is cancelled and archived as always,
    and the manual-booking list says its figure is the last accepted one, beside the refused one."""
    from hmi.store.bookings import BookingStore

    mo = make_mo(1, silos=1, kg=6000.0)
    store.insert_batches([mo])
    store.apply_plc_reading(make_reading(mo, 1, overrides={Silo.A: 2000.0}), 6000)
    store.apply_plc_reading(make_reading(mo, 1, failed=True, overrides={Silo.A: 7000.0}), 6000)
    batch = store.get_batch(mo.mo_id)
    assert batch.state is BatchState.FAILED and batch.silos[0].actual_kg == 2000.0
    assert store.archive(mo.mo_id, HistoryStatus.FAILED)
    [booking] = BookingStore(store.engine).list()
    assert booking.kg == 2000.0
    assert "silo A read 7000 kg" in booking.note and "last accepted 2000 kg" in booking.note
    assert "last accepted ones" in booking.note


def test_a_refused_final_reading_holds_the_finished_batch_with_both_figures(store):
    from datetime import datetime, timedelta, timezone

    mo = make_mo(1, silos=1, kg=6000.0)
    store.insert_batches([mo])
    store.apply_plc_reading(make_reading(mo, 1, overrides={Silo.A: 4990.0}), 6000)
    result = store.apply_plc_reading(make_reading(mo, 1, done=True, overrides={Silo.A: 6003.5}), 6000)
    assert result.became_done and "6003.5" in result.reason and "4990" in result.reason
    batch = store.get_batch(mo.mo_id)
    assert batch.state is BatchState.ATTENTION
    assert batch.silos[0].actual_kg == 4990.0
    assert "silo A read 6003.5 kg" in batch.hold_reason and "last accepted 4990 kg" in batch.hold_reason
    later = datetime.now(timezone.utc) + timedelta(days=1)
    assert store.outbox.done_batches_to_report(later) == []  # never pushed with the earlier figure
    assert not store.outbox.retry_push(mo.mo_id)
    assert store.get_batch(mo.mo_id).state is BatchState.ATTENTION
    # A finished batch whose final reading was accepted is reported as always.
    other = make_mo(2, silos=1)
    store.insert_batches([other], require_empty=False, first_batch_no=2)
    assert not store.apply_plc_reading(make_reading(other, 2, fraction=1.0, done=True), 6000).reason
    assert [b.mo_id for b in store.outbox.done_batches_to_report(later)] == [other.mo_id]
