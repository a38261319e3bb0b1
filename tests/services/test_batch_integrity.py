"""Batch integrity: no MO is dosed twice, nothing stalls the line.

Each test reproduces one everyday path on the real stack (PLC simulator, fake Odoo, SQLite and
PostgreSQL) and counts, at the simulator, how many times the PLC took each MO's recipe.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from hmi.domain import BatchState, DownloadState
from hmi.plc.codec import decode_text
from hmi.services.admin import ActionRefused
from hmi.services.completion import retry_delay
from hmi.sim.odoo import FakeOdoo
from tests.support.runtime_fixtures import wait_for


async def _run_until_empty(runtime, timeout: float = 30.0) -> None:
    async def empty() -> bool:
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.count_batches) == 0

    assert await wait_for(empty, timeout=timeout, interval=0.1), "batches did not complete"


def _refuse_once(store, method: str) -> list[str]:
    """Make one store call fail as a lost database connection does (the commit is refused)."""
    original = getattr(store, method)
    calls: list[str] = []

    def failing(*args, **kwargs):
        if not calls:
            calls.append(method)
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        return original(*args, **kwargs)

    setattr(store, method, failing)
    return calls


# ---------------------------------------------------------------------- 1. commit fails after a good download


async def test_commit_failing_after_download_is_settled_not_downloaded_again(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    refused = _refuse_once(runtime.store, "mark_downloaded")

    outcome = await runtime.sync.sync("timer")
    assert refused and outcome.outcome == "failed"
    assert "next sync asks the PLC" in outcome.message
    rows = await runtime.db(runtime.store.list_batches)
    assert len(rows) == 10 and {b.download_state for b in rows} == {DownloadState.WRITING}
    assert {b.state for b in rows} == {BatchState.DOWNLOADING}
    assert await wait_for(lambda: plc_sim.downloads_taken == 1, timeout=5)

    # The next sync asks the PLC first: it has them, so they are downloaded, and the table is full.
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "skipped"
    assert {b.download_state for b in await runtime.db(runtime.store.list_batches)} == {DownloadState.DOWNLOADED}
    await _run_until_empty(runtime)
    assert plc_sim.downloads_taken == 1
    assert set(plc_sim.takes_by_mo.values()) == {1} and len(plc_sim.takes_by_mo) == 10
    assert (await runtime.admin.history(status="completed", limit=100)).total == 10


async def test_restart_with_unconfirmed_rows_asks_the_plc(make_runtime, fake_odoo, plc_sim, caplog):
    """The process stops between the download and recording it; the next start settles the rows."""
    caplog.set_level(logging.INFO)
    first = await make_runtime(fake_odoo, plc_sim)
    _refuse_once(first.store, "mark_downloaded")
    await first.sync.sync("timer")
    await first.stop()

    second = await make_runtime(fake_odoo, plc_sim)
    outcome = await second.sync.sync("timer")
    assert outcome.outcome == "skipped"
    assert any("asking the PLC what it holds" in m for m in caplog.messages)
    assert any("recorded as downloaded, not downloaded again" in m for m in caplog.messages)
    await _run_until_empty(second)
    assert plc_sim.downloads_taken == 1 and set(plc_sim.takes_by_mo.values()) == {1}


async def test_unconfirmed_rows_the_plc_does_not_hold_are_removed(make_runtime, fake_odoo, plc_sim):
    """Stored as pending, then stopped before anything reached the PLC: the MOs are fetched again."""
    runtime = await make_runtime(fake_odoo, plc_sim)
    orders = (await runtime.odoo.fetch_mos(3)).mos
    await runtime.db(runtime.store.insert_batches, list(orders), download_state=DownloadState.PENDING)

    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10
    stored = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert set(mo.mo_id for mo in orders) <= set(stored)
    assert await wait_for(lambda: plc_sim.downloads_taken == 1, timeout=5)
    assert set(plc_sim.takes_by_mo.values()) == {1}


async def test_unconfirmed_rows_are_held_while_the_plc_cannot_be_asked(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim)
    _refuse_once(runtime.store, "mark_downloaded")
    await runtime.sync.sync("timer")
    await plc_sim.stop()  # the PLC goes away before the next sync can ask it

    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "skipped"  # held rows keep the table full: nothing new is downloaded
    rows = await runtime.db(runtime.store.list_batches)
    assert {b.state for b in rows} == {BatchState.HELD}
    assert "could not be asked" in rows[0].hold_reason
    held_lines = [r for r in caplog.records if r.levelno == logging.ERROR and r.getMessage().startswith("HELD")]
    assert len(held_lines) == 1
    await runtime.sync.sync("timer")
    assert len([r for r in caplog.records if r.getMessage().startswith("HELD")]) == 1  # said once

    await plc_sim.start()  # same port: the PLC answers again and still holds the recipes
    assert await runtime.plc.connection.wait_connected(timeout=10)
    await runtime.sync.sync("timer")
    assert {b.download_state for b in await runtime.db(runtime.store.list_batches)} == {DownloadState.DOWNLOADED}


# ---------------------------------------------------------------------- 2. Clear holds what reached the PLC


async def test_clear_then_sync_never_downloads_the_cleared_mos_again(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=4)
    await runtime.sync.sync("timer")
    first = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert await wait_for(lambda: plc_sim.downloads_taken == 1, timeout=5)

    result = await runtime.admin.clear("operator7")
    assert result.count == 4 and sorted(result.held) == sorted(first)
    assert {h.mo_id for h in await runtime.admin.held()} == set(first)
    # The PLC's WRITE slots are blank: it cannot take a recipe it has not started.
    register_map = runtime.plc.register_map
    for slot in register_map.slots:
        start = register_map.write_field_address(slot, "mo_id")
        assert decode_text(plc_sim.read_registers(start, register_map.text_words)) == ""

    await wait_for(lambda: not plc_sim.busy, timeout=15)
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced" and outcome.count == 4
    second = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert set(second).isdisjoint(first)
    await _run_until_empty(runtime)
    assert set(plc_sim.takes_by_mo.values()) == {1}

    # A supervisor checked the PLC: two MOs are released with a reason and may be fetched again.
    with pytest.raises(ActionRefused, match="reason"):
        await runtime.admin.release(first[:2], "  ", "supervisor")
    assert await runtime.admin.release(first[:2], "PLC checked: not dosed", "supervisor") == sorted(first[:2])
    assert {h.mo_id for h in await runtime.admin.held()} == set(first[2:])
    held_now = {h.mo_id for h in await runtime.admin.held()}
    assert held_now == set(first[2:])


async def test_clear_after_plc_reset_holds_nothing(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    await runtime.sync.sync("timer")
    first = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    result = await runtime.admin.clear("operator7", plc_was_reset=True)
    assert result.count == 3 and result.held == ()
    assert await runtime.admin.held() == []
    page = await runtime.admin.history(status="cleared")
    assert {e.mo_id for e in page.entries} == set(first)


# ---------------------------------------------------------------------- 3. MO names longer than the PLC field


async def test_cycle_with_20_character_mo_names(make_runtime, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    odoo = FakeOdoo(host="127.0.0.1", port=0, mo_count=24, mo_name_format="FEEDMILL/L1/MO/{number:05d}")
    odoo.start()
    try:
        runtime = await make_runtime(odoo, plc_sim)
        outcome = await runtime.sync.sync("timer")
        assert outcome.outcome == "synced" and outcome.count == 10
        batches = await runtime.db(runtime.store.list_batches)
        assert all(len(b.mo_id) == 20 for b in batches)
        keys = [b.plc_key for b in batches]
        assert len(set(keys)) == 10 and all(len(k) <= 16 for k in keys)
        assert any("the PLC sees it as" in m for m in caplog.messages)
        for batch in batches:  # what the PLC holds identifies the batch
            assert plc_sim.read_slot(batch.batch_no, area="write").mo_id == batch.plc_key

        await _run_until_empty(runtime)
        pushed = sorted(p["mo_id"] for p in odoo.pushes)
        assert pushed == sorted(b.mo_id for b in batches)  # Odoo hears the full names
        assert (await runtime.admin.history(status="completed", limit=100)).total == 10
        assert set(plc_sim.takes_by_mo.values()) == {1}
        assert not [r for r in caplog.records if r.getMessage().startswith("PLC field mo_id")]  # never cut
    finally:
        odoo.stop()


# ---------------------------------------------------------------------- 4. a failed batch reaches one end


async def test_failed_batch_reaches_one_end_whatever_the_plc_does_next(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    runtime.completion.backoff_initial = timedelta(0)
    await runtime.sync.sync("manual")
    first = (await runtime.db(runtime.store.list_batches))[0]
    plc_sim.fail_mo.add(first.plc_key)
    fake_odoo.set_faults(http_500=True, route="/api/scada/mo/cancel")

    async def failed():
        await runtime.poll_and_complete()
        batch = await runtime.db(runtime.store.get_batch, first.mo_id)
        return batch is not None and batch.status_operation

    assert await wait_for(failed, timeout=15)
    # The PLC then marks it finished as well, and finally blanks the slot.
    plc_sim.pause()
    plc_sim.set_field("read", first.batch_no, "status_manufacturing", True)
    await runtime.poll.poll()
    plc_sim.set_field("read", first.batch_no, "mo_id", "")
    plc_sim.set_field("read", first.batch_no, "batch_no", 0)
    await runtime.poll.poll()
    assert await runtime.db(runtime.store.get_batch, first.mo_id) is not None  # not lost, not archived

    fake_odoo.clear_faults()
    await runtime.completion.complete()
    assert await runtime.db(runtime.store.get_batch, first.mo_id) is None
    assert [c["mo_id"] for c in fake_odoo.cancels if c["result"].get("status") == "success"] == [first.mo_id]
    page = await runtime.admin.history(status="cancelled")
    assert [e.mo_id for e in page.entries] == [first.mo_id]
    for _ in range(3):
        await runtime.completion.complete()
    assert len([c for c in fake_odoo.cancels if c["result"].get("status") == "success"]) == 1


async def test_failed_batch_whose_cancel_keeps_failing_needs_attention_then_operator_acts(
        make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2, MAX_PUSH_ATTEMPTS=2)
    runtime.completion.backoff_initial = timedelta(0)
    await runtime.sync.sync("manual")
    first, second = await runtime.db(runtime.store.list_batches)
    plc_sim.fail_mo.update({first.plc_key, second.plc_key})
    fake_odoo.set_faults(application_error="MO is locked by another user", route="/api/scada/mo/cancel")

    async def attention():
        await runtime.poll_and_complete()
        rows = await runtime.db(runtime.store.list_batches)
        return len(rows) == 2 and all(b.state is BatchState.ATTENTION for b in rows)

    assert await wait_for(attention, timeout=20)
    batch = await runtime.db(runtime.store.get_batch, first.mo_id)
    assert "MO is locked by another user" in batch.last_push_error
    assert any("needs ATTENTION" in m and "Cancel in Odoo" in m for m in caplog.messages)
    with pytest.raises(ActionRefused, match="not in the batch table"):
        await runtime.admin.retry_push("WH/MO/NOPE", "op")

    fake_odoo.clear_faults()
    await runtime.admin.cancel_in_odoo(first.mo_id, "supervisor1")
    await runtime.admin.archive_failed(second.mo_id, "supervisor1")
    assert await runtime.db(runtime.store.count_batches) == 0
    cancelled = (await runtime.admin.history(status="cancelled")).entries
    failed = (await runtime.admin.history(status="failed")).entries
    assert [(e.mo_id, e.actor) for e in cancelled] == [(first.mo_id, "supervisor1")]
    assert [(e.mo_id, e.actor) for e in failed] == [(second.mo_id, "supervisor1")]
    assert [h.mo_id for h in await runtime.admin.held()] == [second.mo_id]  # failed, still open in Odoo


async def test_batch_actions_refuse_states_they_do_not_apply_to(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1)
    await runtime.sync.sync("manual")
    batch = (await runtime.db(runtime.store.list_batches))[0]
    for action in (runtime.admin.retry_push, runtime.admin.cancel_in_odoo, runtime.admin.archive_failed):
        with pytest.raises(ActionRefused, match=batch.state.value):
            await action(batch.mo_id, "op")
    assert await runtime.db(runtime.store.count_batches) == 1
    assert fake_odoo.cancels == []


# ---------------------------------------------------------------------- 6. backoff


def test_backoff_is_capped_with_jitter_and_never_overflows():
    initial, cap = timedelta(seconds=10), timedelta(minutes=10)
    rng = random.Random(4)
    assert retry_delay(1, initial, cap, jitter=0) == initial
    assert retry_delay(3, initial, cap, jitter=0) == timedelta(seconds=40)
    for attempts in (43, 1000, 10**9):
        delay = retry_delay(attempts, initial, cap, rng=rng)
        assert cap * 0.8 <= delay <= cap * 1.2
    spread = {retry_delay(2, initial, cap, rng=rng) for _ in range(20)}
    assert len(spread) > 1  # two batches failing together do not retry in lockstep


async def test_push_failing_for_the_43rd_time_is_named_as_an_odoo_failure(make_runtime, fake_odoo, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, None, SYNC_BATCH_LIMIT=1, MAX_PUSH_ATTEMPTS=100)
    await runtime.sync.sync("manual")
    batch = (await runtime.db(runtime.store.list_batches))[0]
    with runtime.engine.begin() as conn:
        from sqlalchemy import update

        from hmi.store.models import mo_batch
        conn.execute(update(mo_batch).values(push_attempts=42, status_manufacturing=True, actual_weight_quantity_finished_goods=900))
    fake_odoo.set_faults(http_500=True)
    report = await runtime.completion.complete()
    assert report.failed == [batch.mo_id]
    after = await runtime.db(runtime.store.get_batch, batch.mo_id)
    assert after.push_attempts == 43
    assert after.next_push_at - after.created_at < timedelta(minutes=10) * 1.2 + timedelta(minutes=1)
    assert any("Reporting to Odoo failed for MO" in m and "attempt 43 of 100" in m for m in caplog.messages)
    assert not any("database" in m for m in caplog.messages if "Completion" in m)


async def test_unexpected_error_is_named_not_called_a_database_outage(make_runtime, fake_odoo, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, None, SYNC_BATCH_LIMIT=1)
    await runtime.sync.sync("manual")
    with runtime.engine.begin() as conn:
        from sqlalchemy import update

        from hmi.store.models import mo_batch
        conn.execute(update(mo_batch).values(status_manufacturing=True, actual_weight_quantity_finished_goods=900))

    async def broken(*_args, **_kwargs):
        raise KeyError("quantity")

    runtime.completion.odoo.push_consumption = broken
    for _ in range(3):
        await runtime.completion.complete()
    lines = [r for r in caplog.records if "Completion" in r.getMessage()]
    assert len(lines) == 1  # said once while it lasts
    assert "failed unexpectedly (KeyError: 'quantity')" in lines[0].getMessage()
    assert "database" not in lines[0].getMessage()


# ---------------------------------------------------------------------- 7. a line is never starved


async def test_line_whose_mos_are_behind_other_lines_still_gets_them(make_runtime, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    odoo = FakeOdoo(host="127.0.0.1", port=0, mo_count=60)
    odoo.start()
    try:
        names = [f"WH/MO/{n:05d}" for n in range(1, 61)]
        odoo.set_mo_line(names[:45], "PLC02")  # the oldest 45 MOs belong to another line
        runtime = await make_runtime(odoo, plc_sim, LINE_EQUIPMENT_CODE="PLC01")
        outcome = await runtime.sync.sync("timer")
        assert outcome.outcome == "synced" and outcome.count == 10
        stored = {b.mo_id for b in await runtime.db(runtime.store.list_batches)}
        assert stored <= set(names[45:])
        assert any("MO(s) for other lines left in Odoo" in m for m in caplog.messages)
    finally:
        odoo.stop()
