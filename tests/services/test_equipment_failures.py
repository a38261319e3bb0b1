"""Equipment failures through the real runtime: the PLC simulator raises a record, the poll stores,
logs and acknowledges it; the completion tick's ``report_outstanding`` reports it (fake Odoo,
grt_scada) — each occurrence counted and reported once, also across a restart, never waiting
inside the poll."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime

import pytest
import pytest_asyncio

from hmi.plc.failure_area import to_bcd
from hmi.services import crash_points
from hmi.sim.plc import PlcSimulator
from hmi.store.equipment_failures import EquipmentFailureStore
from tests.support.live import wait_for

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
    await runtime.poll.poll()  # the first poll after a start also asks what the WRITE slots hold
    before = runtime.plc.connection.request_count
    await runtime.poll.poll()
    if any_sim.protocol == "modbus":
        assert runtime.plc.connection.request_count - before == 8  # the failure area rides in the scan's last request
    any_sim.raise_failure("MIXER01", "MOTOR OVERLOAD", WHEN)
    with caplog.at_level(logging.INFO):
        await runtime.poll.poll()
        assert fake_odoo.equipment_failures == []  # the poll stores and acknowledges; Odoo is not its business
        await runtime.poll.poll()  # the acknowledged record read again: nothing new
        await runtime.equipment_failures.report_outstanding()
        await runtime.poll_and_complete()
    warnings = [r.getMessage() for r in caplog.records if r.name == "hmi.failures" and r.levelno == logging.WARNING]
    assert warnings == ["Equipment failure on MIXER01: MOTOR OVERLOAD (PLC time 2026-11-30 01:02:03)"]
    rows = await runtime.equipment_failures.list()
    assert [(r.equipment_code, r.info, r.failure_time, r.occurrences) for r in rows] == [
        ("MIXER01", "MOTOR OVERLOAD", WHEN, 1)]
    assert rows[0].reported_at is not None and rows[0].plc_acknowledged_at is not None and rows[0].fully_reported
    reports = fake_odoo.equipment_failures
    assert [r["body"] for r in reports] == [
        {"equipment_code": "MIXER01", "description": "MOTOR OVERLOAD", "date": "2026-11-30 01:02:03"}]
    assert any_sim.failure_record().flag == 1
    assert any_sim.plc.failures_acknowledged == 1


def _invalid_clock_record(sim: PlcSimulator, *, flag: int = 0) -> None:
    """The PLC writes JAM on MIX1 with a clock that is no BCD (month 0x1A), flagged new."""
    words = [0x4D49, 0x5831, 0, 0, 0, 0, 0, 0,  # "MIX1"
             0x4A41, 0x4D00, 0, 0, 0, 0, 0, 0,  # "JAM"
             to_bcd(2026, 4), 0x1A, 0x05, 0x10, 0x20, 0x30, flag]
    sim.write_registers(sim.register_map.failure_area[0], words)


async def test_two_occurrences_with_an_invalid_plc_clock_are_both_counted_and_reported(
        make_runtime, fake_odoo, plc_sim, caplog):
    """The same text with the same invalid clock, raised again after the HMI acknowledged it, is a
    second occurrence: counted on the one row, logged, unacknowledged for the operator again, and
    Odoo hears of it. Occurrences while Odoo refuses go in one report naming them."""
    runtime = await make_runtime(fake_odoo, plc_sim)
    service = runtime.equipment_failures
    _invalid_clock_record(plc_sim)
    await runtime.poll.poll()
    await service.report_outstanding()
    (row,) = await service.list()
    assert await service.acknowledge(row.id, "operator1")

    with caplog.at_level(logging.WARNING, logger="hmi.failures"):
        _invalid_clock_record(plc_sim)  # the PLC raises it again: same words, flagged new
        await runtime.poll.poll()
        await runtime.poll.poll()  # acknowledged on the PLC now: read again, not counted
    assert plc_sim.failure_record().flag == 1 and plc_sim.plc.failures_acknowledged == 2
    (row,) = await service.list()
    assert (row.occurrences, row.reported_occurrences, row.acknowledged_at) == (2, 1, None)
    assert row.last_occurred_at > row.read_at and row.plc_acknowledged_at is not None
    assert caplog.records[-1].getMessage().startswith(
        "Equipment failure on MIX1: JAM (PLC time raw 2026 001A 0005 0010 0020 0030) again, occurrence 2")
    await service.report_outstanding()

    fake_odoo.set_faults(application_error="maintenance", route="/api/scada/equipment-failure")
    service.retry_first_seconds = service.retry_max_seconds = 0
    for _ in range(2):
        _invalid_clock_record(plc_sim)
        await runtime.poll.poll()
        await service.report_outstanding()
    fake_odoo.clear_faults()
    await service.report_outstanding()

    (row,) = await service.list()
    assert (row.occurrences, row.reported_occurrences) == (4, 4)
    accepted = [r["body"] for r in fake_odoo.equipment_failures]  # (the fake keeps no refused ones)
    note = "PLC timestamp is not valid BCD (month 001A)"
    assert [r["description"] for r in accepted] == [
        f"JAM ({note})", f"JAM ({note}) (occurrence 2)", f"JAM ({note}) (occurrences 3-4)"]
    assert {r["equipment_code"] for r in accepted} == {"MIX1"}


async def test_reread_before_acknowledge_is_not_a_second_occurrence(make_runtime, fake_odoo, tmp_path, database_url):
    """Stored, then the acknowledgement does not get through and the service restarts: the record
    still flagged new on the PLC is the same occurrence — stored, counted and reported once."""
    sim = PlcSimulator("127.0.0.1", 0, protocol="fins-tcp", seed=3, scan_interval=0.02)
    await sim.start()
    try:
        first = await _runtime(make_runtime, fake_odoo, sim)
        ack = sim.register_map.failure_ack_address
        sim.refuse(ack, writes=True, reads=False, code=0x2202)  # the acknowledgement does not get through
        sim.raise_failure("DRYER2", "HIGH TEMP", WHEN)
        await first.poll.poll()
        await first.poll.poll()  # read again, still new on the PLC: the same occurrence
        assert sim.failure_record().flag == 0
        (row,) = await first.equipment_failures.list()
        assert row.occurrences == 1 and row.plc_acknowledged_at is None
        await first.stop()  # the service stops between storing and acknowledging

        sim.clear_refusals()
        second = await _runtime(make_runtime, fake_odoo, sim)
        await second.poll_and_complete()
        await second.poll_and_complete()
        (row,) = await second.equipment_failures.list()
        assert row.occurrences == 1 and row.plc_acknowledged_at is not None and row.fully_reported
        assert len(fake_odoo.equipment_failures) == 1
        assert sim.failure_record().flag == 1 and sim.plc.failures_acknowledged == 1
    finally:
        await sim.stop()


@pytest.mark.parametrize("point", ["failures.after_store", "failures.after_plc_ack", "failures.after_report"])
async def test_a_crash_anywhere_loses_no_occurrence(make_runtime, fake_odoo, plc_sim, point):
    """The service dies between any two steps; after the restart the occurrence is stored, acknowledged
    and reported, and the PLC raising the record again is a second occurrence."""
    first = await make_runtime(fake_odoo, plc_sim)
    _invalid_clock_record(plc_sim)
    crash_points.arm(lambda name: name == point)
    try:
        with pytest.raises(crash_points.SimulatedCrash):
            await first.poll_and_complete()
    finally:
        crash_points.arm(None)
    await first.stop()

    second = await make_runtime(fake_odoo, plc_sim)
    await second.poll_and_complete()
    (row,) = await second.equipment_failures.list()
    assert (row.occurrences, row.reported_occurrences) == (1, 1) and plc_sim.failure_record().flag == 1
    # Odoo answered but the service died before recording it: Odoo hears of that occurrence twice.
    assert len(fake_odoo.equipment_failures) == (2 if point == "failures.after_report" else 1)

    _invalid_clock_record(plc_sim)
    await second.poll_and_complete()
    (row,) = await second.equipment_failures.list()
    assert (row.occurrences, row.reported_occurrences) == (2, 2) and plc_sim.failure_record().flag == 1
    assert fake_odoo.equipment_failures[-1]["body"]["description"].endswith("(occurrence 2)")


async def test_failure_report_never_waits_inside_the_poll(make_runtime, fake_odoo, plc_sim, monkeypatch):
    """Odoo holds the failure report without answering: the polls go on reading, storing and
    acknowledging while the report (the completion tick's) waits for its answer."""
    runtime = await make_runtime(fake_odoo, plc_sim)
    service = runtime.equipment_failures
    fake_odoo.set_faults(delay_seconds=60, route="/api/scada/equipment-failure")
    held = threading.Event()  # set by the fake Odoo's handler when it starts holding the request
    pause = fake_odoo.pause

    def hold(seconds: float) -> bool:
        held.set()
        return pause(seconds)

    monkeypatch.setattr(fake_odoo, "pause", hold)
    plc_sim.raise_failure("MIXER01", "MOTOR OVERLOAD", WHEN)
    await runtime.poll.poll()
    reporting = asyncio.create_task(service.report_outstanding())
    assert await wait_for(held.is_set, timeout=10)  # Odoo has the report and does not answer

    plc_sim.raise_failure("DRYER2", "HIGH TEMP", WHEN)
    await runtime.poll.poll()
    await runtime.poll.poll()

    assert not reporting.done()  # the polls above ran to their end while the report still waits
    assert plc_sim.failure_record().flag == 1 and plc_sim.plc.failures_acknowledged == 2
    assert sorted(r.info for r in await service.list()) == ["HIGH TEMP", "MOTOR OVERLOAD"]
    assert await service.report_outstanding() == 0  # one round at a time: the second caller does not queue
    assert await reporting == 0  # the held report ends with the client's timeout and is kept for later
    fake_odoo.clear_faults()
    service.retry_first_seconds = 0
    assert await service.report_outstanding() == 2
    assert sorted(r["body"]["equipment_code"] for r in fake_odoo.equipment_failures) == ["DRYER2", "MIXER01"]


async def test_same_equipment_on_two_lines_are_two_records(make_runtime, fake_odoo, tmp_path):
    """Two lines on one database report the same equipment code, text and (invalid) clock: each
    line keeps, counts and reports its own record."""
    sims = [PlcSimulator("127.0.0.1", 0, seed=n, scan_interval=0.02) for n in (1, 2)]
    for sim in sims:
        await sim.start()
    try:
        lines = [await make_runtime(fake_odoo, sim, LINE_EQUIPMENT_CODE=code, DATA_DIR=tmp_path / code)
                 for sim, code in zip(sims, ("PLC01", "PLC02"))]
        for sim, runtime in zip(sims, lines):
            _invalid_clock_record(sim)
            await runtime.poll_and_complete()
        _invalid_clock_record(sims[1])  # the second line raises it again
        await lines[1].poll_and_complete()
        for sim in sims:
            assert sim.failure_record().flag == 1
        rows = {runtime.settings.line_equipment_code: await runtime.equipment_failures.list() for runtime in lines}
        assert {line: [(r.line, r.equipment_code, r.occurrences, r.reported_occurrences) for r in found]
                for line, found in rows.items()} == {"PLC01": [("PLC01", "MIX1", 1, 1)],
                                                     "PLC02": [("PLC02", "MIX1", 2, 2)]}
        assert len(fake_odoo.equipment_failures) == 3
    finally:
        for sim in sims:
            await sim.stop()


async def test_odoo_down_keeps_the_record_and_reports_it_later(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim)
    service = runtime.equipment_failures
    fake_odoo.set_faults(application_error="maintenance", route="/api/scada/equipment-failure")
    plc_sim.raise_failure("BELT3", "STOPPED", WHEN)
    await runtime.poll_and_complete()
    assert plc_sim.failure_record().flag == 1  # stored: the PLC may show the next one
    (row,) = await service.list()
    assert row.reported_at is None and row.last_report_error and row.report_attempts == 1
    fake_odoo.clear_faults()
    await runtime.poll_and_complete()  # within the pause after a refusal: not tried yet
    assert (await service.list())[0].reported_at is None
    service.retry_first_seconds = 0
    await service.report_outstanding()  # the round after the pause (the completion tick's)
    assert (await service.list())[0].reported_at is not None
    assert [r["result"]["status"] for r in fake_odoo.equipment_failures] == ["success"]  # the refusal is not a record
    await runtime.poll_and_complete()
    assert len(fake_odoo.equipment_failures) == 1


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
