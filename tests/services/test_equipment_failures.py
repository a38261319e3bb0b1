"""Equipment failures through the real runtime: the PLC simulator raises a record, the poll stores,
logs, reports (fake Odoo, grt_scada) and acknowledges it — once, also across a restart."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
import pytest_asyncio

from hmi.plc.failure_area import to_bcd
from hmi.sim.plc import PlcSimulator
from hmi.store.equipment_failures import EquipmentFailureStore
from tests.support.runtime_fixtures import wait_for

WHEN = datetime(2026, 11, 30, 1, 2, 3)


@pytest_asyncio.fixture(params=["modbus", "fins-udp"])
async def any_sim(request):
    sim = PlcSimulator("127.0.0.1", 0, protocol=request.param, batch_seconds=0.6, seed=3, scan_interval=0.02)
    await sim.start()
    yield sim
    await sim.stop()


async def _runtime(make_runtime, fake_odoo, sim):
    return await make_runtime(fake_odoo, sim, PLC_PROTOCOL=sim.protocol)


async def test_new_record_is_stored_logged_reported_and_acknowledged_once(make_runtime, fake_odoo, any_sim, caplog):
    runtime = await _runtime(make_runtime, fake_odoo, any_sim)
    before = runtime.plc.request_count
    await runtime.poll.poll()
    if any_sim.protocol == "modbus":
        assert runtime.plc.request_count - before == 8  # the failure area rides in the scan's last request
    any_sim.raise_failure("MIXER01", "MOTOR OVERLOAD", WHEN)
    with caplog.at_level(logging.INFO):
        await runtime.poll.poll()
        await runtime.poll.poll()
        any_sim.raise_failure("MIXER01", "MOTOR OVERLOAD", WHEN)  # the PLC shows the same record again
        await runtime.poll.poll()
    warnings = [r.getMessage() for r in caplog.records if r.name == "hmi.failures" and r.levelno == logging.WARNING]
    assert warnings == ["Equipment failure on MIXER01: MOTOR OVERLOAD (PLC time 2026-11-30 01:02:03)"]
    rows = await runtime.equipment_failures.list()
    assert [(r.equipment_code, r.info, r.failure_time) for r in rows] == [("MIXER01", "MOTOR OVERLOAD", WHEN)]
    assert rows[0].reported_at is not None and rows[0].plc_acknowledged_at is not None
    reports = fake_odoo.equipment_failures
    assert [r["body"] for r in reports] == [
        {"equipment_code": "MIXER01", "description": "MOTOR OVERLOAD", "date": "2026-11-30 01:02:03"}]
    assert any_sim.failure_record().flag == 1
    assert any_sim.plc.failures_acknowledged == 2


async def test_restart_between_reading_and_acknowledging_stores_and_reports_once(
        make_runtime, fake_odoo, tmp_path, database_url):
    sim = PlcSimulator("127.0.0.1", 0, protocol="fins-tcp", seed=3, scan_interval=0.02)
    await sim.start()
    try:
        first = await _runtime(make_runtime, fake_odoo, sim)
        ack = sim.register_map.failure_ack_address
        sim.refuse(ack, writes=True, reads=False, code=0x2202)  # the acknowledgement does not get through
        sim.raise_failure("DRYER2", "HIGH TEMP", WHEN)
        await first.poll.poll()
        assert sim.failure_record().flag == 0
        await first.stop()  # the service stops between reading and acknowledging

        sim.clear_refusals()
        second = await _runtime(make_runtime, fake_odoo, sim)
        await second.poll.poll()
        rows = await second.equipment_failures.list()
        assert len(rows) == 1 and rows[0].plc_acknowledged_at is not None
        assert len(fake_odoo.equipment_failures) == 1
        assert sim.failure_record().flag == 1
    finally:
        await sim.stop()


async def test_odoo_down_keeps_the_record_and_reports_it_later(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    runtime.equipment_failures.report_retry_seconds = 0
    fake_odoo.set_faults(application_error="maintenance", route="/api/scada/equipment-failure")
    plc_sim.raise_failure("BELT3", "STOPPED", WHEN)
    await runtime.poll.poll()
    assert plc_sim.failure_record().flag == 1  # stored: the PLC may show the next one
    assert (await runtime.equipment_failures.list())[0].reported_at is None
    fake_odoo.clear_faults()
    await runtime.poll.poll()  # the retry runs in the background, the poll does not wait for Odoo

    async def reported() -> bool:
        return (await runtime.equipment_failures.list())[0].reported_at is not None

    assert await wait_for(reported, timeout=5)
    assert [r["result"]["status"] for r in fake_odoo.equipment_failures] == ["success"]  # the refusal is not a record


async def test_unreadable_record_is_stored_with_a_note_not_a_crash(make_runtime, fake_odoo, plc_sim, caplog):
    runtime = await make_runtime(fake_odoo, plc_sim)
    start = plc_sim.register_map.failure_area[0]
    words = [0x4D49, 0x5807, 0x3100, 0, 0, 0, 0, 0,  # "MIX\x071"
             0x4A41, 0x4D00, 0, 0, 0, 0, 0, 0,  # "JAM"
             to_bcd(2026, 4), 0x1A, 0x05, 0x10, 0x20, 0x30, 0]  # month 0x1A is no BCD
    plc_sim.write_registers(start, words)
    with caplog.at_level(logging.WARNING, logger="hmi.failures"):
        await runtime.poll.poll()
    rows = await runtime.equipment_failures.list()
    assert len(rows) == 1
    row = rows[0]
    assert (row.equipment_code, row.info, row.failure_time) == ("MIX1", "JAM", None)
    assert row.failure_time_text == "raw 2026 001A 0005 0010 0020 0030"
    assert "not valid BCD (month 001A)" in row.notes and "equipment code had 1 unreadable byte(s)" in row.notes
    assert "note: " in caplog.records[-1].getMessage()
    assert plc_sim.failure_record().flag == 1


async def test_list_filters_newest_first_and_operator_acknowledgement(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    for index, (code, info) in enumerate([("MIXER01", "MOTOR OVERLOAD"), ("DRYER2", "HIGH TEMP"),
                                          ("MIXER01", "DOOR OPEN")]):
        plc_sim.raise_failure(code, info, WHEN.replace(minute=index))
        await runtime.poll.poll()
    service = runtime.equipment_failures
    assert [r.info for r in await service.list()] == ["DOOR OPEN", "HIGH TEMP", "MOTOR OVERLOAD"]
    assert [r.info for r in await service.list(equipment_code="MIXER01")] == ["DOOR OPEN", "MOTOR OVERLOAD"]
    assert [r.info for r in await service.list(text="temp")] == ["HIGH TEMP"]
    assert await service.unacknowledged_count() == 3
    newest = (await service.list())[0]
    assert await service.acknowledge(newest.id, "operator1")
    assert not await service.acknowledge(newest.id, "operator1")
    assert await service.unacknowledged_count() == 2
    assert [r.info for r in await service.list(unacknowledged_only=True)] == ["HIGH TEMP", "MOTOR OVERLOAD"]
    assert isinstance(service.store, EquipmentFailureStore)
