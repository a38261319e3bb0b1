"""The PLC misbehaving: refusing connections, the connection cut in the middle of a recipe
download, requests left unanswered, exception codes, implausible values and a foreign MO in a
slot. Nothing half-written is ever stored, the link reconnects by itself, and the batches that
do run are reported exactly once with their actuals."""

from __future__ import annotations

import logging

import pytest
from pymodbus.constants import ExcCodes

from hmi.domain import BatchState, ConnectionState, Silo
from hmi.plc.register_map import consumption_field
from tests.faults.conftest import (
    assert_no_traceback,
    assert_one_clear_error,
    assert_reported_exactly,
    problems,
    run_until_empty,
)
from tests.support.runtime_fixtures import wait_for

WRITE = 16  # Modbus function code "write multiple registers"
#: Write requests of one 10-recipe download: one per slot (slot 1 stops just before the handshake word),
#: then the handshake word on its own.
WRITES_PER_DOWNLOAD = 11


async def _sync_and_finish(runtime, fake_odoo, count: int = 10) -> list[str]:
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == count, outcome
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    return ids


async def _until_answering(runtime, timeout: float = 15) -> None:
    """Poll (as the timer would) until the link is up and the PLC answers again."""
    async def answering() -> bool:
        await runtime.poll.poll()
        return runtime.plc.connection.state is ConnectionState.CONNECTED and runtime.poll._read_failure is None

    assert await wait_for(answering, timeout=timeout, interval=0.2)


