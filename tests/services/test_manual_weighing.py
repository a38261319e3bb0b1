"""The PLC's manual-weighing area (origin D9000…) fills the hand-added checklist; the scan stays lean."""

from __future__ import annotations

import json
import logging

import pytest

from hmi.domain import HandAddSource
from hmi.plc.errors import RegisterMapError
from hmi.plc.link import PlcLink
from hmi.plc.register_map import DEFAULT_REGISTER_MAP_PATH, load_register_map, register_map_from_dict
from hmi.services.poll import PLC_SCALE_ACTOR
from hmi.sim.plc import PlcSimulator
from tests.plc.conftest import FAST_LINK

ORIGIN_AREA = {"start": 9000, "fields": {"batch_no": 0, "mo_id": 1, "product_id": 9, "consumption": 10,
                                         "status_read_data": 12}}


def _map_file(tmp_path, start: int = 9000, *, failure_area: bool = True, fins_start: int | None = None):
    data = json.loads(DEFAULT_REGISTER_MAP_PATH.read_text())
    data["manual_weighing"] = {**ORIGIN_AREA, "start": start}
    if not failure_area:
        data.pop("failure_area_start")
        data["fins"].pop("failure_area_start")
    if fins_start is not None:
        data["fins"]["manual_weighing_start"] = fins_start
    path = tmp_path / f"map-{start}-{failure_area}-{fins_start}.json"
    path.write_text(json.dumps(data))
    return path


def _plan(path=None, *, watch_failures: bool = False):
    link = PlcLink("127.0.0.1", 1, register_map=load_register_map(path))
    link.watch_failure_area = watch_failures
    return link.read_plan


def test_the_area_costs_a_request_only_where_no_combined_read_can_carry_it(tmp_path):
    default = _plan()
    assert len(default) == 8
    far = _plan(_map_file(tmp_path, 9000))
    assert len(far) == len(default) + 1 and (far[-1].start, far[-1].count) == (9000, 13)
    # With the equipment-failure area in the same scan the origin's D9000 still costs exactly one request.
    far_with_failures = _plan(_map_file(tmp_path, 9000), watch_failures=True)
    assert len(far_with_failures) == len(_plan(watch_failures=True)) + 1
    assert (far_with_failures[-1].start, far_with_failures[-1].count) == (9000, 13)
    # A PLC program without the failure area: right after READ slot 10, the last request carries it.
    near = _plan(_map_file(tmp_path, 6977, failure_area=False))
    assert len(near) == len(default)


def test_the_area_may_not_share_words_with_the_failure_area(tmp_path):
    with pytest.raises(RegisterMapError, match="overlaps the failure area"):
        load_register_map(_map_file(tmp_path, 6977))


def test_fins_reads_the_area_at_its_own_dm_address(tmp_path):
    fins = load_register_map(_map_file(tmp_path, 9000, fins_start=9100)).for_protocol("fins-udp")
    assert fins.manual_field_address("status_read_data") == 9112
    assert load_register_map(_map_file(tmp_path, 9000)).for_protocol("fins-tcp").manual_weighing.start == 9000


@pytest.mark.parametrize("protocol", ["modbus", "fins-udp", "fins-tcp"])
async def test_the_scan_carries_a_weighing_over_every_protocol_and_the_flag_is_set(protocol, tmp_path):
    register_map = load_register_map(_map_file(tmp_path, 9000))
    sim = PlcSimulator("127.0.0.1", 0, protocol=protocol, scan_interval=0.01, register_map=register_map)
    await sim.start()
    link = PlcLink("127.0.0.1", sim.port, protocol=protocol, register_map=register_map, **FAST_LINK)
    await link.connection.start()
    try:
        assert await link.connection.wait_connected(5)
        link.watch_failure_area = True
        sim.manual_weigh(3, "WH/MO/00012", 207, 2.45)
        sim.raise_failure("MIXER01", "MOTOR OVERLOAD")
        scan = await link.scan()
        assert len(scan.slots) == register_map.slot_count
        weighing = scan.manual_weighing
        assert (weighing.batch_no, weighing.mo_id, weighing.product_id, weighing.kg) == (3, "WH/MO/00012", 207, 2.45)
        assert not weighing.status_read_data and not sim.manual_weighing_taken
        assert link.take_failure_record().equipment_code == "MIXER01"  # the same scan read both areas
        await link.acknowledge_manual_weighing()
        assert sim.manual_weighing_taken
        assert (await link.scan()).manual_weighing.status_read_data
    finally:
        await link.connection.stop()
        await sim.stop()


@pytest.mark.parametrize(("area", "why"), [
    ({"start": 6950, "fields": ORIGIN_AREA["fields"]}, "overlaps the READ area"),
    ({"start": 9000, "fields": {**ORIGIN_AREA["fields"], "consumption": 12}}, "overlap"),
    ({"start": 9000, "fields": {"batch_no": 0}}, "missing"),
    ({"start": 9000}, "manual_weighing must be"),
])
def test_bad_manual_weighing_areas_are_refused(area, why):
    data = json.loads(DEFAULT_REGISTER_MAP_PATH.read_text())
    data["manual_weighing"] = area
    with pytest.raises(RegisterMapError, match=why):
        register_map_from_dict(data)


async def test_a_weighing_at_the_scale_station_confirms_the_checklist_line(make_runtime, fake_odoo, tmp_path,
                                                                            caplog):
    caplog.set_level(logging.INFO)
    path = _map_file(tmp_path)
    sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=30, seed=3, scan_interval=0.02,
                       register_map=load_register_map(path))
    await sim.start()
    try:
        runtime = await make_runtime(fake_odoo, sim, SYNC_BATCH_LIMIT=1, PLC_REGISTER_MAP=str(path))
        await runtime.sync.sync("manual")
        (batch,) = await runtime.db(runtime.store.list_batches)
        line = batch.hand_added[0]

        sim.manual_weigh(batch.batch_no, batch.plc_key, line.product_id, round(line.target_kg + 0.03, 2))
        report = await runtime.poll.poll()
        assert report.weighed == [f"{batch.mo_id} {line.product_id}"]
        assert sim.manual_weighing_taken
        (stored,) = [x for x in await runtime.hand_add.lines(batch.mo_id) if x.product_id == line.product_id]
        assert (stored.actual_kg, stored.confirmed_by, stored.source) == (
            round(line.target_kg + 0.03, 2), PLC_SCALE_ACTOR, HandAddSource.PLC)

        # Taken once: the next polls see the flag set and change nothing.
        await runtime.poll.poll()
        assert sum("confirmed by PLC scale" in m for m in caplog.messages) == 1

        # A weighing of a product the batch does not have is named and acknowledged, not stored.
        sim.manual_weigh(batch.batch_no, batch.plc_key, 4242, 1.0)
        report = await runtime.poll.poll()
        assert report.weighed == [] and sim.manual_weighing_taken
        assert any("PLC manual weighing of product 4242" in m and "not taken" in m for m in caplog.messages)
    finally:
        await sim.stop()
