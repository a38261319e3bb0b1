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

ORIGIN_AREA = {"start": 9000, "fields": {"batch_no": 0, "mo_id": 1, "product_id": 9, "consumption": 10,
                                         "status_read_data": 12}}


def _map_file(tmp_path, start: int = 9000):
    data = json.loads(DEFAULT_REGISTER_MAP_PATH.read_text())
    data["manual_weighing"] = {**ORIGIN_AREA, "start": start}
    path = tmp_path / f"map-{start}.json"
    path.write_text(json.dumps(data))
    return path


def test_the_area_costs_a_request_only_where_no_combined_read_can_carry_it(tmp_path):
    default = PlcLink("127.0.0.1", 1, register_map=load_register_map()).read_plan
    far = PlcLink("127.0.0.1", 1, register_map=load_register_map(_map_file(tmp_path, 9000))).read_plan
    near = PlcLink("127.0.0.1", 1, register_map=load_register_map(_map_file(tmp_path, 6977))).read_plan
    assert len(default) == 8
    assert len(near) == len(default)  # right after READ slot 10: the last request carries it
    assert len(far) == len(default) + 1 and (far[-1].start, far[-1].count) == (9000, 13)


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
