"""Each alarm source raised and returned to normal by the service that detects it, from a real
condition: the PLC simulator stopped and restarted, the fake Odoo failing and answering again,
a batch failed on the simulator, an out-of-tolerance dose, a held download."""

from __future__ import annotations

import pytest

from hmi.services.alarms import AlarmState, Priority
from hmi.sim.plc import PlcSimulator
from tests.support.runtime_fixtures import wait_for


async def _alarm(runtime, kind: str, subject: str = ""):
    for alarm in await runtime.alarms.open_alarms():
        if alarm.kind == kind and alarm.subject == subject:
            return alarm
    return None


async def _run_until_empty(runtime, timeout: float = 30.0) -> None:
    async def empty() -> bool:
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.count_batches) == 0

    assert await wait_for(empty, timeout=timeout, interval=0.1), "batches did not complete"


async def test_plc_stopped_raises_offline_and_restarted_returns_it(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    await runtime.poll.poll()
    assert await _alarm(runtime, "plc.offline") is None

    await plc_sim.stop()

    async def offline():
        await runtime.poll.poll()
        return await _alarm(runtime, "plc.offline")

    alarm = await wait_for(offline, timeout=10, interval=0.1)
    assert alarm and alarm.state is AlarmState.UNACK_ACTIVE and alarm.priority is Priority.CRITICAL
    assert str(plc_sim.port) in alarm.message

    await plc_sim.start()  # the same port

    async def returned():
        await runtime.poll.poll()
        found = await _alarm(runtime, "plc.offline")
        return found if found and found.state is AlarmState.RTN_UNACK else None

    back = await wait_for(returned, timeout=15, interval=0.2)
    assert back and back.id == alarm.id and back.returned_at is not None
    await runtime.alarms.acknowledge(back.id, "rina")
    assert await _alarm(runtime, "plc.offline") is None


async def test_three_failed_syncs_raise_sync_failing_and_a_good_sync_returns_it(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    fake_odoo.set_faults(http_500=True)
    for attempt in range(3):
        assert (await runtime.sync.sync("manual")).outcome == "failed"
        alarm = await _alarm(runtime, "odoo.sync_failing")
        assert (alarm is None) == (attempt < 2)
    assert alarm.priority is Priority.HIGH and "3 times in a row" in alarm.message
    await runtime.alarms.acknowledge(alarm.id, "rina")
    assert (await runtime.sync.sync("manual")).outcome == "failed"
    assert (await _alarm(runtime, "odoo.sync_failing")).count == 1  # still the same, acknowledged alarm

    fake_odoo.clear_faults()
    assert (await runtime.sync.sync("manual")).ok
    assert await _alarm(runtime, "odoo.sync_failing") is None
    total, [normal] = await runtime.alarms.journal()
    assert total == 1 and normal.state is AlarmState.NORMAL


async def test_batch_failed_on_the_plc_raises_and_returns_when_cancelled_and_archived(make_runtime, fake_odoo,
                                                                                     plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("manual")
    failing = (await runtime.db(runtime.store.list_batches))[0]
    plc_sim.fail_mo.add(failing.plc_key)

    async def raised():
        await runtime.poll.poll()
        return await _alarm(runtime, "batch.failed", failing.mo_id)

    alarm = await wait_for(raised, timeout=15, interval=0.1)
    assert alarm and alarm.mo_id == failing.mo_id and alarm.priority is Priority.HIGH
    assert f"MO {failing.mo_id}" in alarm.message and "FAILED" in alarm.message

    await _run_until_empty(runtime)
    returned = await _alarm(runtime, "batch.failed", failing.mo_id)
    assert returned.state is AlarmState.RTN_UNACK  # cancelled in Odoo and archived; waits for an operator


async def test_out_of_tolerance_dose_raises_a_low_alarm_and_stores_the_verdict(make_runtime, fake_odoo):
    sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=0.4, seed=5, scan_interval=0.02, deviation=0.3)
    await sim.start()
    try:
        runtime = await make_runtime(fake_odoo, sim, SYNC_BATCH_LIMIT=2, DOSING_TOLERANCE_KG=1,
                                     DOSING_TOLERANCE_PERCENT=1)
        await runtime.sync.sync("manual")
        batches = await runtime.db(runtime.store.list_batches)
        await _run_until_empty(runtime)
    finally:
        await sim.stop()
    for batch in batches:
        alarm = await _alarm(runtime, "batch.out_of_tolerance", batch.mo_id)
        assert alarm is not None, "30 % deviation against 1 % tolerance must be outside"
        assert alarm.priority is Priority.LOW and alarm.state is AlarmState.RTN_UNACK
        assert f"MO {batch.mo_id}" in alarm.message and "target" in alarm.message and "actual" in alarm.message
        assert "silo " in alarm.message and "deviation" in alarm.message
    verdicts = await runtime.db(runtime.tolerance.store.verdicts, [b.mo_id for b in batches])
    assert {v for v, _ in verdicts.values()} == {"outside"}
    # Tolerance never blocks the cycle: the actuals went to Odoo as dosed.
    assert {p["mo_id"] for p in fake_odoo.pushes} == {b.mo_id for b in batches}


async def test_dose_within_tolerance_raises_nothing(make_runtime, fake_odoo):
    sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=0.4, seed=5, scan_interval=0.02, deviation=0.01)
    await sim.start()
    try:
        runtime = await make_runtime(fake_odoo, sim, SYNC_BATCH_LIMIT=2)
        await runtime.sync.sync("manual")
        batches = await runtime.db(runtime.store.list_batches)
        await _run_until_empty(runtime)
    finally:
        await sim.stop()
    assert [a.kind for a in await runtime.alarms.open_alarms()] == []
    verdicts = await runtime.db(runtime.tolerance.store.verdicts, [b.mo_id for b in batches])
    assert {v for v, _ in verdicts.values()} == {"within"}


async def test_stuck_batch_raises_and_returns_when_the_plc_goes_on(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, STUCK_MINUTES=0.01)
    plc_sim.pause()
    await runtime.sync.sync("manual")
    [batch] = await runtime.db(runtime.store.list_batches)

    async def stuck():
        await runtime.poll.poll()
        return await _alarm(runtime, "batch.stuck", batch.mo_id)

    alarm = await wait_for(stuck, timeout=10, interval=0.2)
    assert alarm and alarm.priority is Priority.MEDIUM and "STUCK" in alarm.message
    plc_sim.resume()
    await _run_until_empty(runtime)
    assert (await _alarm(runtime, "batch.stuck", batch.mo_id)).state is AlarmState.RTN_UNACK


async def test_cleared_mos_on_the_held_list_raise_mo_held_until_released(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("manual")
    result = await runtime.admin.clear("rina")
    alarm = await _alarm(runtime, "mo.held")
    assert alarm and alarm.priority is Priority.MEDIUM and "2 MO(s) on the Held list" in alarm.message
    await runtime.admin.release(list(result.held), "PLC slots checked: empty", "rina")
    assert (await _alarm(runtime, "mo.held")).state is AlarmState.RTN_UNACK


async def test_every_transition_is_one_system_log_record(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    fake_odoo.set_faults(http_500=True)
    for _ in range(3):
        await runtime.sync.sync("manual")
    fake_odoo.clear_faults()
    await runtime.sync.sync("manual")
    [alarm] = (await runtime.alarms.journal())[1]
    await runtime.alarms.acknowledge(alarm.id, "rina")
    messages = [r["message"] for r in runtime.alarms.store.transitions_logged()]
    assert len(messages) == 3
    assert "raised" in messages[0] and "returned to normal" in messages[1] and "acknowledged by rina" in messages[2]


async def test_plc_refusing_reads_raises_stale_and_a_good_read_returns_it(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    await runtime.poll.poll()
    plc_sim.refuse(plc_sim.register_map.read_area_start, 1, writes=False)
    await runtime.poll.poll()
    alarm = await _alarm(runtime, "plc.stale")
    assert alarm and alarm.priority is Priority.HIGH and "not current" in alarm.message
    assert await _alarm(runtime, "plc.offline") is None
    plc_sim.clear_refusals()
    await runtime.poll.poll()
    assert (await _alarm(runtime, "plc.stale")).state is AlarmState.RTN_UNACK


@pytest.mark.postgres
async def test_database_stopped_raises_unreachable_recorded_once_it_answers(postgres_server, tmp_path, fake_odoo,
                                                                            plc_sim):
    import asyncio
    import os

    from hmi.app.runtime import Runtime
    from tests.support.runtime_fixtures import settings_for

    url = postgres_server.create_database(f"alarm_away_{os.getpid()}")
    runtime = Runtime(settings_for(tmp_path, url, fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2))
    await runtime.start()
    try:
        assert await runtime.plc.connection.wait_connected(timeout=5)
        await runtime.poll.poll()
        await asyncio.to_thread(postgres_server._run, str(postgres_server.bin / "pg_ctl"), "-D",
                                str(postgres_server.datadir), "-m", "fast", "-w", "stop")
        try:
            for _ in range(5):
                await runtime.poll_and_complete()
            assert runtime.alarms.kept >= 1  # the transition waits, with its time, for the database
        finally:
            await asyncio.to_thread(postgres_server.restart)

        async def recorded():
            await runtime.poll.poll()
            return not runtime.alarms.kept and await _alarm(runtime, "database.unreachable")

        alarm = await wait_for(recorded, timeout=20, interval=0.2)
        assert alarm and alarm.priority is Priority.CRITICAL and alarm.state is AlarmState.RTN_UNACK
        assert alarm.raised_at < alarm.returned_at
    finally:
        await runtime.stop()


@pytest.mark.slow  # the sync waits LANDED_CHECK_SECONDS for the PLC before it holds
async def test_unconfirmed_download_held_raises_batch_held_and_returns_when_the_plc_answers(make_runtime, fake_odoo,
                                                                                          plc_sim):
    from sqlalchemy.exc import OperationalError

    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    original = runtime.store.mark_downloaded
    refused: list[bool] = []

    def refuse_once(*args, **kwargs):  # the commit after a good download is lost, as on a dropped connection
        if not refused:
            refused.append(True)
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        return original(*args, **kwargs)

    runtime.store.mark_downloaded = refuse_once
    await runtime.sync.sync("timer")
    await plc_sim.stop()  # the PLC goes away before the next sync can ask it
    await runtime.sync.sync("timer")
    held = [a for a in await runtime.alarms.open_alarms() if a.kind == "batch.held"]
    assert len(held) == 2 and all(a.priority is Priority.HIGH and "HELD" in a.message for a in held)

    await plc_sim.start()  # the PLC answers again and still holds the recipes
    assert await runtime.plc.connection.wait_connected(timeout=10)
    await runtime.sync.sync("timer")
    await runtime.poll.poll()
    states = {a.state for a in await runtime.alarms.open_alarms() if a.kind == "batch.held"}
    assert states == {AlarmState.RTN_UNACK}


async def test_push_failing_until_attention_raises_push_failed_and_a_retry_that_lands_returns_it(
        make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, MAX_PUSH_ATTEMPTS=1)
    await runtime.sync.sync("manual")
    [batch] = await runtime.db(runtime.store.list_batches)
    fake_odoo.set_faults(http_500=True)

    async def attention():
        await runtime.poll_and_complete()
        return await _alarm(runtime, "odoo.push_failed", batch.mo_id)

    alarm = await wait_for(attention, timeout=15, interval=0.1)
    assert alarm and alarm.priority is Priority.HIGH and "ATTENTION" in alarm.message
    fake_odoo.clear_faults()
    await runtime.admin.retry_push(batch.mo_id, "rina")
    await _run_until_empty(runtime)
    assert (await _alarm(runtime, "odoo.push_failed", batch.mo_id)).state is AlarmState.RTN_UNACK
