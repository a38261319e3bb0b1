"""Alarm and silo-tolerance routes of the admin API, over real sockets on the real Runtime."""

from __future__ import annotations

import httpx
import pytest

TOKEN = "s3cret-token"


@pytest.fixture
def api_port(free_port):
    return free_port


async def _sync_failing_alarm(runtime, fake_odoo) -> None:
    fake_odoo.set_faults(http_500=True)
    for _ in range(3):
        await runtime.sync.sync("manual")


async def test_list_acknowledge_and_shelve_alarms(make_runtime, fake_odoo, api_port):
    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await _sync_failing_alarm(runtime, fake_odoo)
    await runtime.alarms.event("batch.out_of_tolerance", "MO WH/MO/00009 silo A outside", "WH/MO/00009")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}", timeout=10,
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        listed = (await http.get("/api/admin/alarms", params={"state": "active"})).json()["data"]
        assert [(a["kind"], a["priority"], a["state"]) for a in listed["items"]] == [
            ("odoo.sync_failing", "high", "unack_active"), ("batch.out_of_tolerance", "low", "rtn_unack")]
        first, low = listed["items"]

        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await http.post(f"/api/admin/alarms/{first['id']}/ack", headers=wrong)).status_code == 401
        acked = await http.post(f"/api/admin/alarms/{first['id']}/ack", headers=auth)
        assert acked.status_code == 200
        assert acked.json()["data"]["state"] == "ack_active" and acked.json()["data"]["acknowledged_by"] == "api:engineer (API_TOKEN)"
        assert (await http.post(f"/api/admin/alarms/{first['id']}/ack", headers=auth)).status_code == 409
        assert (await http.post("/api/admin/alarms/999999/ack", headers=auth)).status_code == 404

        no_reason = await http.post(f"/api/admin/alarms/{low['id']}/shelve", headers=auth,
                                    json={"minutes": 30, "reason": " "})
        assert no_reason.status_code == 422
        shelved = await http.post(f"/api/admin/alarms/{low['id']}/shelve", headers=auth,
                                  json={"minutes": 30, "reason": "scale recalibration"})
        assert shelved.status_code == 200 and shelved.json()["data"]["shelved_by"] == "api:engineer (API_TOKEN)"

        listed = (await http.get("/api/admin/alarms")).json()["data"]
        assert [a["kind"] for a in listed["items"]] == ["odoo.sync_failing"] and listed["shelved"] == 1
        journal = (await http.get("/api/admin/alarms", params={"state": "all"})).json()["data"]
        assert journal["total"] == 2
        assert (await http.get("/api/admin/alarms", params={"state": "bogus"})).status_code == 422
        health = (await http.get("/api/health")).json()
        assert health["alarms"] == {"critical": 0, "high": 1, "medium": 0, "low": 0, "unacknowledged": 0}


async def test_silo_tolerance_overrides_are_read_and_replaced(make_runtime, fake_odoo, api_port):
    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN,
                                 DOSING_TOLERANCE_KG=2, DOSING_TOLERANCE_PERCENT=1.5)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}", timeout=10,
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        answer = (await http.get("/api/admin/silo-assignment/tolerances")).json()
        assert answer == {"defaults": {"kg": 2.0, "percent": 1.5}, "silos": []}
        put = await http.put("/api/admin/silo-assignment/tolerances",
                             json=[{"silo": "A", "kg": 5}, {"silo": "LQ114", "percent": 0.5}])
        assert put.status_code == 200
        assert put.json()["silos"] == [{"silo": "A", "kg": 5.0, "percent": None},
                                       {"silo": "LQ114", "kg": None, "percent": 0.5}]
        assert (await http.put("/api/admin/silo-assignment/tolerances", json=[{"silo": "Z", "kg": 1}])).status_code \
            == 422
        assert (await http.put("/api/admin/silo-assignment/tolerances",
                               json=[{"silo": "A", "kg": -1}])).status_code == 422
    overrides = await runtime.tolerance.overrides()
    assert overrides["A"].kg == 5.0 and overrides["LQ114"].percent == 0.5
