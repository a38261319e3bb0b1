"""PlcLink against the project's PLC simulator: request counts, handshake, errors, reconnects."""

from __future__ import annotations

import asyncio
import logging

import pytest
from pymodbus.constants import ExcCodes

from hmi.domain import BatchRecipe, ConnectionState, Silo
from hmi.plc.errors import PlcConnectionError, PlcError, PlcProtocolError, PlcTimeoutError
from hmi.plc.link import PlcLink
from hmi.sim.plc import PlcSimulator
from tests.conftest import pick_free_port
from tests.plc.conftest import FAST_LINK, wait_until


def recipe(batch_no: int, **targets: float) -> BatchRecipe:
    return BatchRecipe(
        batch_no=batch_no,
        mo_id=f"WH/MO/{batch_no:05d}",
        bom_code="BOM/7",
        product_name="LAYER FEED 1",
        quantity=abs(sum(targets.values())),
        targets_kg={Silo[name]: kg for name, kg in targets.items()},
    )


async def test_scan_of_ten_slots_takes_at_most_eight_requests(link):
    before = link.connection.request_count
    readings = await link.read_all_slots()
    assert link.connection.request_count - before <= 8
    assert [r.slot for r in readings] == list(range(1, 11))
    assert all(r.is_empty for r in readings)
    assert link.last_good_read is not None


async def test_download_is_one_write_per_slot_plus_handshake(link, sim):
    sim.pause()  # keep the handshake word as the HMI left it
    before = link.connection.request_count
    assert (await link.write_recipes([recipe(1, A=500.0, LQ114=12.5), recipe(2, B=250.25)])).written
    # 1 handshake read + 10 slot writes (2 recipes, 8 cleared slots) + 1 handshake write
    assert link.connection.request_count - before == 12
    assert sim.read_registers(7076) == [0]
    assert sim.read_registers(7000) == [1] and sim.read_registers(7100) == [2]
    assert sim.read_registers(7027, 3) == [101, 0x0000, 0xC350]  # silo A 500.00 kg
    assert sim.read_slot(2, area="write").mo_id == "WH/MO/00002"
    assert sim.read_slot(3, area="write").is_empty


async def test_download_refused_while_plc_has_not_taken_previous(link, sim):
    sim.pause()
    assert (await link.write_recipes([recipe(1, A=10.0)])).written
    assert not await link.is_write_ready()
    refused = await link.write_recipes([recipe(2, A=10.0)])
    assert refused.refused and refused.failed_slot is None
    assert refused.error.startswith("PLC write failed: PLC has not taken the previous recipes yet: handshake word 7076")
    sim.resume()
    await wait_until(lambda: sim.downloads_taken == 1)
    assert await link.is_write_ready()


async def test_clean_plc_counts_as_ready_even_with_handshake_zero(link, sim):
    sim.pause()
    sim.write_registers(7076, [0])
    assert await link.is_write_ready()
    assert (await link.write_recipes([recipe(1, A=10.0)])).written


async def test_unencodable_recipe_sends_nothing_and_names_slot(link):
    before = link.connection.request_count
    outcome = await link.write_recipes([recipe(1, A=1.0), recipe(2, C=-3.0)])
    assert outcome.refused and outcome.failed_slot == 2
    assert outcome.error.startswith("PLC write failed at slot 2: consumption_103: ")
    assert link.connection.request_count == before


async def test_batches_run_to_done_and_are_acknowledged(link, sim):
    assert (await link.write_recipes([recipe(1, A=400.0, M=25.0), recipe(2, LQ115=80.0)])).written
    await wait_until(lambda: sim.finished_slots == [1, 2])
    first, second = (await link.read_all_slots())[:2]
    assert first.mo_id == "WH/MO/00001" and first.status_manufacturing and not first.status_operation
    assert first.actual_kg[Silo.A] == pytest.approx(400.0, rel=0.021)
    assert first.actual_kg[Silo.B] == 0.0
    assert first.weight_finished_good == pytest.approx(sum(first.actual_kg.values()), abs=0.02)
    assert second.actual_kg[Silo.LQ115] == pytest.approx(80.0, rel=0.021)
    await link.acknowledge_read(1)
    assert sim.read_registers(6076) == [1]
    assert (await link.read_slot(1)).status_read_data


