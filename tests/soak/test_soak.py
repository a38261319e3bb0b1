"""Soak: the headless service, the PLC simulator and the fake Odoo as three processes on
accelerated timers, cycle after cycle (fetch -> dose -> push -> archive -> refill).

CI runs 100 cycles (about two minutes); ``SOAK_CYCLES=1000`` runs a longer soak. A cycle is one
fill of SYNC_BATCH_LIMIT MOs, so N cycles complete N x SOAK_BATCH_LIMIT batches.

Checked at the end: no MO lost or duplicated (history vs Odoo's pushes vs Odoo's MO list), no
traceback or ERROR line in the service's log, and exit code 0 after SIGTERM.
"""

from __future__ import annotations

import os
import time

import httpx
import pytest

from tests.conftest import pick_free_port
from tools.support.service_process import SqliteView, clean_env, spawn, spawn_service, stop
from tools.support.waiting import wait_until

CYCLES = int(os.environ.get("SOAK_CYCLES", "100"))
BATCH_LIMIT = int(os.environ.get("SOAK_BATCH_LIMIT", "2"))
MOS = CYCLES * BATCH_LIMIT + 40


@pytest.mark.soak
@pytest.mark.timeout(max(300, CYCLES * 3))
def test_soak_cycles_without_loss_duplicates_or_tracebacks(tmp_path):
    plc_port, odoo_port = pick_free_port(), pick_free_port()
    env = clean_env()
    sims = [
        spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "50", "--seed", "11"], env, tmp_path,
              "plc.log"),
        spawn(["-m", "hmi.sim.odoo", "--port", str(odoo_port), "--mos", str(MOS)], env, tmp_path, "odoo.log"),
    ]
    odoo = httpx.Client(base_url=f"http://127.0.0.1:{odoo_port}", timeout=10)
    db_file = tmp_path / "soak.db"
    view = SqliteView(db_file)
    service = None
    try:
        wait_until(lambda: _answers(odoo), 20, "the fake Odoo")
        service = spawn_service(tmp_path, {
            "DATABASE_URL": f"sqlite:///{db_file}",
            "DATA_DIR": str(tmp_path / "data"),
            "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill",
            "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin",
            "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port), "PLC_POLL_INTERVAL_SECONDS": "0.1",
            "SYNC_INTERVAL_MINUTES": "0.005", "SYNC_BATCH_LIMIT": str(BATCH_LIMIT),
            "API_ENABLED": "false",
        })
        started = time.monotonic()
        wait_until(lambda: service.poll() is not None or len(view.completed_ids()) >= CYCLES * BATCH_LIMIT,
                   CYCLES * 2.5 + 30, f"{CYCLES} cycles", interval=0.5)
        assert service.poll() is None, "the service ended by itself"
        elapsed = time.monotonic() - started
        exit_code = stop(service)
        pushes = odoo.get("/fake/pushes").json()["pushes"]
        mos = odoo.get("/fake/mos").json()["mos"]
    finally:
        odoo.close()
        if service is not None:
            stop(service)
        for process in sims:
            stop(process)

    assert exit_code == 0
    history = view.history()
    archived = [mo for mo, _ in history]
    in_table = view.batch_ids()
    completed = set(view.completed_ids())
    print(f"\nsoak: {len(completed)} batches in {len(completed) // BATCH_LIMIT} cycles, {elapsed:.0f} s")

    # No duplicate: each MO archived once, pushed once, and never both archived and still in the table.
    assert len(archived) == len(set(archived))
    assert {status for _, status in history} == {"completed"}
    pushed = [p["mo_id"] for p in pushes]
    assert len(pushed) == len(set(pushed)), "an MO was reported to Odoo twice"
    assert all(p["result"]["status"] == "success" and not p["result"].get("errors") for p in pushes)
    assert not set(archived) & set(in_table)
    # No loss: everything pushed is archived (or, stopped between push and archive, still in the table),
    # everything archived was pushed, and Odoo moved exactly the pushed MOs out of 'confirmed'.
    assert completed <= set(pushed) <= completed | set(in_table)
    touched = {mo["mo_id"] for mo in mos if mo["state"] != "confirmed"}
    assert touched == set(pushed)
    # MOs are taken in Odoo's order: none before the last one taken was skipped.
    order = [mo["mo_id"] for mo in sorted(mos, key=_odoo_order)]
    taken = completed | set(in_table)
    last = max(order.index(mo) for mo in taken)
    assert set(order[: last + 1]) == taken, "an MO was skipped"

    log = (tmp_path / "hmi.log").read_text()
    assert "Traceback" not in log
    error_lines = [line for line in log.splitlines() if "| ERROR " in line or "| CRITICAL" in line]
    assert error_lines == []
    assert "Batch HMI stopped" in log


def _odoo_order(mo: dict):
    # mo-list-detailed: date_planned_start asc, id desc; the fake's names carry the id.
    return (mo["schedule_start"], -int(mo["mo_id"].rsplit("/", 1)[1]))


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/fake/faults").status_code == 200
    except httpx.HTTPError:
        return False
