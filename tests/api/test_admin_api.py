"""The admin HTTP API over real sockets, on the real Runtime, with the simulators."""

from __future__ import annotations

import logging

import httpx
import pytest

from hmi.domain import HistoryStatus
from tools.support.factories import make_mo

TOKEN = "s3cret-token"


@pytest.fixture
def api_port(free_port):
    return free_port


async def _client(runtime, token: str = TOKEN) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}", timeout=10,
                             headers={"Authorization": f"Bearer {token}"})


async def test_seed_scenario_1_normal_operation(make_runtime, fake_odoo, plc_sim, api_port):
    runtime = await make_runtime(fake_odoo, plc_sim, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await runtime.db(runtime.store.insert_batches, [make_mo(i) for i in range(1, 8)])
    async with await _client(runtime) as http:
        status = (await http.get("/api/admin/batch-status")).json()
        assert status["status"] == "success"
        assert status["data"]["total_batches"] == 7 and status["data"]["is_empty"] is False
        first = status["data"]["batches"][0]
        assert {"batch_no": 1, "mo_id": "WH/MO/00001", "equipment": "PLC01"}.items() <= first.items()
        assert first["consumption"] == pytest.approx(406.0)

        cleared = (await http.post("/api/admin/clear-mo-batch")).json()
        held = [f"WH/MO/{i:05d}" for i in range(1, 8)]
        assert cleared == {"status": "success", "deleted_count": 7, "held_mo_ids": held, "released_mo_ids": [],
                           "kept_mo_ids": [],
                           "message": "mo_batch table cleared successfully; 7 MO(s) held until released"}

        synced = await http.post("/api/admin/trigger-sync")
        assert synced.status_code == 200
        body = synced.json()
        assert body["status"] == "success" and body["message"] == "Manual sync completed successfully"
        assert body["count"] == 10

        status = (await http.get("/api/admin/batch-status")).json()
        assert status["data"]["total_batches"] == 10

        history = (await http.get("/api/admin/history", params={"status": "cleared"})).json()
        assert history["data"]["total"] == 7
        assert {item["actor"] for item in history["data"]["items"]} == {"api:engineer (API_TOKEN)"}


async def test_seed_scenario_2_trigger_on_full_table_skips(make_runtime, fake_odoo, plc_sim, api_port, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await runtime.db(runtime.store.insert_batches, [make_mo(i) for i in range(1, 8)])
    async with await _client(runtime) as http:
        response = await http.post("/api/admin/trigger-sync")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    assert body["outcome"] == "skipped"
    assert "Table mo_batch has 7 records. Skipping sync" in body["message"]
    assert "Table mo_batch has 7 records. Skipping sync - waiting for PLC..." in caplog.messages


async def test_trigger_failure_is_an_error_answer(make_runtime, fake_odoo, plc_sim, api_port):
    runtime = await make_runtime(fake_odoo, plc_sim, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    fake_odoo.set_faults(addon_missing=True)
    async with await _client(runtime) as http:
        response = await http.post("/api/admin/trigger-sync")
        health = (await http.get("/api/health")).json()
    assert response.status_code == 502
    assert response.json()["status"] == "error"
    assert "grt_scada" in response.json()["message"]
    assert health["last_sync"]["outcome"] == "failed"
    assert health["odoo"]["state"] == "FAULT"
    assert health["plc"]["state"] == "CONNECTED"


async def test_history_validation_and_paging(make_runtime, fake_odoo, api_port):
    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await runtime.sync.sync("manual")
    await runtime.admin.clear("op")
    async with await _client(runtime) as http:
        assert (await http.get("/api/admin/history", params={"status": "lost"})).status_code == 422
        page = (await http.get("/api/admin/history", params={"limit": 4, "offset": 8})).json()["data"]
        assert page["total"] == 10 and len(page["items"]) == 2
        assert (await http.get("/api/admin/history", params={"mo": "00003"})).json()["data"]["total"] == 1


async def test_history_pages_by_cursor_and_date(make_runtime, fake_odoo, api_port):
    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await runtime.sync.sync("manual")
    await runtime.admin.clear("op")
    async with await _client(runtime) as http:
        first = (await http.get("/api/admin/history", params={"limit": 4})).json()["data"]
        assert first["total"] == 10 and first["total_is_estimate"] is False
        assert first["search_mode"] == "contains" and first["next_cursor"]
        seen = [item["mo_id"] for item in first["items"]]
        cursor = first["next_cursor"]
        while cursor:
            page = (await http.get("/api/admin/history", params={"limit": 4, "cursor": cursor})).json()["data"]
            seen += [item["mo_id"] for item in page["items"]]
            cursor = page["next_cursor"]
        assert len(seen) == len(set(seen)) == 10
        assert (await http.get("/api/admin/history", params={"cursor": "garbage"})).status_code == 422
        future = (await http.get("/api/admin/history", params={"since": "2999-01-01T00:00:00Z"})).json()["data"]
        assert future["total"] == 0 and future["items"] == []
        past = (await http.get("/api/admin/history", params={"until": "2999-01-01T00:00:00"})).json()["data"]
        assert past["total"] == 10


async def test_api_refuses_port_in_use(make_runtime, fake_odoo, api_port):
    import socket

    from hmi.api import ApiStartError

    blocker = socket.socket()
    blocker.bind(("127.0.0.1", api_port))
    blocker.listen()
    try:
        with pytest.raises(ApiStartError, match=f"cannot listen on 127.0.0.1:{api_port}"):
            await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    finally:
        blocker.close()


async def test_clear_with_a_stale_list_answers_409_with_the_current_list_and_clears_nothing(
        make_runtime, fake_odoo, plc_sim, api_port):
    runtime = await make_runtime(fake_odoo, plc_sim, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    await runtime.db(runtime.store.insert_batches, [make_mo(i) for i in range(1, 4)])
    async with await _client(runtime) as http:
        shown = [b["mo_id"] for b in (await http.get("/api/admin/batch-status")).json()["data"]["batches"]]
        await runtime.db(runtime.store.archive, shown[0], HistoryStatus.COMPLETED)  # completion ran meanwhile
        stale = await http.post("/api/admin/clear-mo-batch", json={"mo_ids": shown})
        assert stale.status_code == 409
        body = stale.json()
        assert body["status"] == "error" and body["current_mo_ids"] == shown[1:]
        assert "changed since it was shown" in body["message"]
        assert (await http.get("/api/admin/batch-status")).json()["data"]["total_batches"] == 2

        cleared = (await http.post("/api/admin/clear-mo-batch", json={"mo_ids": shown[1:]})).json()
        assert cleared["deleted_count"] == 2 and cleared["held_mo_ids"] == shown[1:]


async def test_a_time_without_a_zone_is_plant_time_in_every_endpoint(make_runtime, fake_odoo, api_port, monkeypatch):
    """The PC runs on New York time, the plant on Jakarta's: history and report read 2026-11-30 as the
    plant's day, and a time they cannot read says how to write one."""
    import time
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from hmi.domain import Silo
    from tools.support.history_rows import history_row, write_history

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN,
                                     PLANT_TIMEZONE="Asia/Jakarta")
        jakarta = ZoneInfo("Asia/Jakarta")
        late = datetime(2026, 11, 29, 23, 59, tzinfo=jakarta).astimezone(timezone.utc)
        early = datetime(2026, 11, 30, 0, 30, tzinfo=jakarta).astimezone(timezone.utc)
        write_history(runtime.engine, [
            history_row("WH/MO/LATE", "GROWER", "completed", late, {Silo.A: (400, 400)}, 400.0),
            history_row("WH/MO/EARLY", "GROWER", "completed", early, {Silo.A: (400, 401)}, 401.0, batch_no=2)])
        day = {"since": "2026-11-30T00:00", "until": "2026-12-01T00:00"}
        async with await _client(runtime) as http:
            history = (await http.get("/api/admin/history", params=day)).json()["data"]
            assert [item["mo_id"] for item in history["items"]] == ["WH/MO/EARLY"]
            report = (await http.get("/api/admin/report", params={"from": day["since"], "to": day["until"]})).json()
            assert report["data"]["batches_by_status"]["completed"] == 1
            with_offset = (await http.get("/api/admin/history", params={"since": "2026-11-30T00:00+00:00"})).json()
            assert with_offset["data"]["total"] == 0
            bad = await http.get("/api/admin/report", params={"from": "30/11/2026", "to": day["until"]})
            assert bad.status_code == 422 and "plant time, Asia/Jakarta" in bad.json()["message"]
            bad = await http.get("/api/admin/history", params={"since": "30/11/2026"})
            assert bad.status_code == 422 and bad.json()["message"].startswith("query parameter since: must be an ISO 8601 time")
            assert "plant time, Asia/Jakarta" in bad.json()["message"]
            docs = (await http.get("/api/openapi.json")).json()
            since_doc = next(p for p in docs["paths"]["/api/admin/history"]["get"]["parameters"] if p["name"] == "since")
            assert "plant time, Asia/Jakarta" in since_doc["description"]
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_dosed_bookings_are_listed_and_marked_booked_with_the_caller(make_runtime, fake_odoo, plc_sim,
                                                                          api_port):
    from tools.support.factories import make_reading

    runtime = await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=api_port, API_TOKEN=TOKEN)
    mo = make_mo(1, silos=2)
    await runtime.db(runtime.store.insert_batches, [mo])
    await runtime.db(runtime.store.apply_plc_reading, make_reading(mo, 1, fraction=0.5), 5000)
    async with await _client(runtime) as http:
        assert (await http.get("/api/admin/dosed-bookings")).json() == {"status": "success", "data": []}
        await http.post("/api/admin/clear-mo-batch")
        listed = (await http.get("/api/admin/dosed-bookings")).json()["data"]
        assert [(row["mo_id"], row["component"], row["kg"], row["outcome"]) for row in listed] == [
            (mo.mo_id, "silo101", 50.0, "cleared"), (mo.mo_id, "silo102", 50.5, "cleared")]
        assert all(row["booked_at"] is None for row in listed)
        answer = await http.post("/api/admin/dosed-bookings/booked", json={"ids": [listed[0]["id"]]})
        assert answer.status_code == 200 and answer.json()["booked_ids"] == [listed[0]["id"]]
        still_open = (await http.get("/api/admin/dosed-bookings")).json()["data"]
        assert [row["id"] for row in still_open] == [listed[1]["id"]]
        every = (await http.get("/api/admin/dosed-bookings", params={"all": "true"})).json()["data"]
        assert every[0]["booked_by"] == "api:engineer (API_TOKEN)" and every[0]["booked_at"]
        again = await http.post("/api/admin/dosed-bookings/booked", json={"ids": [listed[0]["id"]]})
        assert again.status_code == 422
