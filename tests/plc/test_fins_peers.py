"""Our FINS driver and simulator against two FINS clients we did not write (test-only peers):
omniplc (native asyncio, UDP and TCP) and fins-driver (UDP, sync, run in a thread).

Both directions, every field of the map: our driver downloads a recipe and a peer reads the same
DM words and decodes them by docs/plc-register-map.md alone (no project codec); a peer writes a
READ slot image built the same way and our driver decodes it.
"""

from __future__ import annotations

import asyncio

import pytest

from hmi.domain import ALL_SILOS, BatchRecipe, Silo
from hmi.plc.link import PlcLink
from hmi.sim.plc import PlcSimulator
from tests.plc.conftest import FAST_LINK

omniplc = pytest.importorskip("omniplc")
fins_driver = pytest.importorskip("fins.client")
from omniplc.native import AsyncOmronFinsTcpClient, AsyncOmronFinsUdpClient  # noqa: E402

omniplc.set_lang("en")

RECIPE = BatchRecipe(
    batch_no=7, mo_id="WH/MO/00042", bom_code="BOM/LAYER-3", product_name="[10092] JF SAPOT",
    quantity=2345.67, targets_kg={silo: 10.0 * index + 0.25 for index, silo in enumerate(ALL_SILOS, start=1)},
)


# ---- the documented map, decoded and encoded by hand -----------------------------------------
def text(words: list[int]) -> str:
    return b"".join(w.to_bytes(2, "big") for w in words).rstrip(b"\0").decode("ascii")


def text_words(value: str) -> list[int]:
    data = value.encode("ascii").ljust(16, b"\0")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, 16, 2)]


def real(words: list[int]) -> float:
    return ((words[0] << 16) | words[1]) / 100


def real_words(kg: float) -> list[int]:
    raw = round(kg * 100)
    return [raw >> 16, raw & 0xFFFF]


def decode_slot_by_hand(words: list[int]) -> dict:
    slot = {"batch_no": words[0], "mo_id": text(words[1:9]), "bom_code": text(words[9:17]),
            "product_name": text(words[17:25]), "quantity": real(words[25:27])}
    for k in range(101, 116):
        offset = 27 + 3 * (k - 101)
        slot[f"silo_id_{k}"] = words[offset]
        slot[f"consumption_{k}"] = real(words[offset + 1: offset + 3])
    slot.update(status_manufacturing=words[72], status_operation=words[73],
                weight_finished_good=real(words[74:76]), status_read_data=words[76])
    return slot


def read_slot_image() -> list[int]:
    words = [0] * 77
    words[0] = 9
    words[1:9] = text_words("WH/MO/00099")
    words[9:17] = text_words("BOM/BROILER")
    words[17:25] = text_words("BROILER START")
    words[25:27] = real_words(1500.5)
    for k in range(101, 116):
        offset = 27 + 3 * (k - 101)
        words[offset] = k
        words[offset + 1: offset + 3] = real_words(k + 0.01 * (k - 100))
    words[72], words[73] = 1, 0
    words[74:76] = real_words(1750.75)
    words[76] = 0
    return words


def assert_recipe_crossed(slot: dict) -> None:
    assert slot["batch_no"] == RECIPE.batch_no
    assert slot["mo_id"] == RECIPE.mo_id and slot["bom_code"] == RECIPE.bom_code
    assert slot["product_name"] == RECIPE.product_name and slot["quantity"] == RECIPE.quantity
    for silo in ALL_SILOS:
        assert slot[f"silo_id_{silo.equipment_id}"] == silo.equipment_id
        assert slot[f"consumption_{silo.equipment_id}"] == RECIPE.targets_kg[silo]
    assert (slot["status_manufacturing"], slot["status_operation"], slot["weight_finished_good"]) == (0, 0, 0.0)


async def assert_image_crossed(link: PlcLink, slot_no: int) -> None:
    reading = (await link.read_all_slots())[slot_no - 1]
    assert (reading.batch_no, reading.mo_id, reading.bom_code, reading.product_name) == (
        9, "WH/MO/00099", "BOM/BROILER", "BROILER START")
    assert reading.quantity == 1500.5
    for silo in ALL_SILOS:
        k = silo.equipment_id
        assert reading.silo_ids[silo] == k
        assert reading.actual_kg[silo] == round(k + 0.01 * (k - 100), 2)
    assert reading.status_manufacturing and not reading.status_operation and not reading.status_read_data
    assert reading.weight_finished_good == 1750.75


