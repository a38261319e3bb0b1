"""Real parts for service, API and window tests: PLC simulator and fake Odoo on loopback, a real database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_asyncio

from hmi.app.runtime import Runtime
from hmi.config import load_settings
from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.plc import PlcSimulator


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


def settings_for(tmp_path: Path, database_url: str, odoo: FakeOdoo, plc: PlcSimulator | None, **extra):
    env = {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path / "data"),
        "ODOO_BASE_URL": odoo.base_url,
        "ODOO_DB": odoo.db,
        "ODOO_USERNAME": odoo.login,
        "ODOO_PASSWORD": DEFAULT_PASSWORD,
        "ODOO_TIMEOUT_SECONDS": "3",
        "PLC_ENABLED": "true" if plc else "false",
        "PLC_HOST": "127.0.0.1",
        "PLC_PORT": str(plc.port if plc else 502),
        "PLC_TIMEOUT_SECONDS": "1",
        "API_ENABLED": "false",
    }
    env.update({key: str(value) for key, value in extra.items()})
    ini = tmp_path / "settings.ini"
    ini.write_text("")
    return load_settings(ini, environ=env)


@pytest_asyncio.fixture
async def make_runtime(tmp_path, database_url):
    """Build and start a Runtime (the production object graph) against the given peers."""
    started: list[Runtime] = []

    async def build(odoo: FakeOdoo, plc: PlcSimulator | None, **extra) -> Runtime:
        runtime = Runtime(settings_for(tmp_path, database_url, odoo, plc, **extra))
        await runtime.start()
        if runtime.plc is not None:
            assert await runtime.plc.wait_connected(timeout=5)
        started.append(runtime)
        return runtime

    yield build
    for runtime in started:
        await runtime.stop()


async def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Await until ``predicate()`` (sync or async) is truthy; returns its last value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(interval)
