"""What the tools and the benchmarks share (run from the repository root with PYTHONPATH=.):
a free port, settings for a runtime against the simulators, and waiting for a condition.

tests/support stays the tests' own; the tools and bench/ use this module for these helpers.
"""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from hmi.config import Settings, load_settings
from hmi.sim.odoo import DEFAULT_PASSWORD


def pick_free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings_for(work: Path, database_url: str, odoo, plc, **extra) -> Settings:
    """Settings for a Runtime against a FakeOdoo and (or without) a PlcSimulator, files under ``work``."""
    env = {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(work / "data"),
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
    ini = work / "settings.ini"
    ini.write_text("")
    return load_settings(ini, environ=env)


async def until(predicate, timeout: float = 20.0, what: str = "the scene", interval: float = 0.05):
    """Await until ``predicate()`` (a value, or a coroutine giving one) is truthy and return it;
    TimeoutError after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:g} s")
        await asyncio.sleep(interval)


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    """Block until ``predicate()`` is truthy and return it; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
