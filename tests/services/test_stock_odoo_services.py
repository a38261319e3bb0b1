"""The unchanged services over the stock Odoo client: Runtime (ODOO_API=jsonrpc) + PLC simulator + fake stock Odoo 18."""

from __future__ import annotations

import pytest
import pytest_asyncio

from hmi.domain import BatchState
from hmi.silo_assignment import parse_entries
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.sim.stock_http import FakeStockOdoo
from tests.support.runtime_fixtures import wait_for

STOCK = {"ODOO_API": "jsonrpc", "ODOO_PICKING_TYPE": "Manufacturing", "SYNC_BATCH_LIMIT": "2"}


@pytest.fixture
def stock_odoo():
    fake = FakeStockOdoo(port=0, version=18, mo_count=8)
    fake.start()
    yield fake
    fake.stop()


@pytest_asyncio.fixture
async def stock_runtime(make_runtime, stock_odoo, plc_sim):
    async def build(**extra):
        runtime = await make_runtime(stock_odoo, plc_sim, **{**STOCK, **extra})
        await runtime.silo_assignment.replace(parse_entries(DEMO_SILO_ASSIGNMENT), "test")
        return runtime

    return build


async def _until_done_on_plc(runtime) -> list:
    async def done():
        await runtime.poll.poll()
        batches = await runtime.db(runtime.store.list_batches)
        return batches if batches and all(b.status_manufacturing for b in batches) else None

    batches = await wait_for(done, timeout=15, interval=0.1)
    assert batches, "the PLC did not finish the batches"
    return batches


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_mo_cancelled_in_odoo_meanwhile_needs_attention_with_the_reason(stock_runtime, stock_odoo):
    runtime = await stock_runtime(MAX_PUSH_ATTEMPTS="1", ODOO_MARK_DONE="true")
    assert (await runtime.sync.sync("manual")).count == 2
    first, second = await _until_done_on_plc(runtime)
    stock_odoo.set_mo_state(first.mo_id, "cancel")
    await runtime.completion.complete()
    batch = await runtime.db(runtime.store.get_batch, first.mo_id)
    assert batch.state is BatchState.ATTENTION
    assert f"MO {first.mo_id} was cancelled in Odoo" in batch.last_push_error
    assert stock_odoo.mo_view(second.mo_id)["state"] == "done"  # the other batch went through


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_mo_already_done_in_odoo_counts_as_reported_without_writes(stock_runtime, stock_odoo):
    runtime = await stock_runtime(ODOO_MARK_DONE="true")
    await runtime.sync.sync("manual")
    first, _second = await _until_done_on_plc(runtime)
    stock_odoo.set_mo_state(first.mo_id, "done")
    closed_by_hand = stock_odoo.mo_view(first.mo_id)
    await runtime.completion.complete()
    assert await runtime.db(runtime.store.get_batch, first.mo_id) is None  # archived
    assert stock_odoo.mo_view(first.mo_id) == closed_by_hand  # nothing written over the hand-closed MO


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_without_mark_done_the_actuals_are_written_and_the_mo_left_open(stock_runtime, stock_odoo):
    runtime = await stock_runtime(ODOO_MARK_DONE="false")
    await runtime.sync.sync("manual")
    batches = await _until_done_on_plc(runtime)
    await runtime.completion.complete()
    for batch in batches:
        view = stock_odoo.mo_view(batch.mo_id)
        assert view["state"] == "progress"
        assert view["qty_producing"] == pytest.approx(batch.actual_weight)
        assert all(move["picked"] and move["done"] > 0 for move in view["moves"])
    assert not [c for c in stock_odoo.calls if c["method"] == "button_mark_done"]
