"""The equipment-failure area: its pure codec (BCD, texts, notes) and the scan that carries it."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from pymodbus.constants import ExcCodes

from hmi.plc.failure_area import decode_failure, encode_failure, to_bcd
from hmi.plc.link import PlcLink
from hmi.plc.register_map import default_register_map
from hmi.sim.plc import PlcSimulator
from tests.plc.conftest import FAST_LINK


def test_record_round_trips_and_is_new_until_acknowledged():
    words = encode_failure("MIXER01", "MOTOR OVERLOAD", datetime(2026, 11, 30, 1, 2, 3), default_register_map())
    assert words[16:22] == [0x2026, 0x11, 0x30, 0x01, 0x02, 0x03]
    record = decode_failure(words)
    assert (record.equipment_code, record.info, record.occurred_at) == (
        "MIXER01", "MOTOR OVERLOAD", datetime(2026, 11, 30, 1, 2, 3))
    assert record.time_text == "2026-11-30 01:02:03" and record.is_new and not record.notes
    words[22] = 1
    assert not decode_failure(words).is_new


def test_empty_area_and_no_failure_texts_are_not_records():
    assert not decode_failure([0] * 23).is_new
    words = encode_failure("", "NO_FAILURE", datetime(2026, 1, 1), default_register_map())
    assert decode_failure(words).is_empty


@pytest.mark.parametrize("time_words, note", [
    ([0x2026, 0x1A, 0x05, 0x10, 0x20, 0x30], "PLC timestamp is not valid BCD (month 001A)"),
    ([0x2026, 0x02, 0x30, 0x10, 0x20, 0x30], "PLC timestamp is not a valid date"),
    ([0xFFFF, 0x00, 0x00, 0x00, 0x00, 0x00], "PLC timestamp is not valid BCD (year FFFF)"),
])
def test_bad_timestamps_are_kept_raw_with_a_note(time_words, note):
    words = encode_failure("DRYER2", "HIGH TEMP", datetime(2026, 1, 1), default_register_map())
    words[16:22] = time_words
    record = decode_failure(words)
    assert record.occurred_at is None and record.is_new
    assert record.time_text == "raw " + " ".join(f"{w:04X}" for w in time_words)
    assert any(note in n for n in record.notes)


def test_unreadable_bytes_are_dropped_with_a_note():
    words = encode_failure("MIX", "JAM", datetime(2026, 1, 1), default_register_map())
    words[1:3] = [0x5807, 0x3100]  # "MIX\x071"
    record = decode_failure(words)
    assert record.equipment_code == "MIX1"
    assert "equipment code had 1 unreadable byte(s), dropped" in record.notes


def test_bcd_encoding_refuses_what_does_not_fit():
    assert to_bcd(59) == 0x59 and to_bcd(2026, 4) == 0x2026
    with pytest.raises(ValueError):
        to_bcd(100)


@pytest.mark.parametrize("protocol", ["modbus", "fins-udp"])
async def test_a_plc_refusing_the_failure_area_keeps_the_scan_going(protocol, caplog):
    sim = PlcSimulator("127.0.0.1", 0, protocol=protocol, scan_interval=0.01)
    await sim.start()
    link = PlcLink("127.0.0.1", sim.port, protocol=protocol, **FAST_LINK)
    await link.connection.start()
    try:
        assert await link.connection.wait_connected(5)
        link.watch_failure_area = True
        first, count = sim.register_map.failure_area
        sim.refuse(first, count, writes=False, code=0x1103 if protocol == "fins-udp" else ExcCodes.ILLEGAL_ADDRESS)
        sim.set_field("read", 10, "mo_id", "WH/MO/00010")
        with caplog.at_level(logging.WARNING, logger="hmi.plc"):
            for _ in range(3):
                readings = await link.read_all_slots()
                assert readings[9].mo_id == "WH/MO/00010"
        assert [r.getMessage() for r in caplog.records if "failure area" in r.getMessage()][:1]
        assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
        assert not link.watch_failure_area
    finally:
        await link.connection.stop()
        await sim.stop()
