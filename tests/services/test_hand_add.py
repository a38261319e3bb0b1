"""Hand-added components (premix, medicines): kept with the batch, confirmed by the operator, pushed to Odoo.

Real parts: the fake grt_scada Odoo over HTTP (its MOs carry 1..3 additives on PLC01), the PLC simulator,
SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import math
import re

import pytest

from hmi.domain import BatchState, DownloadState, HandAddComponent, HandAddLine, HandAddSource
from hmi.services.hand_add import HandAddRefused, check_weighed_kg
from hmi.sim.odoo_catalogue import PLC01_ADDITIVES
from tools.support.factories import make_mo
from tests.support.runtime_fixtures import wait_for


async def _done(runtime, mo_id: str) -> bool:
    await runtime.poll.poll()
    batch = await runtime.db(runtime.store.get_batch, mo_id)
    return batch is not None and batch.state is BatchState.DONE


async def test_confirmed_hand_added_amounts_reach_odoo_with_the_plc_actuals(make_runtime, fake_odoo, plc_sim,
                                                                         caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    assert (await runtime.sync.sync("manual")).count == 2
    first, second = await runtime.db(runtime.store.list_batches)

    # Each batch carries its additives as a checklist; the totals agree with the MO in Odoo.
    for batch in (first, second):
        odoo_mo = fake_odoo.mo(batch.mo_id)
        additives = {c["product_name"]: c for c in odoo_mo["components_consumption"]
                     if c["equipment"]["code"] == "PLC01"}
        assert additives and set(additives) <= set(PLC01_ADDITIVES)
        assert {line.product_name: line.target_kg for line in batch.hand_added} == {
            name: c["to_consume"] for name, c in additives.items()}
        assert batch.target_total_kg == pytest.approx(odoo_mo["quantity"], abs=0.1)
        assert len(batch.hand_added_open) == len(additives)

    # The operator confirms the first batch's additives: the first weighed, the others at their target.
    weighed, *accepted = first.hand_added
    weighed_kg = round(weighed.target_kg * 1.04, 2)
    line = await runtime.hand_add.confirm(first.mo_id, weighed.product_id, str(weighed_kg).replace(".", ","),
                                          "alice")
    assert (line.actual_kg, line.confirmed_by, line.source) == (weighed_kg, "alice", HandAddSource.OPERATOR)
    for other in accepted:
        await runtime.hand_add.confirm(first.mo_id, other.product_id, None, "alice", accept_target=True)
    assert f"Hand-added {weighed.product_name} for MO {first.mo_id} confirmed by alice: {weighed_kg:g} kg" in \
        " ".join(caplog.messages)
    assert not (await runtime.db(runtime.store.get_batch, first.mo_id)).hand_added_open

    async def empty() -> bool:
        await runtime.poll_and_complete()
        return await runtime.db(runtime.store.count_batches) == 0

    assert await wait_for(empty, timeout=30, interval=0.1)

    # Odoo received the PLC's actuals for both batches, and the hand-added amounts of the first, by product.
    assert {p["mo_id"] for p in fake_odoo.pushes} == {first.mo_id, second.mo_id}
    received = {(m["mo_id"], m["body"]["product_id"]): m["body"] for m in fake_odoo.material_consumptions}
    expected = {weighed.product_id: weighed_kg, **{o.product_id: o.target_kg for o in accepted}}
    assert {key: body["quantity"] for key, body in received.items()} == {
        (first.mo_id, pid): kg for pid, kg in expected.items()}
    assert all(body["update_mode"] == "replace" and body["equipment_id"] == "PLC01" for body in received.values())
    done = fake_odoo.mo(first.mo_id)["fake"]["quantity_done_by_product"]
    assert done[weighed.product_name] == weighed_kg
    assert all(s["status"] == "success" for s in (m["result"] for m in fake_odoo.material_consumptions))

    # Nobody weighed the second batch's additives: nothing was invented for them, and the log names them.
    assert not any(m["mo_id"] == second.mo_id for m in fake_odoo.material_consumptions)
    warning = next(r.getMessage() for r in caplog.records
                   if r.levelno == logging.WARNING and "Hand-added component(s) not confirmed" in r.getMessage())
    assert second.mo_id in warning and all(line.product_name in warning for line in second.hand_added)

    # The history keeps the checklist with who confirmed what.
    archived = await runtime.hand_add.archived_lines(first.mo_id)
    assert {(a.product_name, a.actual_kg, a.confirmed_by) for a in archived} == {
        (weighed.product_name, weighed_kg, "alice"), *((o.product_name, o.target_kg, "alice") for o in accepted)}
    assert await runtime.hand_add.lines(first.mo_id) == ()


async def test_hand_add_required_holds_the_push_until_every_line_is_confirmed(make_runtime, fake_odoo, plc_sim,
                                                                              caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, HAND_ADD_REQUIRED="true")
    await runtime.sync.sync("manual")
    (batch,) = await runtime.db(runtime.store.list_batches)
    assert await wait_for(lambda: _done(runtime, batch.mo_id), timeout=20, interval=0.1)

    for _ in range(3):
        report = await runtime.completion.complete()
        assert report.waiting_hand_add == [batch.mo_id] and not report.reported
    assert fake_odoo.pushes == []
    said = [m for m in caplog.messages if "not reported to Odoo: hand-added component(s) not confirmed" in m]
    assert len(said) == 1 and all(line.product_name in said[0] for line in batch.hand_added)  # once, naming them
    assert (await runtime.db(runtime.store.get_batch, batch.mo_id)).state is BatchState.DONE

    for line in batch.hand_added:
        await runtime.hand_add.confirm(batch.mo_id, line.product_id, line.target_kg, "bob")
    report = await runtime.completion.complete()
    assert report.reported == [batch.mo_id]
    assert [p["mo_id"] for p in fake_odoo.pushes] == [batch.mo_id]
    assert sorted(m["body"]["product_id"] for m in fake_odoo.material_consumptions) == sorted(
        line.product_id for line in batch.hand_added)


def _mo_with_premix(number: int):
    mo = make_mo(number)
    return type(mo)(mo.mo_id, mo.product_name, mo.quantity + 3.5, mo.equipment_code, mo.bom_code, mo.state,
                    mo.targets, (HandAddComponent(901, "PREMIX LAYER", 2.5, "kg", "PLC01"),
                                 HandAddComponent(902, "DEMITOX", 1.0, "kg", "PLC01")))


@pytest.mark.parametrize(("value", "why"), [
    (-0.5, "cannot be negative"), (math.nan, "finite"), (math.inf, "finite"), ("abc", "not a number"),
    (5.01, "implausible for a target of 2.5 kg (at most 5 kg)"), (True, "must be a number"),
])
def test_implausible_weighed_amounts_are_refused_with_the_reason(value, why):
    line = HandAddLine("WH/MO/00001", 901, "PREMIX LAYER", 2.5)
    with pytest.raises(HandAddRefused, match=re.escape(why)):
        check_weighed_kg(value, line)
    assert check_weighed_kg("2,45", line) == 2.45 and check_weighed_kg(5, line) == 5.0
    # A tiny target may be weighed a little over twice its amount (scale resolution).
    assert check_weighed_kg(0.6, HandAddLine("WH/MO/00001", 902, "DEMITOX", 0.2)) == 0.6


async def test_unknown_line_and_reported_batch_are_refused(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    await runtime.db(runtime.store.insert_batches, [_mo_with_premix(1)])
    batch = await runtime.db(runtime.store.get_batch, "WH/MO/00001")
    assert batch.target_total_kg == pytest.approx(batch.plc_target_kg + 3.5)
    with pytest.raises(HandAddRefused, match="no open hand-added component with product id 7"):
        await runtime.hand_add.confirm("WH/MO/00001", 7, 1.0, "alice")
    with pytest.raises(HandAddRefused, match="enter the weighed amount"):
        await runtime.hand_add.confirm("WH/MO/00001", 901, None, "alice")
    with pytest.raises(HandAddRefused, match="cannot be negative"):
        await runtime.hand_add.confirm("WH/MO/00001", 901, -1, "alice")
    assert all(not line.is_confirmed for line in await runtime.hand_add.lines("WH/MO/00001"))
    await runtime.db(runtime.store.outbox.mark_reported, "WH/MO/00001")
    with pytest.raises(HandAddRefused, match="already reported to Odoo"):
        await runtime.hand_add.confirm("WH/MO/00001", 901, 2.5, "alice")


async def test_checklist_is_stored_with_its_batch_or_not_at_all(make_runtime, fake_odoo):
    runtime = await make_runtime(fake_odoo, None)
    await runtime.db(runtime.store.insert_batches, [_mo_with_premix(1)])
    with pytest.raises(Exception):  # the second insert repeats an MO: nothing of it is stored
        await runtime.db(runtime.store.insert_batches, [_mo_with_premix(2), _mo_with_premix(1)], None, False)
    assert await runtime.hand_add.lines("WH/MO/00002") == ()
    assert [line.product_name for line in await runtime.hand_add.lines("WH/MO/00001")] == ["PREMIX LAYER", "DEMITOX"]
    # A batch removed because the PLC never took it leaves no open checklist behind.
    await runtime.db(runtime.store.insert_batches, [_mo_with_premix(3)], None, False, 5, None,
                     DownloadState.PENDING)
    assert await runtime.db(runtime.store.remove_undownloaded, ["WH/MO/00003"]) == 1
    assert await runtime.hand_add.lines("WH/MO/00003") == ()


async def test_a_confirmation_that_misses_the_report_is_named(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1)
    await runtime.sync.sync("manual")
    (batch,) = await runtime.db(runtime.store.list_batches)
    assert await wait_for(lambda: _done(runtime, batch.mo_id), timeout=20, interval=0.1)
    line = batch.hand_added[0]
    odoo = runtime.completion.odoo
    original = odoo.push_consumption

    async def push_while_the_operator_confirms(*args, **kwargs):
        # The operator presses Confirm while the report is on its way to Odoo.
        await runtime.hand_add.confirm(batch.mo_id, line.product_id, line.target_kg, "dave")
        return await original(*args, **kwargs)

    odoo.push_consumption = push_while_the_operator_confirms
    try:
        assert (await runtime.completion.complete()).reported == [batch.mo_id]
    finally:
        odoo.push_consumption = original
    assert fake_odoo.material_consumptions == []
    assert any(f"hand-added {line.product_name} {line.target_kg:g} kg confirmed while the batch was being "
               "reported" in m for m in caplog.messages)
