"""Register map: the default file matches the documented origin layout; bad maps are refused."""

from __future__ import annotations

import json

import pytest

from hmi.domain import Silo
from hmi.plc.errors import RegisterMapError
from hmi.plc.read_plan import plan_reads, slice_words
from hmi.plc.register_map import (
    DEFAULT_REGISTER_MAP_PATH,
    RealEncoding,
    WordOrder,
    consumption_field,
    default_register_map,
    load_register_map,
    silo_id_field,
)


def test_default_map_is_the_origin_layout():
    m = default_register_map()
    assert m.slot_count == 10 and m.slot_length == 77
    assert m.real_encoding is RealEncoding.SCALED_INT32 and m.real_scale == 100
    assert m.word_order is WordOrder.BIG
    assert [m.read_slot_start(n) for n in (1, 2, 10)] == [6000, 6100, 6900]
    assert [m.write_slot_start(n) for n in (1, 2, 10)] == [7000, 7100, 7900]
    assert m.write_ready_address == 7076
    assert m.read_ack_address(1) == 6076 and m.read_ack_address(10) == 6976
    for silo in Silo:
        k = silo.equipment_id
        assert m.field_offsets[silo_id_field(silo)] == 27 + 3 * (k - 101)
        assert m.field_offsets[consumption_field(silo)] == 28 + 3 * (k - 101)
    assert m.write_field_address(1, "status_manufacturing") == 7072
    assert m.read_field_address(3, "weight_finished_good") == 6274


def test_slot_count_override_and_limits():
    assert load_register_map(slot_count=3).slot_count == 3
    with pytest.raises(RegisterMapError, match="overlaps"):
        load_register_map(slot_count=11)
    with pytest.raises(RegisterMapError, match="integer"):
        load_register_map(slot_count=0)


def _write(tmp_path, **changes):
    data = json.loads(DEFAULT_REGISTER_MAP_PATH.read_text())
    data.update(changes)
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data))
    return path


def test_other_plc_program_by_file(tmp_path):
    path = _write(tmp_path, read_area_start=0, write_area_start=2000, slot_count=12,
                  real_encoding="float32", word_order="little")
    m = load_register_map(path)
    assert m.read_slot_start(12) == 1100 and m.write_slot_start(1) == 2000
    assert m.real_encoding is RealEncoding.FLOAT32 and m.word_order is WordOrder.LITTLE


def test_addresses_beyond_65535_rejected(tmp_path):
    path = _write(tmp_path, read_area_start=0, write_area_start=65000)
    with pytest.raises(RegisterMapError, match="65535"):
        load_register_map(path)


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(word_order="middle"), "word_order"),
        (dict(real_encoding="bcd"), "real_encoding"),
        (dict(slot_stride=50), "slot_stride"),
        (dict(colour="red"), "unknown keys"),
    ],
)
def test_bad_settings_rejected(tmp_path, changes, message):
    with pytest.raises(RegisterMapError, match=message):
        load_register_map(_write(tmp_path, **changes))


def test_overlapping_fields_rejected(tmp_path):
    data = json.loads(DEFAULT_REGISTER_MAP_PATH.read_text())
    data["fields"]["bom_code"] = 5
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RegisterMapError, match="overlap"):
        load_register_map(path)


def test_missing_file_named_in_error(tmp_path):
    with pytest.raises(RegisterMapError, match="nope.json"):
        load_register_map(tmp_path / "nope.json")


def test_ten_slots_read_in_eight_requests_covering_every_word():
    m = default_register_map()
    ranges = [(m.read_slot_start(n), m.slot_length) for n in m.slots]
    plan = plan_reads(ranges)
    assert len(plan) <= 8
    assert all(1 <= r.count <= 125 for r in plan)
    assert plan[-1].end == 6976  # never reads past the last slot
    responses = [list(range(r.start, r.start + r.count)) for r in plan]
    for start, count in ranges:
        assert slice_words(plan, responses, start, count) == list(range(start, start + count))


def test_without_gap_reading_one_request_per_slot():
    m = default_register_map()
    plan = plan_reads([(m.read_slot_start(n), m.slot_length) for n in m.slots], through_gaps=False)
    assert [(r.start, r.count) for r in plan] == [(6000 + 100 * i, 77) for i in range(10)]
