"""A component Odoo keeps in grams, end to end: the PLC simulator is given kg, Odoo gets grams back."""

from __future__ import annotations

import pytest

from hmi.odoo.client import OdooClient
from hmi.sim.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD
from tests.support.runtime_fixtures import wait_for


async def test_a_component_of_82969_g_is_an_82_969_kg_plc_target_and_goes_back_in_grams(make_runtime, fake_odoo,
                                                                                          plc_sim):
    with OdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, timeout=5.0) as peek:
        name = peek.fetch_mos(limit=1).mos[0].mo_id  # the MO the line downloads first
    component = next(c for c in fake_odoo.mo(name)["components_consumption"]
                     if c["equipment"]["code"].startswith("silo"))
    code = component["equipment"]["code"]
    fake_odoo.set_units(name, {component["product_name"]: (82969.0, "g")})
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1)

    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced" and outcome.count == 1
    [batch] = await runtime.db(runtime.store.list_batches)
    assert batch.mo_id == name
    silo = next(line.silo for line in batch.dosing_lines if line.silo.odoo_code == code)
    assert plc_sim.read_slot(batch.batch_no, area="write").actual_kg[silo] == pytest.approx(82.969, abs=0.01)

    async def reported() -> bool:
        await runtime.poll_and_complete()
        return any(p["mo_id"] == name for p in fake_odoo.pushes)

    assert await wait_for(reported, timeout=30), "the batch was not reported"
    body = next(p["body"] for p in fake_odoo.pushes if p["mo_id"] == name)
    assert body[code] == pytest.approx(82969.0, rel=0.05)  # grams, as the move is kept in Odoo
    assert fake_odoo.mo(name)["fake"]["quantity_done_by_product"][component["product_name"]] == body[code]


async def test_an_mo_in_a_unit_the_app_cannot_convert_is_left_out_with_an_alarm(make_runtime, fake_odoo, plc_sim,
                                                                                caplog):
    with OdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, timeout=5.0) as peek:
        name = peek.fetch_mos(limit=1).mos[0].mo_id
    component = next(c for c in fake_odoo.mo(name)["components_consumption"]
                     if c["equipment"]["code"].startswith("silo"))
    fake_odoo.set_units(name, {component["product_name"]: (3.0, "ton")})  # short or metric: never guessed
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)

    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "synced"
    assert name not in [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    [line] = [m for m in caplog.messages if m.startswith(f"MO left out of this sync: MO {name}")]
    assert f"unit 'ton' of {component['product_name']} is not a weight the app knows" in line
    [alarm] = [a for a in await runtime.alarms.open_alarms() if a.kind == "mo.left_out"]
    assert alarm.mo_id == name and "unit 'ton'" in alarm.message