async def _setup(protocol: str):
    sim = PlcSimulator("127.0.0.1", 0, protocol=protocol, batch_seconds=60, scan_interval=0.01, fins_node=2)
    await sim.start()
    sim.pause()  # keep the written words where the driver put them
    link = PlcLink("127.0.0.1", sim.port, protocol=protocol, fins_node=2, fins_client_node=11, **FAST_LINK)
    await link.connection.start()
    assert await link.connection.wait_connected(5)
    return sim, link


@pytest.mark.parametrize("protocol, peer_class", [("fins-udp", AsyncOmronFinsUdpClient),
                                                  ("fins-tcp", AsyncOmronFinsTcpClient)])
async def test_omniplc_reads_our_recipe_and_we_read_its_image(protocol, peer_class):
    sim, link = await _setup(protocol)
    if protocol == "fins-udp":
        peer = peer_class("127.0.0.1", sim.port, destination_node=2, source_node=12)
    else:
        peer = peer_class("127.0.0.1", sim.port)
    try:
        assert await peer.connect()
        assert (await link.write_recipes([RECIPE])).written
        ok, words = await peer.read_range("D7000", 77, "ushort")
        assert ok
        assert_recipe_crossed(decode_slot_by_hand(list(words)))
        ok, ready = await peer.read_range("D7076", 1, "ushort")
        assert ok and ready == [0]  # the handshake word, written last

        image = read_slot_image()
        results = await peer.write_many([(f"D{6300 + i}", "ushort", w) for i, w in enumerate(image)])
        assert all(results)
        await assert_image_crossed(link, 4)
    finally:
        await peer.close()
        await link.connection.stop()
        await sim.stop()


async def test_fins_driver_reads_our_recipe_and_we_read_its_image():
    from fins.client import FinsClient

    sim, link = await _setup("fins-udp")
    peer = FinsClient("127.0.0.1", sim.port, timeout=2, mode="udp")
    peer.da1, peer.sa1 = 2, 13
    try:
        await asyncio.to_thread(peer.connect)
        assert (await link.write_recipes([RECIPE])).written
        response = await asyncio.to_thread(peer.memory_area_read, "D7000", 77)
        assert response.ok
        words = [int.from_bytes(response.data[i:i + 2], "big") for i in range(0, 154, 2)]
        assert_recipe_crossed(decode_slot_by_hand(words))

        image = b"".join(w.to_bytes(2, "big") for w in read_slot_image())
        written = await asyncio.to_thread(peer.memory_area_write, "D6900", image, 77)
        assert written.ok
        await assert_image_crossed(link, 10)

        refused = await asyncio.to_thread(peer.memory_area_read, "D32760", 20)
        assert refused.code == b"\x11\x04"  # the simulator's end code: range past the DM area
    finally:
        await asyncio.to_thread(peer.close)
        await link.connection.stop()
        await sim.stop()


async def test_simulator_failure_record_read_by_omniplc_as_documented():
    sim = PlcSimulator("127.0.0.1", 0, protocol="fins-udp", fins_node=2)
    await sim.start()
    peer = AsyncOmronFinsUdpClient("127.0.0.1", sim.port, destination_node=2, source_node=12)
    try:
        from datetime import datetime

        sim.raise_failure("MIXER01", "MOTOR OVERLOAD", datetime(2026, 11, 30, 1, 2, 3))
        assert await peer.connect()
        ok, words = await peer.read_range("D8000", 23, "ushort")
        assert ok
        assert text(words[0:8]) == "MIXER01" and text(words[8:16]) == "MOTOR OVERLOAD"
        assert words[16:22] == [0x2026, 0x11, 0x30, 0x01, 0x02, 0x03] and words[22] == 0
    finally:
        await peer.close()
        await sim.stop()


async def test_failure_area_crosses_both_ways_with_omniplc():
    sim, link = await _setup("fins-tcp")
    peer = AsyncOmronFinsTcpClient("127.0.0.1", sim.port)
    try:
        assert await peer.connect()
        image = text_words("BELT-07") + text_words("SPEED SENSOR") + [0x2026, 0x12, 0x01, 0x23, 0x59, 0x58, 0]
        assert all(await peer.write_many([(f"D{8000 + i}", "ushort", w) for i, w in enumerate(image)]))
        record = await link.read_failure_area()
        assert (record.equipment_code, record.info, record.time_text, record.is_new) == (
            "BELT-07", "SPEED SENSOR", "2026-12-01 23:59:58", True)
        await link.acknowledge_failure()
        ok, flag = await peer.read_range("D8022", 1, "ushort")
        assert ok and flag == [1]
    finally:
        await peer.close()
        await link.connection.stop()
        await sim.stop()
