"""The admin API is closed: a token on every request, the role per endpoint, no browser and no foreign Host."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys

import httpx
import pytest

from hmi.api.tokens import TOKEN_FILE_NAME
from tests.support.live import wait_for

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ENGINEER, SUPERVISOR, OPERATOR = "engineer-token-0001", "supervisor-token-01", "operator-token-0001"

#: (method, path, body, lowest role allowed)
ENDPOINTS = [
    ("GET", "/api/admin/batch-status", None, "operator"),
    ("GET", "/api/admin/held", None, "operator"),
    ("GET", "/api/admin/history", None, "operator"),
    ("GET", "/api/health", None, "operator"),
    ("GET", "/api/admin/silo-assignment", None, "operator"),
    ("GET", "/api/docs", None, "operator"),
    ("GET", "/api/openapi.json", None, "operator"),
    ("GET", "/api/admin/scheduler", None, "operator"),
    ("POST", "/api/admin/scheduler", {"enabled": True}, "operator"),
    ("POST", "/api/admin/trigger-sync", None, "operator"),
    ("POST", "/api/admin/release", {"mo_ids": ["WH/MO/99999"], "reason": "checked"}, "supervisor"),
    ("POST", "/api/admin/clear-mo-batch", None, "supervisor"),
    ("POST", "/api/admin/batches/WH/MO/99999/retry-push", None, "supervisor"),
    ("POST", "/api/admin/batches/WH/MO/99999/cancel", None, "supervisor"),
    ("POST", "/api/admin/batches/WH/MO/99999/archive-failed", None, "supervisor"),
    ("PUT", "/api/admin/silo-assignment", [], "supervisor"),
]
ROLE_TOKENS = {"operator": OPERATOR, "supervisor": SUPERVISOR, "engineer": ENGINEER}
RANK = ["operator", "supervisor", "engineer"]


async def _runtime(make_runtime, fake_odoo, free_port, **extra):
    env = {"API_TOKEN": ENGINEER, "API_SUPERVISOR_TOKEN": SUPERVISOR, "API_OPERATOR_TOKEN": OPERATOR}
    env.update(extra)
    return await make_runtime(fake_odoo, None, API_ENABLED="true", API_PORT=free_port, **env)


def _base(runtime) -> str:
    return f"http://127.0.0.1:{runtime.api.port}"


async def _send(http: httpx.AsyncClient, method: str, path: str, body, **headers) -> httpx.Response:
    return await http.request(method, path, json=body, headers=headers)


async def test_no_token_is_refused_on_every_endpoint_reads_and_docs_included(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with httpx.AsyncClient(base_url=_base(runtime)) as http:
        for method, path, body, _ in ENDPOINTS:
            answer = await _send(http, method, path, body)
            assert answer.status_code == 401, (method, path)
            assert answer.json() == {"status": "error", "message": "missing or wrong bearer token"}
            wrong = await _send(http, method, path, body, Authorization="Bearer not-the-token")
            assert wrong.status_code == 401, (method, path)


async def test_each_role_token_is_allowed_or_refused_per_endpoint(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with httpx.AsyncClient(base_url=_base(runtime), timeout=10) as http:
        for role, token in ROLE_TOKENS.items():
            for method, path, body, needed in ENDPOINTS:
                answer = await _send(http, method, path, body, Authorization=f"Bearer {token}")
                if RANK.index(role) >= RANK.index(needed):
                    assert answer.status_code not in (401, 403), (role, method, path, answer.text)
                else:
                    assert answer.status_code == 403, (role, method, path)
                    assert answer.json()["message"] == f"this needs the {needed} role; the token has {role}"


async def test_a_browser_origin_or_a_foreign_host_is_refused_even_with_the_token(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    auth = {"Authorization": f"Bearer {ENGINEER}"}
    async with httpx.AsyncClient(base_url=_base(runtime)) as http:
        for origin in ("http://evil.example", "null", f"http://127.0.0.1:{runtime.api.port}"):
            answer = await http.post("/api/admin/clear-mo-batch", headers={**auth, "Origin": origin})
            assert answer.status_code == 403, origin
            assert "web page" in answer.json()["message"]
        # DNS rebinding: a foreign name that resolves to 127.0.0.1
        rebound = await http.get("/api/admin/batch-status", headers={**auth, "Host": f"evil.example:{runtime.api.port}"})
        assert rebound.status_code == 421
        for host in ("127.0.0.1", "localhost", f"localhost:{runtime.api.port}"):
            assert (await http.get("/api/health", headers={**auth, "Host": host})).status_code == 200, host

    async def logged() -> bool:
        return any("Origin 'http://evil.example'" in r["message"] for r in await runtime.db(runtime.log_records.recent_log, 50))

    assert await wait_for(logged, timeout=5)


async def test_first_start_generates_an_engineer_token_only_the_owner_can_read(make_runtime, fake_odoo, free_port,
                                                                                tmp_path):
    runtime = await _runtime(make_runtime, fake_odoo, free_port, API_TOKEN="")
    path = tmp_path / "data" / TOKEN_FILE_NAME
    stored = json.loads(path.read_text())
    assert len(stored["token"]) >= 32 and stored["label"] == "generated"
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert runtime.api_tokens.engineer.secret == stored["token"]
    async with httpx.AsyncClient(base_url=_base(runtime)) as http:
        assert (await http.get("/api/admin/batch-status")).status_code == 401
        ok = await http.post("/api/admin/clear-mo-batch", headers={"Authorization": f"Bearer {stored['token']}"})
        assert ok.status_code == 200
        # Regenerated from the window: the old token stops working at once, the new one works.
        new = runtime.api_tokens.regenerate("Budi")
        assert (await http.get("/api/health", headers={"Authorization": f"Bearer {stored['token']}"})).status_code == 401
        assert (await http.get("/api/health", headers={"Authorization": f"Bearer {new}"})).status_code == 200
    history = await runtime.admin.history("cleared")
    assert history.total == 0 or {e.actor for e in history.entries} == {"api:engineer (generated)"}


async def test_actor_comes_from_the_token_never_from_a_header(make_runtime, fake_odoo, free_port):
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    await runtime.sync.sync("manual")
    async with httpx.AsyncClient(base_url=_base(runtime)) as http:
        answer = await http.post("/api/admin/clear-mo-batch",
                                 headers={"Authorization": f"Bearer {SUPERVISOR}", "X-HMI-Actor": "somebody-else"})
        assert answer.status_code == 200
    page = await runtime.admin.history("cleared")
    assert page.total == 10
    assert {e.actor for e in page.entries} == {"api:supervisor (API_SUPERVISOR_TOKEN)"}

    async def cleared_records():
        return [r for r in await runtime.db(runtime.log_records.recent_log, 50) if "cleared" in r["message"].lower()
                and r["actor"]]

    cleared = await wait_for(cleared_records, timeout=5)
    log = await runtime.db(runtime.log_records.recent_log, 50)
    assert cleared and all(r["actor"] == "api:supervisor (API_SUPERVISOR_TOKEN)" for r in cleared)
    assert not any("somebody-else" in (r["actor"] or "") for r in log)


async def test_wrong_tokens_are_logged_at_most_once_a_minute(make_runtime, fake_odoo, free_port, caplog):
    caplog.set_level(logging.WARNING, logger="hmi.api")
    runtime = await _runtime(make_runtime, fake_odoo, free_port)
    async with httpx.AsyncClient(base_url=_base(runtime)) as http:
        for _ in range(20):
            assert (await http.get("/api/health", headers={"Authorization": "Bearer guess"})).status_code == 401
    refused = [m for m in caplog.messages if "refused a request" in m]
    assert len(refused) == 1 and "missing or wrong bearer token" in refused[0]
