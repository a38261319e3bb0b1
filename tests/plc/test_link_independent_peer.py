"""PlcLink against a Modbus server we did not write (pyModbusTCP), holding a register image built by
hand from docs/plc-register-map.md. If codec and server agreed on a wrong byte or word order, the
simulator tests would still pass; these would not."""

from __future__ import annotations

import pytest
from pyModbusTCP.server import ModbusServer

from hmi.domain import BatchRecipe, Silo
from hmi.plc.link import PlcLink
from hmi.plc.register_map import default_register_map
from tests.plc.conftest import FAST_LINK

# "WH/MO/00011": 'W'=0x57 'H'=0x48, '/'=0x2F 'M'=0x4D, ... first character in the high byte, NUL-padded.
MO_WORDS = [0x5748, 0x2F4D, 0x4F2F, 0x3030, 0x3031, 0x3100, 0x0000, 0x0000]
# "FEED": 'F'=0x46 'E'=0x45, 'E'=0x45 'D'=0x44
PRODUCT_WORDS = [0x4645, 0x4544, 0, 0, 0, 0, 0, 0]


@pytest.fixture
def peer(free_port):
    server = ModbusServer(host="127.0.0.1", port=free_port, no_block=True)
    server.start()
    yield server
    server.stop()


async def _link(peer, register_map=None) -> PlcLink:
    link = PlcLink("127.0.0.1", peer.port, register_map=register_map, **FAST_LINK)
    await link.connection.start()
    assert await link.connection.wait_connected(5)
    return link


async def test_reads_a_hand_built_origin_image(peer):
    bank = peer.data_bank
    base = 6200  # READ slot 3 = 6000 + 100·2
    bank.set_holding_registers(base + 0, [7])  # BATCH
    bank.set_holding_registers(base + 1, MO_WORDS)  # NO-MO
    bank.set_holding_registers(base + 17, PRODUCT_WORDS)  # finished_goods
    bank.set_holding_registers(base + 25, [0x0001, 0x86A0])  # quantity 1000.00 kg = 100000
    bank.set_holding_registers(base + 27, [101, 0x0000, 0x94ED])  # silo A, 381.25 kg = 38125
    bank.set_holding_registers(base + 69, [115, 0x006A, 0xCFC0])  # LQ115, 70000.00 kg = 7000000
    bank.set_holding_registers(base + 72, [1, 0])  # status_manufacturing=1, status_operation=0
    bank.set_holding_registers(base + 74, [0x006B, 0x64AD])  # weight 70381.25 kg = 7038125
    link = await _link(peer)
    try:
        before = link.connection.request_count
        readings = await link.read_all_slots()
        assert link.connection.request_count - before <= 8
    finally:
        await link.connection.stop()
    slot3 = readings[2]
    assert (slot3.slot, slot3.batch_no, slot3.mo_id, slot3.product_name) == (3, 7, "WH/MO/00011", "FEED")
    assert slot3.quantity == 1000.0
    assert slot3.actual_kg[Silo.A] == 381.25
    assert slot3.actual_kg[Silo.LQ115] == 70000.0
    assert slot3.silo_ids[Silo.A] == 101 and slot3.silo_ids[Silo.LQ115] == 115
    assert slot3.status_manufacturing and not slot3.status_operation
    assert slot3.weight_finished_good == 70381.25
    assert readings[1].is_empty and readings[3].is_empty


async def test_float32_little_word_order_against_hand_built_words(peer):
    bank = peer.data_bank
    bank.set_holding_registers(6028, [0x0000, 0x4148])  # 12.5 as float32 0x41480000, low word first
    bank.set_holding_registers(6025, [0x0000, 0x3F80])  # 1.0 = 0x3F800000
    register_map = default_register_map().with_options(real_encoding="float32", word_order="little")
    link = await _link(peer, register_map)
    try:
        slot1 = await link.read_slot(1)
    finally:
        await link.connection.stop()
    assert slot1.actual_kg[Silo.A] == 12.5 and slot1.quantity == 1.0


async def test_writes_the_documented_words(peer):
    bank = peer.data_bank
    bank.set_holding_registers(7076, [1])  # PLC ready for a download
    bank.set_holding_registers(7100, [9] * 77)  # a stale recipe in WRITE slot 2
    recipe = BatchRecipe(
        batch_no=7,
        mo_id="WH/MO/00011",
        bom_code="",
        product_name="FEED",
        quantity=1000.0,
        targets_kg={Silo.A: 381.25, Silo.LQ115: 70000.0},
    )
    link = await _link(peer)
    try:
        assert (await link.write_recipes([recipe])).written
        await link.acknowledge_read(3)
    finally:
        await link.connection.stop()
    words = bank.get_holding_registers(7000, 77)
    assert words[0] == 7
    assert words[1:9] == MO_WORDS
    assert words[9:17] == [0] * 8
    assert words[17:25] == PRODUCT_WORDS
    assert words[25:27] == [0x0001, 0x86A0]
    assert words[27:30] == [101, 0x0000, 0x94ED]
    assert words[30:33] == [102, 0, 0]
    assert words[69:72] == [115, 0x006A, 0xCFC0]
    assert words[72:77] == [0, 0, 0, 0, 0]  # status words 0; 7076 handshake set to 0 last
    assert bank.get_holding_registers(7100, 77) == [0] * 77  # stale slot cleared
    assert bank.get_holding_registers(6276, 1) == [1]  # READ slot 3 acknowledged
