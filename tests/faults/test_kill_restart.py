"""The headless service killed with SIGKILL (power cut, OOM killer) during a sync and during dosing,
then started again: the database holds all rows of a sync or none, and the cycle continues after
the restart without dosing or reporting any MO twice. The PLC simulator counts how many times it
took each MO's recipe: every count must be exactly one."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time

from tools.support.service_process import SqliteView, spawn_service, stop

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
    # 1. Killed in the middle of the recipe download: the rows are stored (writing), 5 slots written.
    plc_proxy.stall_after(5, function_code=WRITE)
    service = spawn_service(tmp_path, env)
    try:
        # The 6th write is stalled, so the 5 before it were answered: the service waits in the middle.
        await _until(lambda: plc_proxy.stalled, 30, "the first download to start")
        await _kill(service)
    finally:
        if service.poll() is None:
            service.kill()
    assert len(view.batch_ids()) == 10 and set(view.download_states()) == {"writing"}  # the PLC write had started
    assert view.history() == []
    assert plc_sim.downloads_taken == 0
    plc_proxy.resume()

    # 2. Started again: it asks the PLC (which did not take the half-written download), removes the
    # unconfirmed rows, syncs the same MOs again; killed while the PLC doses them.
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
    assert set(plc_sim.takes_by_mo.values()) == {1}, plc_sim.takes_by_mo
    pushed = [p["mo_id"] for p in fake_odoo.pushes if p["result"].get("status") == "success"]
    # Reported at least once each; a second push can only come from a kill between Odoo's answer and
    # the row being marked (the REPLACE push is idempotent), and is then of the same values.
    assert set(pushed) >= set(view.completed_ids())
    for mo_id in set(pushed):
        bodies = [p["body"] for p in fake_odoo.pushes if p["mo_id"] == mo_id]
        assert all(body == bodies[0] for body in bodies), mo_id
    log = (tmp_path / "hmi.log").read_text()
    assert "Traceback" not in log


def _download_writes(register_map) -> int:
    """Write requests of one full download: each WRITE slot (two where the handshake word sits
    inside it), then the handshake word on its own."""
    ready = register_map.write_ready_address
    writes = 0
    for slot in register_map.slots:
        skip = ready - register_map.write_slot_start(slot)
        writes += 2 if 0 < skip < register_map.slot_length - 1 else 1
    return writes + 1


async def test_sigkill_between_download_and_recording_it_then_restart(tmp_path, fake_odoo, plc_sim, plc_proxy):
    """The PLC takes the recipes, the service dies before it records that: after the restart it asks
    the PLC, finds its recipes there and does not download them again."""
    db_file = tmp_path / "service.db"
    view = SqliteView(db_file)
    env = {
        "DATABASE_URL": f"sqlite:///{db_file}",
        "DATA_DIR": str(tmp_path / "data"),
        "ODOO_BASE_URL": fake_odoo.base_url, "ODOO_DB": fake_odoo.db, "ODOO_USERNAME": fake_odoo.login,
        "ODOO_PASSWORD": "admin", "ODOO_TIMEOUT_SECONDS": "3",
        "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_proxy.port), "PLC_TIMEOUT_SECONDS": "3",
        "PLC_POLL_INTERVAL_SECONDS": "0.1", "SYNC_INTERVAL_MINUTES": "0.01", "SYNC_BATCH_LIMIT": "10",
        "API_ENABLED": "false",
    }
    # Hold the download just before its handshake write; meanwhile take the database's write lock,
    # so that recording the download cannot happen before the kill.
    plc_proxy.hold_after(_download_writes(plc_sim.register_map) - 1, function_code=WRITE)
    service = spawn_service(tmp_path, env)
    blocker = None
    try:
        await _until(lambda: plc_proxy.holding, 30, "the download to reach its handshake write", interval=0.01)
        blocker = sqlite3.connect(db_file, timeout=10, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        plc_proxy.release_held()
        await _until(lambda: plc_sim.downloads_taken == 1, 15, "the PLC to take the recipes")
        handshake = len(plc_proxy.forwarded)
        # The service has the PLC's answer to its handshake write: it now records the download and
        # waits on the lock (killed a moment before it gets there, it has not recorded it either).
        await _until(lambda: plc_proxy.answered_through >= handshake, 15, "the handshake's answer to reach the service")
        await _kill(service)
    finally:
        if service.poll() is None:
            service.kill()
        if blocker is not None:
            blocker.execute("ROLLBACK")
            blocker.close()
    first = view.batch_ids()
    assert len(first) == 10 and set(view.download_states()) == {"writing"}  # written, never recorded

    service = spawn_service(tmp_path, env)
    try:
        await _until(lambda: len(view.completed_ids()) >= 20, 90, "the held-over batches and a second fill")
    finally:
        code = await asyncio.to_thread(stop, service)
    assert code == 0
    assert set(first) <= set(view.completed_ids())
    assert set(plc_sim.takes_by_mo.values()) == {1}, plc_sim.takes_by_mo
    log = (tmp_path / "hmi.log").read_text()
    assert "not downloaded again" in log  # settled by asking the PLC (sync) or by its readings (poll)
    assert "Traceback" not in log