async def test_failing_mo_reports_status_operation(link, sim):
    sim.fail_mo.add("WH/MO/00001")
    assert (await link.write_recipes([recipe(1, A=100.0), recipe(2, A=100.0)])).written
    await wait_until(lambda: sim.finished_slots == [1, 2])
    first, second = (await link.read_all_slots())[:2]
    assert first.status_operation and not first.status_manufacturing
    assert second.status_manufacturing and not second.status_operation


async def test_clear_write_slots(link, sim):
    sim.pause()
    assert (await link.write_recipes([recipe(1, A=10.0), recipe(2, A=10.0)])).written
    await link.clear_write_slots()
    assert sim.read_slot(1, area="write").is_empty and sim.read_slot(2, area="write").is_empty
    assert await link.is_write_ready()


async def test_exception_reply_is_typed_and_names_range(link, sim):
    sim.refuse(6300, 1, code=ExcCodes.ILLEGAL_ADDRESS)
    with pytest.raises(PlcProtocolError) as caught:
        await link.read_all_slots()
    assert caught.value.exception_code == 2
    assert str(caught.value) == (
        "read holding registers 6250-6374 (fc 3): PLC answered exception 2 (illegal data address)"
    )
    assert link.connection.state is ConnectionState.CONNECTED  # the PLC answered; the line is fine


async def test_write_failure_names_the_slot(link, sim):
    sim.refuse(7300, 77, reads=False)  # a PLC interlock on WRITE slot 4
    before = link.connection.request_count
    outcome = await link.write_recipes([recipe(n, A=1.0) for n in range(1, 6)])
    assert outcome.uncertain and outcome.failed_slot == 4  # slots 1-3 reached the PLC
    assert outcome.error.startswith("PLC write failed at slot 4: slot 4: write holding registers 7300-7376 (fc 16)")
    assert "exception 6" in outcome.error
    assert link.connection.request_count - before == 1 + 4  # stopped at the failing slot
    assert sim.read_registers(7076) == [1]  # handshake never released: the PLC runs nothing
    assert link.connection.state is ConnectionState.CONNECTED


async def test_silent_peer_times_out_with_range_in_message():
    # A TCP peer that accepts and never answers: a PLC in STOP behind a gateway, say.
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    link = PlcLink("127.0.0.1", port, **{**FAST_LINK, "timeout": 0.3})
    states = []
    link.connection.add_state_listener(states.append)
    try:
        await link.connection.start()
        assert await link.connection.wait_connected(5)
        with pytest.raises(PlcTimeoutError) as caught:
            await link.read_slot(1)
        assert str(caught.value) == "read holding registers 6000-6076 (fc 3): timed out after 0.3 s"
        assert ConnectionState.FAULT in states
        assert link.connection.last_error == str(caught.value)
    finally:
        await link.connection.stop()
        server.close()


async def test_operations_fail_fast_when_not_connected():
    link = PlcLink("127.0.0.1", pick_free_port(), **FAST_LINK)
    with pytest.raises(PlcConnectionError, match="not started"):
        await link.read_all_slots()
    await link.connection.start()
    await wait_until(lambda: link.connection.last_error is not None)
    with pytest.raises(PlcConnectionError, match="not connected"):
        await link.read_all_slots()
    await link.connection.stop()
    assert link.connection.state is ConnectionState.DISCONNECTED


def _retries(caplog) -> int:
    """Connect attempts after the first failed one (each says so at DEBUG)."""
    return sum(1 for r in caplog.records if r.name == "hmi.plc" and "still not reachable" in r.getMessage())


