"""End to end against stock Odoo: `python main.py --headless` with ODOO_API=jsonrpc (fake Odoo 18) or json2
(fake Odoo 19), the PLC simulator, and the fake stock Odoo, all separate processes on loopback, driven and observed
through the admin API and the fake's /fake/* routes only.

The whole cycle: silo assignment PUT through the API, MOs fetched by operation type, recipes on the PLC in the right
silos (each raw move's actual is within the simulator's ±2 % of its own demand), MO done in Odoo, archived, table
refilled; an MO with a component in no silo stays in Odoo untouched; a batch the PLC fails is cancelled in Odoo.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.sim.stock_http import DEFAULT_API_KEY
from tests.conftest import pick_free_port
from tests.e2e.test_headless_service import _spawn, _wait

ROOT = Path(__file__).resolve().parents[2]
FAILED_MO = "WH/MO/00006"
UNASSIGNED_MO = "WH/MO/00003"


@pytest.mark.slow
@pytest.mark.parametrize("version, protocol", [(18, "jsonrpc"), (19, "json2")])
def test_whole_cycle_against_stock_odoo(tmp_path, version, protocol):
    plc_port, odoo_port, api_port = pick_free_port(), pick_free_port(), pick_free_port()
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_"))}
    base_env["PYTHONPATH"] = str(ROOT)
    processes = [
        _spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "20", "--seed", "5",
                "--fail-mo", FAILED_MO], base_env, tmp_path, "plc.log"),
        _spawn([str(ROOT / "main.py"), "--sim", "odoo", "--flavor", "stock", "--odoo-version", str(version),
                "--port", str(odoo_port), "--mos", "16"], base_env, tmp_path, "odoo.log"),
    ]
    env = dict(base_env)
    env.update({
        "DATA_DIR": str(tmp_path / "data"),
        "SYNC_INTERVAL_MINUTES": "0.03",
        "SYNC_BATCH_LIMIT": "4",
        "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port), "PLC_POLL_INTERVAL_SECONDS": "0.3",
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill",
        "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "ODOO_API": protocol,
        "ODOO_API_KEY": DEFAULT_API_KEY if protocol == "json2" else "",
        "ODOO_PICKING_TYPE": "Manufacturing", "ODOO_MARK_DONE": "true", "ODOO_BACKORDER": "close",
        "API_PORT": str(api_port),
        "QT_QPA_PLATFORM": "offscreen",
    })
    processes.append(_spawn([str(ROOT / "main.py"), "--headless"], env, tmp_path, "hmi.log"))
    hmi = processes[-1]
    client = httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=10)
    odoo = httpx.Client(base_url=f"http://127.0.0.1:{odoo_port}", timeout=10)
    try:
        _wait(lambda: client.get("/api/health").status_code == 200, 30, "the admin API")
        put = client.put("/api/admin/silo-assignment", json=DEMO_SILO_ASSIGNMENT, headers={"X-HMI-Actor": "e2e"})
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
        assert odoo.get("/fake/mos").json()["mos"][5]["state"] == "cancel"
    finally:
        client.close()
        odoo.close()
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except Exception:  # noqa: BLE001 - a process that will not stop is killed
                process.kill()
    assert hmi.returncode == 0
    log = (tmp_path / "hmi.log").read_text()
    assert f"MO left out of this sync: MO {UNASSIGNED_MO}: component [ADD-PREMIX] PREMIX LAYER is in no silo" in log
    assert "Silo assignment changed" in log or "Silo assignment replaced by api:e2e" in log
    assert "Traceback" not in log, log[-3000:]