async def test_plc_refusing_connections_then_back(make_runtime, fake_odoo, plc_sim, plc_proxy, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_proxy)
    await plc_proxy.close_port()
    assert await wait_for(lambda: runtime.plc.connection.state is ConnectionState.DISCONNECTED, timeout=5)
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "failed" and "PLC not connected" in outcome.message
    for _ in range(20):  # polls while the PLC is away stay quiet: the link said it once
        await runtime.poll_and_complete()
    await runtime.sync.sync("timer")
    assert await runtime.db(runtime.store.count_batches) == 0
    errors = [r for r in problems(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 2 and all("PLC write failed" in r.getMessage() and "not connected" in r.getMessage()
                                    for r in errors)  # one per failed sync, no more
    plc_lines = [r.getMessage() for r in problems(caplog) if r.name == "hmi.plc"]
    assert len(plc_lines) <= 2, plc_lines  # "connection lost" and "not reachable ... retrying", once each
    assert_no_traceback(caplog)

    await plc_proxy.open_port()
    assert await runtime.plc.connection.wait_connected(timeout=15)
    assert "PLC connected to" in caplog.text
    await _sync_and_finish(runtime, fake_odoo)


@pytest.mark.parametrize("writes_before_cut", [0, 5, WRITES_PER_DOWNLOAD - 1],
                         ids=["first-write", "mid-download", "before-handshake"])
async def test_connection_cut_during_recipe_download_stores_nothing(
        writes_before_cut, make_runtime, fake_odoo, plc_sim, plc_proxy, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_proxy)
    plc_proxy.cut_after(writes_before_cut, function_code=WRITE)
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "failed"
    assert "PLC write failed" in outcome.message and "nothing stored" in outcome.message
    assert plc_proxy.cuts == 1
    assert await runtime.db(runtime.store.count_batches) == 0
    assert plc_sim.read_registers(runtime.plc.register_map.write_ready_address) == [1]  # handshake never sent
    assert plc_sim.downloads_taken == 0
    # The link logs the lost connection; the sync says which slot failed and that nothing was kept.
    assert_one_clear_error(caplog, "PLC write failed", "nothing stored")
    assert "PLC connection lost" in caplog.text

    await _until_answering(runtime)
    await _sync_and_finish(runtime, fake_odoo)
    assert plc_sim.downloads_taken == 1
    assert "PLC answering again" in caplog.text


async def test_download_whose_last_answer_is_lost_is_stored_not_dosed_twice(
        make_runtime, fake_odoo, plc_sim, plc_proxy, caplog):
    """The handshake write reaches the PLC but its answer is lost: the PLC runs the recipes, so
    the HMI must store them (asking the PLC what it holds) instead of downloading them again."""
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_proxy)
    plc_proxy.lose_answer_after(WRITES_PER_DOWNLOAD - 1, function_code=WRITE)
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10, outcome
    assert plc_proxy.cuts == 1
    assert "PLC write answer lost" in caplog.text and "the PLC holds all 10 recipes" in caplog.text
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    assert plc_sim.downloads_taken == 1  # dosed once


async def test_plc_stops_answering_mid_download_then_recovers(make_runtime, fake_odoo, plc_sim, plc_proxy, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_proxy)
    plc_proxy.stall_after(4, function_code=WRITE)
    outcome = await runtime.sync.sync("timer")
    # Four slots reached the PLC and it cannot be asked whether the download completed: held, not
    # forgotten (forgetting would let the next sync download the same MOs while the PLC may run them).
    assert outcome.outcome == "failed" and "not confirmed" in outcome.message
    assert {b.state for b in await runtime.db(runtime.store.list_batches)} == {BatchState.HELD}
    for _ in range(5):  # polls during the outage: no new lines
        await runtime.poll_and_complete()
    assert_one_clear_error(caplog, "HELD", "could not be asked")
    assert any("PLC write failed at slot 5" in r.getMessage() and "timed out" in r.getMessage()
               for r in problems(caplog))
    # The outage is reported once although pymodbus drops and re-opens the connection meanwhile.
    plc_lines = [r.getMessage() for r in problems(caplog) if r.name == "hmi.plc"]
    assert len(plc_lines) == 2 and plc_lines[0].startswith("PLC not answering"), plc_lines  # + the failed slot

    plc_proxy.resume()
    await _until_answering(runtime)
    await _sync_and_finish(runtime, fake_odoo)


async def test_plc_stalls_while_batches_run_no_reading_is_lost(make_runtime, fake_odoo, plc_sim, plc_proxy, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_proxy, SYNC_BATCH_LIMIT=4)
    assert (await runtime.sync.sync("timer")).count == 4
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await runtime.poll_and_complete()
    plc_proxy.stall()
    for _ in range(8):
        await runtime.poll_and_complete()  # each times out after PLC_TIMEOUT_SECONDS
    plc_lines = [r.getMessage() for r in problems(caplog) if r.name == "hmi.plc"]
    assert len(plc_lines) == 1 and plc_lines[0].startswith("PLC not answering"), plc_lines
    plc_proxy.resume()
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    assert_no_traceback(caplog)


async def test_plc_answering_exception_codes_to_polls(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    assert (await runtime.sync.sync("timer")).count == 3
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    m = runtime.plc.register_map
    plc_sim.refuse(m.read_area_start, m.slot_length, writes=False, code=ExcCodes.DEVICE_FAILURE)
    before = await runtime.db(runtime.store.list_batches)
    for _ in range(10):
        report = await runtime.poll.poll()
        assert report.error and "exception 4" in report.error
    assert await runtime.db(runtime.store.list_batches) == before  # nothing changed, nothing guessed
    warnings = [r.getMessage() for r in problems(caplog)]
    assert len(warnings) == 1 and "PLC poll failed" in warnings[0] and "exception 4 (device failure)" in warnings[0]

    plc_sim.clear_refusals()
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    assert any(m.startswith("PLC poll reading again") for m in caplog.messages)
    assert_no_traceback(caplog)


async def test_out_of_range_values_are_rejected_and_logged_once(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2, PLC_MAX_KG_PER_SILO=5000)
    assert (await runtime.sync.sync("timer")).count == 2
    first = (await runtime.db(runtime.store.list_batches))[0]
    silo = first.dosing_lines[0].silo
    assert await wait_for(lambda: plc_sim.downloads_taken == 1, timeout=5)
    plc_sim.pause()
    await runtime.poll.poll()
    plc_sim.set_field("read", 1, consumption_field(silo), 9999.5)
    plc_sim.set_field("read", 1, "weight_finished_good", 20_000_000.0)
    for _ in range(10):
        await runtime.poll.poll()
    row = await runtime.db(runtime.store.get_batch, first.mo_id)
    stored = {line.silo: line.actual_kg for line in row.silos}
    assert stored[silo] != 9999.5 and (row.actual_weight or 0) >= 0
    rejected = [r.getMessage() for r in problems(caplog)]
    assert len(rejected) == 2, rejected  # one per implausible field, not one per poll
    assert all(m.startswith(f"Rejected PLC value for MO {first.mo_id}") for m in rejected)

    plc_sim.resume()
    await run_until_empty(runtime)
    page = await runtime.admin.history(status="completed")
    entry = next(e for e in page.entries if e.mo_id == first.mo_id)
    assert 0 < next(line.actual_kg for line in entry.silos if line.silo is silo) <= 5000
    await assert_reported_exactly(runtime, fake_odoo, [first.mo_id, (await _second_id(runtime, first.mo_id))])


async def _second_id(runtime, first_id):
    page = await runtime.admin.history()
    return next(e.mo_id for e in page.entries if e.mo_id != first_id)


async def test_another_mo_in_a_slot_is_ignored_and_the_row_kept(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    assert (await runtime.sync.sync("timer")).count == 3
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert await wait_for(lambda: plc_sim.downloads_taken == 1, timeout=5)
    plc_sim.pause()
    await runtime.poll.poll()
    second = await runtime.db(runtime.store.get_batch, ids[1])
    m = runtime.plc.register_map
    slot_2 = plc_sim.read_registers(m.read_slot_start(2), m.slot_length)
    plc_sim.set_field("read", 2, "mo_id", "WH/MO/99999")
    for silo in Silo:
        plc_sim.set_field("read", 2, consumption_field(silo), 1234.0)
    plc_sim.set_field("read", 2, "status_manufacturing", True)
    for _ in range(10):
        await runtime.poll_and_complete()
    assert await runtime.db(runtime.store.get_batch, ids[1]) == second  # not touched, not completed
    foreign = [r.getMessage() for r in problems(caplog)]
    assert len(foreign) == 1 and "reports MO 'WH/MO/99999' as batch 2" in foreign[0]
    assert fake_odoo.pushes == []

    plc_sim.write_registers(m.read_slot_start(2), slot_2)
    plc_sim.resume()
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    for entry in (await runtime.admin.history()).entries:
        assert all(line.actual_kg != 1234.0 for line in entry.silos)
