"""The PLC misbehaving over Omron FINS, through the real runtime (simulator FINS front end, fake
Odoo, SQLite): stray replies never change a stored value; lost and late replies, error end codes,
PROGRAM mode and a simulator restart are survived, each with one log line."""

from __future__ import annotations

import asyncio
import logging

import pytest
import pytest_asyncio

from hmi.domain import ALL_SILOS, ConnectionState
from hmi.sim.plc import PlcSimulator
from tests.faults.conftest import assert_no_traceback, assert_reported_exactly, problems, run_until_empty
from tests.support.runtime_fixtures import wait_for


@pytest_asyncio.fixture(params=["fins-udp", "fins-tcp"])
async def fins_sim(request):
    sim = PlcSimulator("127.0.0.1", 0, protocol=request.param, batch_seconds=0.2, seed=3, scan_interval=0.02)
    await sim.start()
    yield sim
    await sim.stop()


async def _runtime(make_runtime, fake_odoo, sim):
    return await make_runtime(fake_odoo, sim, PLC_PROTOCOL=sim.protocol, PLC_TIMEOUT_SECONDS="0.5")


async def _cycle(runtime, fake_odoo, sim, count: int = 10) -> list[str]:
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == count, outcome
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    # What was stored is what the PLC shows, to the hundredth of a kg: no stray reply got in.
    page = await runtime.admin.history(limit=1000)
    for entry in page.entries:
        slot = next(s for s in range(1, 11) if sim.read_slot(s).mo_id == entry.mo_id)
        shown = sim.read_slot(slot)
        for line in entry.silos:
            assert line.actual_kg == pytest.approx(shown.actual_kg[line.silo]), (entry.mo_id, line.silo)
        assert entry.actual_weight == pytest.approx(shown.weight_finished_good)
    return ids


@pytest.mark.parametrize("fault", ["duplicate", "wrong_sid", "foreign_node"])
async def test_stray_replies_never_change_a_stored_value(make_runtime, fake_odoo, fins_sim, fault, caplog):
    caplog.set_level(logging.INFO)
    runtime = await _runtime(make_runtime, fake_odoo, fins_sim)
    setattr(fins_sim.faults, fault, 100_000)  # every reply
    await _cycle(runtime, fake_odoo, fins_sim)
    assert fins_sim.faults.counts[fault] > 20
    assert runtime.plc.connection.dropped_replies >= fins_sim.faults.counts[fault] - 1
    assert not problems(caplog)
    assert_no_traceback(caplog)


async def test_lost_and_late_replies_are_survived(make_runtime, fake_odoo, fins_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await _runtime(make_runtime, fake_odoo, fins_sim)
    await runtime.poll.poll()
    fins_sim.faults.delay, fins_sim.faults.delay_seconds = 1, 0.8
    await runtime.poll.poll()
    fins_sim.faults.drop = 1
    await runtime.poll.poll()
    # The late reply goes out (0.8 s after its request) while nothing or another request waits.
    assert await wait_for(lambda: fins_sim.front_end.late_replies_sent == 1, timeout=10)
    await _cycle(runtime, fake_odoo, fins_sim)
    lines = [r.getMessage() for r in caplog.records if r.name == "hmi.plc" and "recipe" not in r.getMessage()]
    warnings = [r.getMessage() for r in problems(caplog)]
    if fins_sim.protocol == "fins-udp":  # each lost reply asked again once: one INFO line each, no warning
        assert len([m for m in lines if "asking once more" in m]) == 2, lines
        assert warnings == []
    else:  # TCP does not ask again: one outage ("not answering", both timeouts), then answering again
        assert len(warnings) == 1 and warnings[0].startswith("PLC not answering: FINS read D6000-D6976"), warnings
        assert len([m for m in lines if m.startswith("PLC answering again")]) == 1, lines
    assert runtime.plc.connection.state is ConnectionState.CONNECTED
    assert_no_traceback(caplog)


async def test_error_end_code_on_the_scan_is_one_warning(make_runtime, fake_odoo, fins_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await _runtime(make_runtime, fake_odoo, fins_sim)
    fins_sim.faults.end_code, fins_sim.faults.end_code_value = 5, 0x1103
    for _ in range(5):
        report = await runtime.poll.poll()
        assert "address out of range" in report.error
    await runtime.poll.poll()
    warnings = [r.getMessage() for r in problems(caplog)]
    assert len(warnings) == 1 and "FINS end code 1103: address out of range" in warnings[0], warnings
    await _cycle(runtime, fake_odoo, fins_sim)


async def test_program_mode_refuses_the_download_with_one_error_and_nothing_stored(
        make_runtime, fake_odoo, fins_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await _runtime(make_runtime, fake_odoo, fins_sim)
    fins_sim.faults.program_mode = True
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "failed" and "PLC in PROGRAM mode: writes refused" in outcome.message
    assert await runtime.db(runtime.store.count_batches) == 0
    await runtime.poll.poll()  # reads still work in PROGRAM mode
    errors = [r.getMessage() for r in problems(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "PROGRAM mode" in errors[0], errors
    fins_sim.faults.program_mode = False
    await _cycle(runtime, fake_odoo, fins_sim)


async def test_simulator_restart_mid_cycle_is_one_warning(make_runtime, fake_odoo, fins_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await _runtime(make_runtime, fake_odoo, fins_sim)
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced"
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await fins_sim.front_end.stop()
    for _ in range(5):
        await runtime.poll_and_complete()
        await asyncio.sleep(0.1)
    await fins_sim.front_end.start()
    assert await wait_for(lambda: runtime.plc.connection.state is ConnectionState.CONNECTED, timeout=10)
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    outage = [r.getMessage() for r in problems(caplog)]
    assert len(outage) == 1, outage
    assert_no_traceback(caplog)
