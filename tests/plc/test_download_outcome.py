"""What a download tells the sync service: WRITTEN, UNCERTAIN or REFUSED, against the PLC simulator.

The link talks Modbus TCP to the simulator through a loopback proxy (tests.support.tcp_proxy) that
cuts, holds or loses requests on cue, so each outcome comes from a real exchange: the proxy's
record of forwarded writes and the simulator's WRITE slots say what really reached the PLC.
"""

from __future__ import annotations

import pytest

from hmi.domain import BatchRecipe, Silo
from hmi.plc.link import Download, PlcLink
from tests.plc.conftest import FAST_LINK, wait_until
from tests.support.tcp_proxy import ModbusTcpProxy

READ_HOLDING, WRITE_MULTIPLE = 3, 16
WRITE_AREA = (7000, 7999)


def recipe(batch_no: int) -> BatchRecipe:
    return BatchRecipe(batch_no=batch_no, mo_id=f"WH/MO/{batch_no:05d}", bom_code="BOM/7",
                       product_name="LAYER FEED 1", quantity=10.0, targets_kg={Silo.A: 10.0})


@pytest.fixture
async def proxy(sim):
    sim.pause()  # the PLC scan stands still: its WRITE slots and handshake word show what the HMI wrote
    front = await ModbusTcpProxy("127.0.0.1", sim.port).start()
    yield front
    front.release_held()
    await front.stop()


@pytest.fixture
async def link(proxy):
    plc_link = PlcLink("127.0.0.1", proxy.port, **{**FAST_LINK, "timeout": 1.0})
    await plc_link.connection.start()
    assert await plc_link.connection.wait_connected(5)
    yield plc_link
    await plc_link.connection.stop()


async def test_a_download_that_went_through_is_written(link, sim, proxy):
    outcome = await link.write_recipes([recipe(1), recipe(2)])
    assert outcome.result is Download.WRITTEN and outcome.written and outcome.error == ""
    assert sim.read_slot(2, area="write").mo_id == "WH/MO/00002"
    assert sim.read_registers(7076) == [0]  # the handshake word: the PLC may take them
    assert proxy.writes_to(*WRITE_AREA) == 11  # 10 slots and the handshake word


async def test_a_plc_that_has_not_taken_the_previous_download_refuses_and_nothing_is_written(link, sim, proxy):
    assert (await link.write_recipes([recipe(1)])).written
    writes = proxy.writes_to(*WRITE_AREA)
    outcome = await link.write_recipes([recipe(2)])
    assert outcome.result is Download.REFUSED and outcome.refused
    assert "handshake word 7076 is 0" in outcome.error and "WRITE slot(s) 1 (WH/MO/00001)" in outcome.error
    assert outcome.failed_slot is None
    assert proxy.writes_to(*WRITE_AREA) == writes  # not one write request left the HMI
    assert sim.read_slot(1, area="write").mo_id == "WH/MO/00001"  # the waiting recipe is untouched


async def test_a_connection_lost_before_the_first_write_refuses(link, sim, proxy):
    proxy.cut_after(0, function_code=READ_HOLDING)  # the handshake check's read never arrives
    outcome = await link.write_recipes([recipe(1)])
    assert outcome.refused and outcome.error.startswith("PLC write failed: read holding registers 7076-7076 (fc 3)")
    assert proxy.writes_to(*WRITE_AREA) == 0
    assert sim.read_slot(1, area="write").is_empty


async def test_a_connection_lost_after_the_first_slot_write_is_uncertain(link, sim, proxy):
    proxy.cut_after(1, function_code=WRITE_MULTIPLE)  # slot 1 reaches the PLC, then the cable is pulled
    outcome = await link.write_recipes([recipe(1), recipe(2)])
    assert outcome.result is Download.UNCERTAIN and outcome.uncertain
    assert outcome.failed_slot == 2  # the handshake word was never sent
    assert outcome.error.startswith("PLC write failed at slot 2: slot 2: write holding registers 7100-7176 (fc 16)")
    assert sim.read_slot(1, area="write").mo_id == "WH/MO/00001"  # what the PLC holds of it
    assert sim.read_registers(7076) == [1]


async def test_a_lost_answer_to_the_handshake_word_is_uncertain_although_the_plc_has_it_all(link, sim, proxy):
    proxy.lose_answer_after(10, function_code=WRITE_MULTIPLE)  # 10 slots answered, the handshake word's answer lost
    outcome = await link.write_recipes([recipe(1)])
    assert outcome.uncertain and outcome.failed_slot is None  # the handshake word went out
    assert sim.read_registers(7076) == [0] and sim.read_slot(1, area="write").mo_id == "WH/MO/00001"


async def test_the_time_limit_before_the_first_write_refuses_and_after_it_is_uncertain(link, sim, proxy):
    proxy.hold_after(0, function_code=READ_HOLDING)  # the handshake check hangs
    outcome = await link.write_recipes([recipe(1)], timeout=0.3)
    assert outcome.refused and outcome.error == "PLC write did not finish within 0.3 s"
    proxy.release_held()
    assert proxy.writes_to(*WRITE_AREA) == 0
    await wait_until(lambda: not proxy.holding)

    proxy.hold_after(1, function_code=WRITE_MULTIPLE)  # slot 1 is written, slot 2 hangs
    outcome = await link.write_recipes([recipe(1), recipe(2)], timeout=0.3)
    assert outcome.uncertain and outcome.error == "PLC write did not finish within 0.3 s"
    assert outcome.failed_slot is None  # no slot write failed: the sync service holds rather than trusts
    assert sim.read_slot(1, area="write").mo_id == "WH/MO/00001"
