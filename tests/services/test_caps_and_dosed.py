"""Caps, refused readings and dosed-but-not-produced batches, on the real stack (PLC simulator, fake Odoo)."""

from __future__ import annotations

import logging

import pytest

from hmi.domain import BatchState
from hmi.plc.register_map import consumption_field
from hmi.services.admin import ActionRefused
from tests.support.runtime_fixtures import wait_for


def _actual(batch, silo):
    return next(line.actual_kg for line in batch.silos if line.silo is silo)


async def _first_mo(runtime):
    """The MO the next sync takes first, and the Odoo code of its first silo."""
    first = (await runtime.odoo.fetch_mos(1, 0)).mos[0]
    return first, next(iter(first.targets)).odoo_code


async def _active(runtime, kind: str) -> list:
    return [a for a in await runtime.alarms.open_alarms() if a.kind == kind and a.state.active]


async def test_a_done_reading_over_the_cap_holds_the_batch_and_never_pushes_the_earlier_figure(
        make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, PLC_MAX_KG_PER_SILO=6000)
    assert (await runtime.sync.sync("manual")).count == 1
    batch = (await runtime.db(runtime.store.list_batches))[0]
    silo = batch.dosing_lines[0].silo
    assert await wait_for(lambda: plc_sim.read_slot(1).mo_id == batch.plc_key, timeout=10), "the PLC never took it"
    plc_sim.pause()
    plc_sim.set_field("read", 1, consumption_field(silo), 4990.0)
    await runtime.poll.poll()
    assert _actual(await runtime.db(runtime.store.get_batch, batch.mo_id), silo) == 4990.0
    # The PLC finishes the batch with a final reading over the cap.
    plc_sim.set_field("read", 1, consumption_field(silo), 6003.5)
    plc_sim.set_field("read", 1, "status_manufacturing", True)
    await runtime.poll_and_complete()
    await runtime.poll_and_complete()

    held = await runtime.db(runtime.store.get_batch, batch.mo_id)
    assert held.state is BatchState.ATTENTION
    assert "6003.5" in held.hold_reason and "4990" in held.hold_reason
    assert not [p for p in fake_odoo.pushes if p["mo_id"] == batch.mo_id], "stale figures reached Odoo"
    alarms = await _active(runtime, "batch.reading_refused")
    assert [a.subject for a in alarms] == [batch.mo_id]
    assert "6003.5" in alarms[0].text and "4990" in alarms[0].text
    assert len([m for m in caplog.messages if "DONE but held" in m]) == 1
    # Retry would push 4,990: refused. Archive as failed (the person books it in Odoo) ends it.
    with pytest.raises(ActionRefused, match="final PLC reading was refused"):
        await runtime.admin.retry_push(batch.mo_id, "rina")
    await runtime.poll_and_complete()
    assert not [p for p in fake_odoo.pushes if p["mo_id"] == batch.mo_id]
    await runtime.admin.archive_failed(batch.mo_id, "rina")
    assert not await _active(runtime, "batch.reading_refused")


@pytest.mark.parametrize("kg, why", [
    (6000.5, "above PLC_MAX_KG_PER_SILO (6000 kg)"),
    (0.004, "below the PLC's resolution (0.01 kg) and would be sent as 0"),
])
async def test_an_undosable_target_leaves_its_mo_out_with_one_line_and_an_alarm(
        make_runtime, fake_odoo, plc_sim, caplog, kg, why):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3, PLC_MAX_KG_PER_SILO=6000)
    first, code = await _first_mo(runtime)
    fake_odoo.set_component_qty(first.mo_id, code, kg)
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced" and outcome.count == 3
    stored = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert first.mo_id not in stored
    assert first.mo_id not in plc_sim.takes_by_mo
    lines = [m for m in caplog.messages if m.startswith(f"MO left out of this sync: MO {first.mo_id}")]
    assert len(lines) == 1 and why in lines[0]
    alarms = await _active(runtime, "mo.left_out")
    assert [a.subject for a in alarms] == [first.mo_id]


async def test_a_target_above_the_mos_own_quantity_is_left_out(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    first, code = await _first_mo(runtime)
    too_much = first.quantity + 1.0
    assert too_much < 5000
    fake_odoo.set_component_qty(first.mo_id, code, too_much)
    await runtime.sync.sync("manual")
    assert first.mo_id not in [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert any("above the MO's own quantity" in m for m in caplog.messages)
