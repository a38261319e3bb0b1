"""GET/PUT /api/admin/silo-assignment over a real socket on the real Runtime."""

from __future__ import annotations

import httpx
import pytest

from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT

TOKEN = "s3cret-token"
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


SUPERVISOR = "supervisor-token-1"
OPERATOR = "operator-token-1"


async def _runtime(make_runtime, fake_odoo, free_port, **extra):
    return await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=free_port, API_TOKEN=TOKEN,
                              API_SUPERVISOR_TOKEN=SUPERVISOR, API_OPERATOR_TOKEN=OPERATOR, **extra)


def _http(runtime, token: str = TOKEN) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}",
                             headers={"Authorization": f"Bearer {token}"})


async def test_put_replaces_the_table_and_get_reads_it_back(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with _http(runtime, SUPERVISOR) as http:
        assert (await http.get("/api/admin/silo-assignment")).json() == []
        # A header cannot choose the actor: the token's role and label are recorded.
        put = await http.put("/api/admin/silo-assignment", json=DEMO_SILO_ASSIGNMENT,
                             headers={"X-HMI-Actor": "maintenance"})
        assert put.status_code == 200 and put.json() == DEMO_SILO_ASSIGNMENT
        smaller = [{"silo": "b", "product_code": "RM-CORN", "product_name": "Corn"},
                   {"silo": "A", "product_code": "RM-PKE"}]
    async with _http(runtime) as http:
        put = await http.put("/api/admin/silo-assignment", json=smaller)
        assert put.json() == [{"silo": "A", "product_code": "RM-PKE", "product_name": ""},
                              {"silo": "B", "product_code": "RM-CORN", "product_name": "Corn"}]
        assert (await http.get("/api/admin/silo-assignment")).json() == put.json()
    log = [r for r in await runtime.db(runtime.log_records.recent_log, 200) if "Silo assignment changed" in r["message"]]
    assert {r["actor"] for r in log} == {"api:supervisor (API_SUPERVISOR_TOKEN)", "api:engineer (API_TOKEN)"}
    assert any("silo B RM-KOPRA -> RM-CORN (Corn)" in r["message"] for r in log)
    assert any("silo C emptied (was RM-POLLARD)" in r["message"] for r in log)


@pytest.mark.parametrize("body, fragment", [
    ([{"silo": "Z", "product_code": "RM-X"}], "entry 1: unknown silo 'Z'"),
    ([{"silo": "A", "product_code": "RM-X"}, {"silo": "B", "product_code": "RM-X"}],
     "entry 2: product RM-X is already in silo A"),
    ([{"silo": "A", "product_code": "RM-X"}, {"silo": "a", "product_code": "RM-Y"}], "entry 2: silo A is listed twice"),
    ([{"silo": "A"}], "entry 1 (silo A): product_code must be a non-empty text"),
    ([{"silo": "A", "product_code": "RM-X", "colour": "red"}], "entry 1 has unknown field(s) colour"),
    ({"silo": "A"}, "must be a list"),
    ("not json", "not JSON"),
])
async def test_bad_body_is_refused_naming_the_entry_and_nothing_changes(make_runtime, fake_odoo, free_port, body,
                                                                         fragment):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with _http(runtime) as http:
        await http.put("/api/admin/silo-assignment", json=DEMO_SILO_ASSIGNMENT)
        if body == "not json":
            answer = await http.put("/api/admin/silo-assignment", content=b"{not json",
                                    headers={"Content-Type": "application/json"})
        else:
            answer = await http.put("/api/admin/silo-assignment", json=body)
        assert answer.status_code == 422
        assert answer.json()["status"] == "error" and fragment in answer.json()["message"]
        assert (await http.get("/api/admin/silo-assignment")).json() == DEMO_SILO_ASSIGNMENT


async def test_put_needs_a_supervisor_token(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}") as anonymous:
        assert (await anonymous.put("/api/admin/silo-assignment", json=[])).status_code == 401
        assert (await anonymous.get("/api/admin/silo-assignment")).status_code == 401
    async with _http(runtime, OPERATOR) as http:
        refused = await http.put("/api/admin/silo-assignment", json=[])
        assert refused.status_code == 403 and "needs the supervisor role" in refused.json()["message"]
        assert (await http.get("/api/admin/silo-assignment")).status_code == 200
    async with _http(runtime, SUPERVISOR) as http:
        ok = await http.put("/api/admin/silo-assignment", json=DEMO_SILO_ASSIGNMENT[:1])
        assert ok.status_code == 200
        assert len((await http.get("/api/admin/silo-assignment")).json()) == 1
