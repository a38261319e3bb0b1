"""Dosing samples: recorded while a batch is on the PLC, only when a value changed; pruned after the retention."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hmi.services import readings as readings_module
from hmi.services.readings import ReadingRecorder
from hmi.store import DbRunner
from hmi.store.readings import ReadingsStore
from hmi.records import FINISHED_WEIGHT, Sample
from tests.support.runtime_fixtures import wait_for


async def test_poll_records_a_sample_only_when_a_value_changed(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    assert (await runtime.sync.sync("timer")).outcome == "synced"
    assert await wait_for(lambda: plc_sim.downloads_taken == 1)
    plc_sim.pause()  # the batch stands still: polls see the same values
    first = (await runtime.db(runtime.store.list_batches))[0]
    dosed = [line.silo.label for line in first.dosing_lines]

    await runtime.poll.poll()
    after_first = await runtime.db(runtime.readings.count)
    for _ in range(3):
        await runtime.poll.poll()
    assert await runtime.db(runtime.readings.count) == after_first  # nothing moved, nothing written

    plc_sim.scan(0.1)  # the PLC doses a little of every silo of batch 1
    await runtime.poll.poll()
    samples = await runtime.db(runtime.readings.samples_of, first.mo_id)
    moved = [s for s in samples if s.recorded_at == samples[-1].recorded_at]
    assert sorted(s.silo for s in moved) == sorted(dosed)
    stored = {line.silo.label: line.actual_kg for line in (await runtime.db(runtime.store.get_batch, first.mo_id)).silos}
    assert all(s.kg == stored[s.silo] for s in moved)  # the sample is the value the row holds
    await runtime.poll.poll()
    assert len(await runtime.db(runtime.readings.samples_of, first.mo_id)) == len(samples)

    plc_sim.resume()
    assert await wait_for(lambda: len(plc_sim.finished_slots) >= 1, timeout=10)
    await runtime.poll.poll()
    final = await runtime.db(runtime.readings.samples_of, first.mo_id)
    weights = [s.kg for s in final if s.silo == FINISHED_WEIGHT]
    done = await runtime.db(runtime.store.get_batch, first.mo_id)
    assert weights and weights[-1] == done.actual_weight
    # Once DONE the row is locked: later polls add nothing for it.
    count = len(final)
    await runtime.poll.poll()
    assert len(await runtime.db(runtime.readings.samples_of, first.mo_id)) == count


async def test_old_samples_are_pruned_in_small_steps(engine, monkeypatch):
    from hmi.store import migrate

    migrate(engine)
    store = ReadingsStore(engine)
    now = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    old = [Sample("MO/1", 1, "PLC01", "A", now - timedelta(days=91, minutes=i), float(i)) for i in range(7)]
    young = [Sample("MO/2", 2, "PLC01", "A", now - timedelta(days=89, minutes=i), float(i)) for i in range(3)]
    store.record(old + young)
    steps: list[int] = []
    real_step = store.prune_step

    def counted_step(cutoff, limit):
        steps.append(limit)
        return real_step(cutoff, limit)

    monkeypatch.setattr(store, "prune_step", counted_step)
    monkeypatch.setattr(readings_module, "PRUNE_STEP_ROWS", 3)
    db = DbRunner()
    try:
        recorder = ReadingRecorder(store, db, retention_days=90, clock=lambda: now)
        assert await recorder.prune_if_due() == 7
        assert len(steps) == 3  # 3 + 3 + 1
        assert await recorder.prune_if_due(now + timedelta(minutes=10)) == 0  # at most once an hour
    finally:
        await db.stop()
    assert [s.mo_id for s in store.samples_of("MO/2")] == ["MO/2"] * 3
    assert store.samples_of("MO/1") == []
