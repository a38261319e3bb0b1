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
    fake_odoo.set_units(first.mo_id, {code: (kg, "kg")})
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
    fake_odoo.set_units(first.mo_id, {code: (too_much, "kg")})
    await runtime.sync.sync("manual")
    assert first.mo_id not in [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert any("above the MO's own quantity" in m for m in caplog.messages)


# ---- dosed but not produced: the manual-booking list ---------------------------------------------------------

async def _failed_and_cancelled(runtime, plc_sim, cancels) -> "object":
    """Sync, let the PLC fail the first batch halfway, run completion until it is cancelled in Odoo."""
    first = (await runtime.db(runtime.store.list_batches))[0]
    plc_sim.fail_mo.add(first.plc_key)

    async def gone():
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.get_batch, first.mo_id) is None

    assert await wait_for(gone, timeout=20, interval=0.1), "the failed batch was never cancelled and archived"
    assert first.mo_id in cancels()
    return first


async def _check_listed(runtime, mo_id: str, caplog) -> None:
    entry = next(e for e in (await runtime.admin.history(mo=mo_id)).entries)
    dosed = {line.silo.odoo_code: line.actual_kg for line in entry.silos if line.actual_kg}
    assert dosed and sum(dosed.values()) > 0, "the PLC dosed nothing before failing"
    listed = [b for b in await runtime.admin.dosed_bookings() if b.mo_id == mo_id]
    assert {b.component: b.kg for b in listed} == pytest.approx(dosed)
    assert {b.outcome for b in listed} == {"cancelled"}
    assert any("manual-booking list" in m and mo_id in m for m in caplog.messages)
    # A person books it in Odoo and says so: it leaves the open list, who and when are kept.
    assert sorted(await runtime.admin.mark_booked([b.id for b in listed], "sari")) == sorted(b.id for b in listed)
    assert not [b for b in await runtime.admin.dosed_bookings() if b.mo_id == mo_id]
    kept = [b for b in await runtime.admin.dosed_bookings(open_only=False) if b.mo_id == mo_id]
    assert {b.booked_by for b in kept} == {"sari"} and all(b.booked_at for b in kept)
    with pytest.raises(ActionRefused):
        await runtime.admin.mark_booked([listed[0].id], "sari")  # booked once


async def test_grt_scada_failed_batch_lists_what_was_dosed_for_manual_booking(make_runtime, fake_odoo, plc_sim,
                                                                              caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1)
    await runtime.sync.sync("manual")
    first = await _failed_and_cancelled(runtime, plc_sim, lambda: [c["mo_id"] for c in fake_odoo.cancels])
    assert fake_odoo.mo(first.mo_id)["state"] == "cancel"
    await _check_listed(runtime, first.mo_id, caplog)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_stock_odoo_failed_batch_lists_what_was_dosed_for_manual_booking(make_runtime, plc_sim, caplog):
    from hmi.silo_assignment import parse_entries
    from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
    from hmi.sim.stock_http import FakeStockOdoo

    caplog.set_level(logging.INFO)
    stock = FakeStockOdoo(port=0, version=18, mo_count=4)
    stock.start()
    try:
        runtime = await make_runtime(stock, plc_sim, ODOO_API="jsonrpc", ODOO_PICKING_TYPE="Manufacturing",
                                     SYNC_BATCH_LIMIT="1")
        await runtime.silo_assignment.replace(parse_entries(DEMO_SILO_ASSIGNMENT), "test")
        await runtime.sync.sync("manual")
        mo_id = (await runtime.db(runtime.store.list_batches))[0].mo_id
        await _failed_and_cancelled(runtime, plc_sim,
                                    lambda: [mo_id] if stock.mo_view(mo_id)["state"] == "cancel" else [])
        await _check_listed(runtime, mo_id, caplog)
    finally:
        stock.stop()


async def test_a_batch_cleared_after_dosing_started_lands_on_the_booking_list(make_runtime, fake_odoo, plc_sim,
                                                                             caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("manual")
    first, second = await runtime.db(runtime.store.list_batches)

    async def dosing():
        await runtime.poll.poll()
        batch = await runtime.db(runtime.store.get_batch, first.mo_id)
        return batch if batch.plc_actual_kg > 0 and not batch.status_manufacturing else None

    started = await wait_for(dosing, timeout=10, interval=0.02)
    assert started, "batch 1 never started dosing"
    plc_sim.pause()
    await runtime.poll.poll()
    started = await runtime.db(runtime.store.get_batch, first.mo_id)
    result = await runtime.admin.clear("rina", mo_ids=[first.mo_id, second.mo_id])
    assert set(result.held) == {first.mo_id, second.mo_id}
    listed = await runtime.admin.dosed_bookings()
    assert {b.mo_id for b in listed} == {first.mo_id}  # the second had not started: nothing dosed
    assert {b.component: b.kg for b in listed} == pytest.approx(
        {line.silo.odoo_code: line.actual_kg for line in started.silos if line.actual_kg})
    assert {b.outcome for b in listed} == {"cleared"}
    said = [m for m in caplog.messages if m.startswith(f"MO {first.mo_id} cleared by rina after the PLC dosed")]
    assert len(said) == 1 and "manual-booking list" in said[0]
