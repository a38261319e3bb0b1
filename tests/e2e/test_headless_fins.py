"""End to end over Omron FINS: `python main.py --headless` with PLC_PROTOCOL=fins-udp / fins-tcp
against `python main.py --sim plc --protocol fins-…` and the fake Odoo, all separate processes on
loopback, observed through the admin API only. One full cycle per FINS flavour: sync → dose →
readings → DONE → pushed → archived → refill."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import pick_free_port
from tests.e2e.test_headless_service import API_TOKEN, _spawn, _wait

ROOT = Path(__file__).resolve().parents[2]


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("protocol", ["fins-udp", "fins-tcp"])
def test_full_cycle_over_fins_through_the_headless_service(tmp_path, protocol):
    plc_port = _free_udp_port() if protocol == "fins-udp" else pick_free_port()
    odoo_port, api_port = pick_free_port(), pick_free_port()
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_"))}
    base_env["PYTHONPATH"] = str(ROOT)
    processes = [
        _spawn([str(ROOT / "main.py"), "--sim", "plc", "--protocol", protocol, "--port", str(plc_port),
                "--speed", "20", "--seed", "5", "--failure-every", "1.5"], base_env, tmp_path, "plc.log"),
        _spawn(["-m", "hmi.sim.odoo", "--port", str(odoo_port)], base_env, tmp_path, "odoo.log"),
    ]
    env = dict(base_env)
    env.update({
        "DATA_DIR": str(tmp_path / "data"), "SYNC_INTERVAL_MINUTES": "0.05", "SYNC_BATCH_LIMIT": "3",
        "PLC_PROTOCOL": protocol, "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port),
        "PLC_POLL_INTERVAL_SECONDS": "0.3", "PLC_FINS_CLIENT_NODE": "" if protocol == "fins-tcp" else "20",
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill",
        "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "API_PORT": str(api_port), "API_TOKEN": API_TOKEN,
        "QT_QPA_PLATFORM": "offscreen",
    })
    hmi = _spawn([str(ROOT / "main.py"), "--headless"], env, tmp_path, "hmi.log")
    processes.append(hmi)
    client = httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=10,
                          headers={"Authorization": f"Bearer {API_TOKEN}"})
    try:
        _wait(lambda: client.get("/api/health").status_code == 200, 30, "the admin API")

        def completed() -> int:
            return client.get("/api/admin/history", params={"status": "completed"}).json()["data"]["total"]

        # Two fills of 3: the refill after the first archive proves the whole cycle ran.
        _wait(lambda: completed() >= 6, 60, "two full cycles over FINS")
        pushes = httpx.get(f"http://127.0.0.1:{odoo_port}/fake/pushes").json()["pushes"]
        pushed = [p["mo_id"] for p in pushes]
        assert len(pushed) == len(set(pushed)) >= 6
        assert client.get("/api/health").json()["plc"]["state"] == "CONNECTED"
        # Equipment failures raised by the PLC meanwhile: each reported to Odoo exactly once.
        failures = httpx.get(f"http://127.0.0.1:{odoo_port}/fake/equipment-failures").json()["equipment_failures"]
        keys = [(f["body"]["equipment_code"], f["body"]["date"]) for f in failures]
        assert keys and len(keys) == len(set(keys))
        hmi.terminate()
        assert hmi.wait(timeout=10) == 0
        log = (tmp_path / "hmi.log").read_text()
        assert f"PLC connected to 127.0.0.1:{plc_port} ({protocol})" in log
        assert "Traceback" not in log
        assert "WARNING | hmi.failures | Equipment failure on MIXER01: MOTOR OVERLOAD" in log
        assert "PLC simulator took 3 recipes" in (tmp_path / "plc.log").read_text()
    finally:
        client.close()
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