async def test_first_connect_fails_then_plc_appears(free_port, caplog):
    caplog.set_level(logging.DEBUG, logger="hmi.plc")
    link = PlcLink("127.0.0.1", free_port, **FAST_LINK)
    states = []
    link.connection.add_state_listener(states.append)
    await link.connection.start()
    await wait_until(lambda: link.connection.state is ConnectionState.DISCONNECTED and link.connection.last_error is not None)
    assert "cannot connect" in link.connection.last_error
    await wait_until(lambda: _retries(caplog) >= 3)  # a few retries, which must not flicker through CONNECTING
    simulator = PlcSimulator("127.0.0.1", free_port)
    await simulator.start()
    try:
        # within the backoff cap (0.4 s) plus one connect
        assert await link.connection.wait_connected(FAST_LINK["backoff_cap"] + 1.0)
        assert states.count(ConnectionState.CONNECTING) == 1
        assert len(await link.read_all_slots()) == 10
    finally:
        await link.connection.stop()
        await simulator.stop()


async def test_plc_restart_mid_poll_reconnects_without_restarting_link(free_port):
    simulator = PlcSimulator("127.0.0.1", free_port, batch_seconds=0.3, scan_interval=0.01)
    await simulator.start()
    link = PlcLink("127.0.0.1", free_port, **FAST_LINK)
    states = []
    link.connection.add_state_listener(states.append)
    await link.connection.start()
    assert await link.connection.wait_connected(5)

    outcomes: list[str] = []

    async def poller():
        while True:
            try:
                await link.read_all_slots()
                outcomes.append("ok")
            except PlcError as exc:
                outcomes.append(type(exc).__name__)
            await asyncio.sleep(0.01)

    poll_task = asyncio.create_task(poller())
    try:
        await wait_until(lambda: outcomes.count("ok") >= 3)
        await simulator.stop()
        await wait_until(lambda: link.connection.state in (ConnectionState.DISCONNECTED, ConnectionState.FAULT))
        await wait_until(lambda: outcomes[-1] != "ok")
        simulator = PlcSimulator("127.0.0.1", free_port)
        await simulator.start()
        assert await link.connection.wait_connected(FAST_LINK["backoff_cap"] + 2.0)
        ok_before = outcomes.count("ok")
        await wait_until(lambda: outcomes.count("ok") > ok_before)
        assert not poll_task.done()  # nothing escaped the poller
        assert states[-1] is ConnectionState.CONNECTED
        assert ConnectionState.DISCONNECTED in states[states.index(ConnectionState.CONNECTED):]
        assert set(outcomes) <= {"ok", "PlcConnectionError", "PlcTimeoutError"}
    finally:
        poll_task.cancel()
        await asyncio.gather(poll_task, return_exceptions=True)
        await link.connection.stop()
        await simulator.stop()


async def test_concurrent_callers_are_serialised(link, sim):
    results = await asyncio.gather(
        link.read_all_slots(), link.read_all_slots(), link.write_recipes([recipe(1, A=5.0)]), link.read_slot(1)
    )
    assert len(results[0]) == 10 and results[2].written and results[3].slot == 1


async def test_state_listener_errors_do_not_break_the_link(free_port, sim):
    link = PlcLink("127.0.0.1", sim.port, **FAST_LINK)

    def broken(_state):
        raise RuntimeError("listener bug")

    link.connection.add_state_listener(broken)
    await link.connection.start()
    try:
        assert await link.connection.wait_connected(5)
    finally:
        await link.connection.stop()


async def test_retries_are_logged_once_not_per_attempt(free_port, caplog):
    link = PlcLink("127.0.0.1", free_port, **{**FAST_LINK, "backoff_cap": 0.05, "backoff_initial": 0.05})
    with caplog.at_level(logging.DEBUG, logger="hmi.plc"):
        await link.connection.start()
        await wait_until(lambda: _retries(caplog) >= 8)  # about ten attempts
        await link.connection.stop()
    records = [r for r in caplog.records if r.name == "hmi.plc"]
    assert [r.levelno for r in records if r.levelno >= logging.WARNING] == [logging.WARNING]
    assert "not reachable" in records[0].getMessage()
    assert sum(1 for r in records if r.levelno == logging.DEBUG) >= 3
