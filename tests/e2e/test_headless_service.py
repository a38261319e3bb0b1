"""End to end: `python main.py --headless` against `python -m hmi.sim.plc` and `python -m hmi.sim.odoo`,
all as separate processes on loopback, driven and observed through the admin API only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import pick_free_port

ROOT = Path(__file__).resolve().parents[2]
API_TOKEN = "e2e-engineer-token"


def _spawn(args: list[str], env: dict[str, str], cwd: Path, log_name: str) -> subprocess.Popen:
    log = open(cwd / log_name, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)


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


@pytest.fixture
def service(tmp_path):
    plc_port, odoo_port, api_port = pick_free_port(), pick_free_port(), pick_free_port()
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_"))}
    base_env["PYTHONPATH"] = str(ROOT)
    processes = [
        _spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "20", "--seed", "5"], base_env, tmp_path,
               "plc.log"),
        _spawn(["-m", "hmi.sim.odoo", "--port", str(odoo_port)], base_env, tmp_path, "odoo.log"),
    ]
    env = dict(base_env)
    env.update({
        "DATA_DIR": str(tmp_path / "data"),
        "SYNC_INTERVAL_MINUTES": "0.05",
        "SYNC_BATCH_LIMIT": "4",
        "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port), "PLC_POLL_INTERVAL_SECONDS": "0.3",
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill",
        "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin",
        "API_PORT": str(api_port), "API_TOKEN": API_TOKEN,
        "QT_QPA_PLATFORM": "offscreen",
    })
    hmi = _spawn([str(ROOT / "main.py"), "--headless"], env, tmp_path, "hmi.log")
    processes.append(hmi)
    client = httpx.Client(base_url=f"http://127.0.0.1:{api_port}", timeout=10,
                          headers={"Authorization": f"Bearer {API_TOKEN}"})
    try:
        _wait(lambda: client.get("/api/health").status_code == 200, 30, "the admin API")
        yield client, hmi, odoo_port, tmp_path
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


def test_runs_cycle_after_cycle_and_answers_the_seed_scenarios(service):
    client, hmi, odoo_port, workdir = service

    # Cycle after cycle by itself: at least 8 batches (two full fills of 4) completed.
    def completed() -> int:
        return client.get("/api/admin/history", params={"status": "completed"}).json()["data"]["total"]

    _wait(lambda: completed() >= 8, 60, "two full cycles")
    pushes = httpx.get(f"http://127.0.0.1:{odoo_port}/fake/pushes").json()
    pushed_ids = [p["mo_id"] for p in pushes["pushes"]]
    assert len(pushed_ids) == len(set(pushed_ids)) >= 8  # no MO reported twice

    # Scenario 3 in spirit: pause the scheduler through the API so the table stays as it is.
    paused = client.post("/api/admin/scheduler", json={"enabled": False}).json()
    assert paused["status"] == "success" and paused["data"]["auto_sync_enabled"] is False

    # Scenario 2: a trigger on a filled table skips and says why. The first trigger fills the
    # table (the PLC needs about 2 s for 4 batches), the second comes right after it.
    filled = client.post("/api/admin/trigger-sync").json()
    if filled["outcome"] == "synced":
        skipped = client.post("/api/admin/trigger-sync").json()
    else:
        skipped = filled  # the table was still filled from the last timer sync
    assert skipped["status"] == "success"
    assert skipped["outcome"] == "skipped"
    assert "Skipping sync - waiting for PLC" in skipped["message"]

    # Scenario 1: clear, trigger, verify.
    cleared = client.post("/api/admin/clear-mo-batch").json()
    assert cleared["status"] == "success" and cleared["message"].startswith("mo_batch table cleared successfully")
    assert isinstance(cleared["deleted_count"], int)
    # What was cleared reached the PLC: it is held, and the API lists it.
    assert len(cleared["held_mo_ids"]) == cleared["deleted_count"]
    held = client.get("/api/admin/held").json()["data"]
    assert {h["mo_id"] for h in held} >= set(cleared["held_mo_ids"])
    health = client.get("/api/health").json()
    assert health["plc"]["state"] == "CONNECTED"
    assert health["scheduler"]["auto_sync_enabled"] is False

    hmi.terminate()
    assert hmi.wait(timeout=10) == 0
    log = (workdir / "hmi.log").read_text()
    assert "Auto-sync scheduler STARTED: interval=0.05 minutes (3 s), batch_limit=4" in log
    assert "Traceback" not in log
