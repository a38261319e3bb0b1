"""What the tools and the benchmarks share (run from the repository root with PYTHONPATH=.).

Here: a free port and settings for a runtime against the simulators. In the modules: waiting for
a condition (waiting), domain objects to store (factories), archived rows (history_rows), a
throwaway PostgreSQL (postgres), the product as a process (service_process) and several lines
on one database (lines).

tests/support stays the tests' own and imports these from here (one copy); nothing under tools/
or bench/ imports the tests (tests/test_layering.py refuses it).
"""

from __future__ import annotations

import socket
from pathlib import Path

from hmi.config import Settings, load_settings
from hmi.sim.odoo import DEFAULT_PASSWORD
from tools.support.waiting import WaitTimedOut, until, wait_until

__all__ = ["WaitTimedOut", "pick_free_port", "settings_for", "until", "wait_until"]


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
