"""Demo: the built-in PLC simulator and fake Odoo on free loopback ports, a temporary
database and short intervals, so a new user sees a whole cycle (fetch, dosing, done,
pushed, archived, refill) within a minute or two."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import socket
import tempfile
from pathlib import Path

from hmi.config import Settings
from hmi.silo_assignment import parse_entries
from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.plc import PlcSimulator
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.sim.stock_http import FakeStockOdoo

log = logging.getLogger("hmi.demo")

SOURCE_DEMO = "demo"
DEMO_BATCH_SECONDS = 8.0
DEMO_BATCH_LIMIT = 5


def _free_port(udp: bool = False) -> int:
    with socket.socket(type=socket.SOCK_DGRAM if udp else socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoEnvironment:
    """``flavor`` "grt_scada" (default) serves the addon routes; "stock" a stock Odoo ``odoo_version`` (18 over
    JSON-RPC, 19 over JSON-2) with the demo silo assignment already in the database. ``plc_protocol``: the
    simulator and the link speak Modbus TCP (default) or Omron FINS over UDP or TCP."""

    def __init__(self, settings: Settings, batch_seconds: float = DEMO_BATCH_SECONDS, flavor: str = "grt_scada",
                 odoo_version: int = 18, plc_protocol: str = "modbus") -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="batch-hmi-demo-"))
        self.plc_port = _free_port(udp=plc_protocol == "fins-udp")
        self.flavor = flavor
        if flavor == "stock":
            self.odoo = FakeStockOdoo(host="127.0.0.1", port=_free_port(), version=odoo_version)
        else:
            self.odoo = FakeOdoo(host="127.0.0.1", port=_free_port())
        self.plc = PlcSimulator(host="127.0.0.1", port=self.plc_port, protocol=plc_protocol,
                                batch_seconds=batch_seconds, seed=7)
        overrides = {
            "database_url": "",
            "data_dir": str(self.data_dir),
            "sync_interval_minutes": 20 / 60,
            "sync_batch_limit": DEMO_BATCH_LIMIT,
            "plc_enabled": True,
            "plc_host": "127.0.0.1",
            "plc_port": self.plc_port,
            "plc_protocol": plc_protocol,
            "plc_fins_node": None,
            "plc_fins_client_node": None,
            "plc_unit_id": 1,
            "plc_poll_interval_seconds": 1.0,
            "plc_register_map": "",
            "odoo_base_url": f"http://127.0.0.1:{self.odoo.requested_port}",
            "odoo_db": self.odoo.db,
            "odoo_username": self.odoo.login,
            "odoo_password": DEFAULT_PASSWORD,
            "enable_auto_sync": True,
            "line_equipment_code": "",
        }
        if flavor == "stock":
            json2 = odoo_version >= 19
            overrides.update({
                "odoo_api": "json2" if json2 else "jsonrpc",
                "odoo_api_key": self.odoo.api_key if json2 else "",
                "odoo_picking_type": "Manufacturing",
                "odoo_workcenter": "",
                "odoo_only_ready": False,
                "odoo_backorder": "close",
                "odoo_mark_done": True,
            })
        else:
            overrides["odoo_api"] = "grt_scada"
        sources = dict(settings.sources)
        sources.update({key.upper(): SOURCE_DEMO for key in overrides})
        self.settings = dataclasses.replace(settings, **overrides, sources=sources)

    async def start(self) -> None:
        self.odoo.start()
        if self.flavor == "stock":
            await asyncio.to_thread(self._seed_silo_assignment)
        await self.plc.start()
        api = (f"admin API on http://{self.settings.api_host}:{self.settings.api_port}" if self.settings.api_enabled
               else "admin API off")
        log.info("Demo: PLC simulator on 127.0.0.1:%d, fake Odoo on %s, %s, database in %s",
                 self.plc.port, self.odoo.base_url, api, self.data_dir)

    def _seed_silo_assignment(self) -> None:
        """The demo database starts with the silos holding what the fake's MOs need (the Silos dialog shows it)."""
        from hmi.store import create_database_engine, migrate
        from hmi.store.silo_assignment import SiloAssignmentStore

        engine = create_database_engine(self.settings.resolved_database_url)
        try:
            migrate(engine)
            store = SiloAssignmentStore(engine)
            if not len(store.load()):
                store.replace(parse_entries(DEMO_SILO_ASSIGNMENT), "demo")
        finally:
            engine.dispose()

    async def stop(self) -> None:
        await self.plc.stop()
        self.odoo.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
