"""End to end against stock Odoo: `python main.py --headless` with ODOO_API=jsonrpc (fake Odoo 18) or json2
(fake Odoo 19), the PLC simulator, and the fake stock Odoo, all separate processes on loopback, driven and observed
through the admin API and the fake's /fake/* routes only.

The whole cycle: silo assignment PUT through the API, MOs fetched by operation type, recipes on the PLC in the right
silos (each raw move's actual is within the simulator's ±2 % of its own demand), MO done in Odoo, archived, table
refilled; an MO with a component in no silo stays in Odoo untouched; a batch the PLC fails is cancelled in Odoo.
"""

from __future__ import annotations

import time

import httpx
import pytest

from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.sim.stock_http import DEFAULT_API_KEY
from tests.conftest import pick_free_port
from tools.support.service_process import ROOT, clean_env, spawn, spawn_service, stop
API_TOKEN = "e2e-engineer-token"
FAILED_MO = "WH/MO/00006"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except httpx.HTTPError as exc:
            last_error = exc
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error})")
UNASSIGNED_MO = "WH/MO/00003"


@pytest.mark.slow
@pytest.mark.parametrize("version, protocol", [(18, "jsonrpc"), (19, "json2")])
def test_whole_cycle_against_stock_odoo(tmp_path, version, protocol):
    plc_port, odoo_port, api_port = pick_free_port(), pick_free_port(), pick_free_port()
    env = clean_env()
    processes = [
        spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "20", "--seed", "5", "--fail-mo", FAILED_MO],
              env, tmp_path, "plc.log"),
        spawn([str(ROOT / "main.py"), "--sim", "odoo", "--flavor", "stock", "--odoo-version", str(version),
               "--port", str(odoo_port), "--mos", "16"], env, tmp_path, "odoo.log"),
    ]
    hmi = spawn_service(tmp_path, {
        "DATA_DIR": tmp_path / "data",
        "SYNC_INTERVAL_MINUTES": "0.03",
        "SYNC_BATCH_LIMIT": "4",
        "PLC_HOST": "127.0.0.1", "PLC_PORT": plc_port, "PLC_POLL_INTERVAL_SECONDS": "0.3",
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill",
        "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "ODOO_API": protocol,
        "ODOO_API_KEY": DEFAULT_API_KEY if protocol == "json2" else "",
        "ODOO_PICKING_TYPE": "Manufacturing", "ODOO_MARK_DONE": "true", "ODOO_BACKORDER": "close",
        "API_PORT": api_port, "API_TOKEN": API_TOKEN,
    })
    processes.append(hmi)
    client = httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=10,
                          headers={"Authorization": f"Bearer {API_TOKEN}"})
    odoo = httpx.Client(base_url=f"http://127.0.0.1:{odoo_port}", timeout=10)
    try:
        _wait(lambda: client.get("/api/health").status_code == 200, 30, "the admin API")
        put = client.put("/api/admin/silo-assignment", json=DEMO_SILO_ASSIGNMENT)
        assert put.status_code == 200 and len(put.json()) == 15
        assert client.get("/api/admin/silo-assignment").json() == DEMO_SILO_ASSIGNMENT

        def completed() -> int:
            return client.get("/api/admin/history", params={"status": "completed"}).json()["data"]["total"]

        _wait(lambda: completed() >= 7, 90, "two fills of the table completed")
        mos = {mo["name"]: mo for mo in odoo.get("/fake/mos").json()["mos"]}
        history = client.get("/api/admin/history", params={"status": "completed", "limit": 50}).json()["data"]
        for item in history["items"]:
            mo = mos[item["mo_id"]]
            assert mo["state"] == "done", item["mo_id"]
            assert mo["qty_produced"] > 0
            for move in mo["moves"]:
                assert move["state"] == "done"
                if version >= 17:
                    assert move["picked"] is True
                # The PLC dosed each component from the silo holding that product: within its ±2 % of demand.
                assert move["done"] == pytest.approx(move["demand"], rel=0.03), (item["mo_id"], move)
        assert mos[UNASSIGNED_MO]["state"] == "confirmed"  # left out of every sync, untouched
        assert all(mo["state"] == "confirmed" for mo in mos.values() if mo["picking_type_id"] != 8)
        _wait(lambda: client.get("/api/admin/history", params={"status": "cancelled"}).json()["data"]["total"] >= 1,
              30, "the failed batch cancelled")
        assert {mo["name"]: mo for mo in odoo.get("/fake/mos").json()["mos"]}[FAILED_MO]["state"] == "cancel"
    finally:
        client.close()
        odoo.close()
        codes = [stop(process) for process in reversed(processes)]
    assert codes[0] == 0  # the service stopped cleanly on SIGTERM
    log = (tmp_path / "hmi.log").read_text()
    assert f"MO left out of this sync: MO {UNASSIGNED_MO}: component [ADD-PREMIX] PREMIX LAYER is in no silo" in log
    assert "Silo assignment changed" in log or "Silo assignment replaced by api:engineer (API_TOKEN)" in log
    assert "Traceback" not in log, log[-3000:]
