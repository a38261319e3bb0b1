"""Settings and waiting helpers for tests that run the real Runtime against the simulators."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hmi.config import load_settings
from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.plc import PlcSimulator


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
