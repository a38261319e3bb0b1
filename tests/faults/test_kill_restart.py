"""The headless service killed with SIGKILL (power cut, OOM killer) during a sync and during dosing,
then started again: the database holds all rows of a sync or none, and the cycle continues after
the restart without dosing or reporting any MO twice."""

from __future__ import annotations

import asyncio
import signal
import time

from tests.support.service_process import SqliteView, spawn_service, stop

WRITE = 16


async def _until(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(interval)  # the simulator, fake Odoo and proxy live on this loop
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


async def _kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    await asyncio.to_thread(process.wait, 10)


async def test_sigkill_during_sync_and_dosing_then_restart(tmp_path, fake_odoo, plc_sim, plc_proxy):
    db_file = tmp_path / "service.db"
    view = SqliteView(db_file)
    env = {
        "DATABASE_URL": f"sqlite:///{db_file}",
        "DATA_DIR": str(tmp_path / "data"),
        "ODOO_BASE_URL": fake_odoo.base_url, "ODOO_DB": fake_odoo.db, "ODOO_USERNAME": fake_odoo.login,
        "ODOO_PASSWORD": "admin", "ODOO_TIMEOUT_SECONDS": "3",
        "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_proxy.port), "PLC_TIMEOUT_SECONDS": "1",
        "PLC_POLL_INTERVAL_SECONDS": "0.1", "SYNC_INTERVAL_MINUTES": "0.01", "SYNC_BATCH_LIMIT": "10",
        "API_ENABLED": "false",
    }
    # 1. Killed in the middle of the recipe download: the insert transaction is open, 5 slots written.
    plc_proxy.stall_after(5, function_code=WRITE)
    service = spawn_service(tmp_path, env)
    try:
        await _until(lambda: plc_proxy.stalled, 30, "the first download to start")
        await asyncio.sleep(0.3)
        await _kill(service)
    finally:
        if service.poll() is None:
            service.kill()
    assert view.batch_ids() == [] and view.history() == []  # none of the 10 rows
    assert plc_sim.downloads_taken == 0
    plc_proxy.resume()

    # 2. Started again: it syncs the same MOs; killed while the PLC doses them.
    service = spawn_service(tmp_path, env)
    try:
        synced = await _until(lambda: len(view.batch_ids()) == 10 and view.batch_ids(), 30, "a committed sync")
        await _until(lambda: plc_sim.finished_slots, 15, "the first batch to finish")
        await _kill(service)
    finally:
        if service.poll() is None:
            service.kill()
    # All 10 rows of the sync: still in mo_batch or already archived, never partial, never twice.
    held = view.batch_ids() + [mo for mo, _ in view.history()]
    assert sorted(held) == sorted(synced)

    # 3. Started again: the PLC's results are matched to the surviving rows, the cycle goes on.
    service = spawn_service(tmp_path, env)
    try:
        await _until(lambda: len(view.completed_ids()) >= 20, 90, "two full fills after the restart")
    finally:
        code = await asyncio.to_thread(stop, service)
    assert code == 0
    history = view.history()
    ids = [mo for mo, _ in history]
    assert len(ids) == len(set(ids)), "an MO archived twice"
    assert set(synced) <= set(ids)
    assert {status for _, status in history} == {"completed"}
    pushed = [p["mo_id"] for p in fake_odoo.pushes if p["result"].get("status") == "success"]
    # Reported at least once each; a second push can only come from a kill between Odoo's answer and
    # the row being marked (the REPLACE push is idempotent), and is then of the same values.
    assert set(pushed) >= set(view.completed_ids())
    for mo_id in set(pushed):
        bodies = [p["body"] for p in fake_odoo.pushes if p["mo_id"] == mo_id]
        assert all(body == bodies[0] for body in bodies), mo_id
    log = (tmp_path / "hmi.log").read_text()
    assert "Traceback" not in log
