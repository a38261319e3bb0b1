"""Real parts for service, API and window tests: PLC simulator and fake Odoo on loopback, a real database."""

from __future__ import annotations

import pytest
import pytest_asyncio

from hmi.app.runtime import Runtime
from hmi.sim.odoo import FakeOdoo
from hmi.sim.plc import PlcSimulator
from tests.support.live import settings_for, wait_for  # noqa: F401 - re-exported for the tests here


@pytest.fixture
def fake_odoo():
    fake = FakeOdoo(host="127.0.0.1", port=0, mo_count=40)
    fake.start()
    yield fake
    fake.stop()


@pytest_asyncio.fixture
async def plc_sim():
    sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=0.6, seed=3, scan_interval=0.02)
    await sim.start()
    yield sim
    await sim.stop()


@pytest_asyncio.fixture
async def make_runtime(tmp_path, database_url):
    """Build and start a Runtime (the production object graph) against the given peers."""
    started: list[Runtime] = []

    async def build(odoo: FakeOdoo, plc: PlcSimulator | None, *, claim_line: bool = True, **extra) -> Runtime:
        runtime = Runtime(settings_for(tmp_path, database_url, odoo, plc, **extra), claim_line=claim_line)
        await runtime.start()
        if runtime.plc is not None:
            assert await runtime.plc.connection.wait_connected(timeout=5)
        started.append(runtime)
        return runtime

    yield build
    for runtime in started:
        await runtime.stop()
