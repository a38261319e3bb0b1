"""The batch cycle with real parts: PLC simulator, fake Odoo, SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from hmi.domain import BatchState, Silo
from hmi.plc.register_map import consumption_field
from tests.support.runtime_fixtures import wait_for
from tools.support.factories import make_mo


async def _run_until_empty(runtime, timeout: float = 30.0) -> None:
    async def empty() -> bool:
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.count_batches) == 0

    assert await wait_for(empty, timeout=timeout, interval=0.1), "batches did not complete"


async def test_sync_skips_while_table_holds_batches(make_runtime, fake_odoo, plc_sim, caplog):
    runtime = await make_runtime(fake_odoo, plc_sim)
    await runtime.db(runtime.store.insert_batches, [make_mo(i) for i in range(1, 8)])
    caplog.set_level(logging.INFO)
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "skipped"
    assert outcome.message == "Table mo_batch has 7 records. Skipping sync - waiting for PLC..."
    assert "Table mo_batch has 7 records. Skipping sync - waiting for PLC..." in caplog.messages
    assert plc_sim.downloads_taken == 0
    assert await runtime.db(runtime.store.count_batches) == 7


async def test_full_cycle_fetch_dose_push_archive_refill(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim)

    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10
    assert "Table mo_batch is empty. Fetching new batches from Odoo..." in caplog.messages
    assert "Auto-sync completed: 10 MO batches synced" in caplog.messages
    batches = await runtime.db(runtime.store.list_batches)
    assert [b.batch_no for b in batches] == list(range(1, 11))
    first_ids = [b.mo_id for b in batches]
    targets = {b.mo_id: {line.silo: line.target_kg for line in b.dosing_lines} for b in batches}
    # The PLC holds the recipes: WRITE slot n carries batch n's MO.
    for batch in batches:
        assert plc_sim.read_slot(batch.batch_no, area="write").mo_id == batch.mo_id[:16]

    await _run_until_empty(runtime)

    pushes = {p["mo_id"]: p["body"] for p in fake_odoo.pushes}
    assert set(pushes) == set(first_ids)
    for mo_id, body in pushes.items():
        codes = {k for k in body if k not in ("mo_id", "quantity")}
        assert codes == {silo.odoo_code for silo in targets[mo_id]}
        for silo, target in targets[mo_id].items():
            assert body[silo.odoo_code] == pytest.approx(target, rel=0.05)
        assert body["quantity"] == pytest.approx(sum(targets[mo_id].values()), rel=0.05)
    page = await runtime.admin.history(status="completed", limit=100)
    assert page.total == 10
    assert all(e.actual_weight for e in page.entries)

    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10
    second_ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert set(second_ids).isdisjoint(first_ids)


async def test_done_batch_is_protected_while_plc_keeps_changing_it(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("manual")

    async def first_done():
        await runtime.poll.poll()  # poll only: nothing is pushed or archived
        batch = await runtime.db(runtime.store.get_batch, (await runtime.db(runtime.store.list_batches))[0].mo_id)
        return batch if batch.state is BatchState.DONE else None

    done = await wait_for(first_done, timeout=15)
    assert done, "batch 1 never finished"
    plc_sim.pause()
    plc_sim.set_field("read", 1, "status_manufacturing", False)
    for silo in Silo:
        plc_sim.set_field("read", 1, consumption_field(silo), 4321.0)
    for _ in range(5):
        await runtime.poll.poll()
    after = await runtime.db(runtime.store.get_batch, done.mo_id)
    assert after == done
    skip_lines = [m for m in caplog.messages if m == f"Skip update for MO {done.mo_id}: the batch is already complete and locked"]
    assert len(skip_lines) == 1  # logged once, not once per poll


async def test_plc_write_failing_at_slot_4_stores_nothing(make_runtime, fake_odoo, plc_sim, caplog):
    runtime = await make_runtime(fake_odoo, plc_sim)
    start = runtime.plc.register_map.write_slot_start(4)
    plc_sim.refuse(start, 10, reads=False)
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "failed"
    assert "PLC write failed at slot 4" in outcome.message
    assert "nothing stored" in outcome.message
    assert await runtime.db(runtime.store.count_batches) == 0
    plc_sim.clear_refusals()
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced" and outcome.count == 10


async def test_plc_disabled_stores_rows_without_writing(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    assert runtime.plc is None
    outcome = await runtime.sync.sync("api")
    assert outcome.outcome == "synced" and outcome.count == 10
    assert await runtime.db(runtime.store.count_batches) == 10


async def test_odoo_down_fails_cleanly_alerts_at_third_and_recovers(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim)
    fake_odoo.set_faults(http_500=True)
    outcomes = [await runtime.sync.sync("timer") for _ in range(3)]
    assert [o.outcome for o in outcomes] == ["failed"] * 3
    assert "Odoo" in outcomes[0].message
    assert runtime.health.consecutive_failures == 3
    assert runtime.health.alert and "3 times in a row" in runtime.health.alert
    alerts = [r for r in caplog.records if r.levelno == logging.ERROR and r.getMessage().startswith("ALERT")]
    assert len(alerts) == 1
    await runtime.sync.sync("timer")
    assert len([r for r in caplog.records if r.getMessage().startswith("ALERT")]) == 1  # logged once
    assert await runtime.db(runtime.store.count_batches) == 0

    fake_odoo.clear_faults()
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced"
    assert runtime.health.alert is None
    assert runtime.health.consecutive_failures == 0


async def test_failed_batch_is_cancelled_in_odoo_once_and_archived(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("manual")
    first = (await runtime.db(runtime.store.list_batches))[0]
    plc_sim.fail_mo.add(first.mo_id[:16])

    async def cancelled() -> bool:
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.get_batch, first.mo_id) is None

    assert await wait_for(cancelled, timeout=15)
    assert [c["mo_id"] for c in fake_odoo.cancels] == [first.mo_id]
    page = await runtime.admin.history(status="cancelled")
    assert [e.mo_id for e in page.entries] == [first.mo_id]
    assert "PLC failed the batch" in page.entries[0].notes
    assert fake_odoo.mo(first.mo_id)["state"] == "cancel"


async def test_push_failures_back_off_then_need_attention(make_runtime, fake_odoo, plc_sim, caplog):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, MAX_PUSH_ATTEMPTS=3)
    runtime.completion.backoff_initial = timedelta(0)
    fake_odoo.set_faults(partial_errors=["silo101: Equipment not found"])
    await runtime.sync.sync("manual")

    async def attention():
        await runtime.poll_and_complete()
        batches = await runtime.db(runtime.store.list_batches)
        return batches and batches[0].state is BatchState.ATTENTION

    assert await wait_for(attention, timeout=15)
    batch = (await runtime.db(runtime.store.list_batches))[0]
    assert batch.push_attempts == 3
    assert "silo101: Equipment not found" in batch.last_push_error
    health = await runtime.admin.health()
    assert [b.mo_id for b in health.attention_batches] == [batch.mo_id]
    # No endless retry: further rounds leave it alone.
    pushes_before = len(fake_odoo.pushes)
    for _ in range(3):
        await runtime.poll_and_complete()
    assert len(fake_odoo.pushes) == pushes_before

    fake_odoo.clear_faults()
    await runtime.admin.retry_push(batch.mo_id, "operator")
    await _run_until_empty(runtime)
    assert (await runtime.admin.history(status="completed")).total == 1


async def test_clear_archives_and_next_sync_refills(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    await runtime.sync.sync("manual")
    result = await runtime.admin.clear("operator7", plc_was_reset=True)
    assert result.count == 10 and result.held == ()
    page = await runtime.admin.history(status="cleared", limit=50)
    assert page.total == 10 and {e.actor for e in page.entries} == {"operator7"}
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced" and outcome.count == 10
