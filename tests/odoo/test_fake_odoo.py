"""The fake Odoo seen by a plain HTTP client: the grt_scada envelopes, /fake/* routes, lifecycle and CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from hmi.sim.odoo import FakeOdoo
from hmi.sim.odoo_catalogue import PLC01_ADDITIVES, SILO_INGREDIENTS, seed_mos
from tests.conftest import pick_free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
LOGIN = {"db": "feedmill", "login": "admin", "password": "admin"}


def rpc(params: dict, request_id: int = 1) -> dict:
    return {"jsonrpc": "2.0", "method": "call", "params": params, "id": request_id}


def test_documented_flow_login_keep_cookie_list(fake_odoo: FakeOdoo) -> None:
    http = requests.Session()
    login = http.post(f"{fake_odoo.base_url}/web/session/authenticate", json=rpc(LOGIN))
    assert login.status_code == 200 and "HttpOnly" in login.headers["Set-Cookie"]
    assert login.json()["result"]["uid"] == 2
    answer = http.post(f"{fake_odoo.base_url}/api/scada/mo-list-detailed", json=rpc({"limit": 3}, 7)).json()
    assert answer["jsonrpc"] == "2.0" and answer["id"] == 7
    result = answer["result"]
    assert result["status"] == "success" and result["count"] == 3
    mo = result["data"][0]
    for key in ("mo_id", "reference", "state", "schedule_start", "schedule_end", "equipment", "product_tmpl_id",
                "product_id", "product_name", "quantity", "produced_qty", "uom", "bom_id", "bom_code",
                "bom_components", "components_consumption"):
        assert key in mo
    component = mo["components_consumption"][0]
    assert set(component) == {"product_tmpl_id", "product_id", "product_name", "to_consume", "reserved",
                              "consumed", "uom", "equipment"}
    assert set(component["equipment"]) >= {"id", "code", "name", "equipment_type", "protocol"}


def test_scada_authenticate_route(fake_odoo: FakeOdoo) -> None:
    http = requests.Session()
    ok = http.post(f"{fake_odoo.base_url}/api/scada/authenticate", json=LOGIN).json()["result"]
    assert ok["status"] == "success" and ok["uid"] == 2 and ok["session_id"] == http.cookies["session_id"]
    bad = requests.post(f"{fake_odoo.base_url}/api/scada/authenticate", json={**LOGIN, "password": "x"}).json()
    assert bad["result"] == {"status": "error", "message": "Invalid credentials"}


def test_wrong_password_is_the_access_denied_envelope(fake_odoo: FakeOdoo) -> None:
    answer = requests.post(f"{fake_odoo.base_url}/web/session/authenticate",
                           json=rpc({**LOGIN, "password": "nope"}, 2)).json()
    assert answer["id"] == 2
    assert answer["error"]["code"] == 200 and answer["error"]["message"] == "Odoo Server Error"
    assert answer["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert answer["error"]["data"]["message"] == "Access Denied"


def test_no_cookie_is_session_expired_code_100(fake_odoo: FakeOdoo) -> None:
    answer = requests.post(f"{fake_odoo.base_url}/api/scada/mo-list-detailed", json=rpc({}, 3)).json()
    assert answer["id"] is None
    assert answer["error"]["code"] == 100 and answer["error"]["message"] == "Odoo Session Expired"
    assert answer["error"]["data"]["name"] == "odoo.http.SessionExpiredException"


def test_unknown_route_bad_json_and_wrong_content_type(fake_odoo: FakeOdoo) -> None:
    missing = requests.post(f"{fake_odoo.base_url}/api/mrp/orders", json=rpc({}))
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("text/html")
    bad_json = requests.post(f"{fake_odoo.base_url}/web/session/authenticate", data=b'{"jsonrpc": ',
                             headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.text == "Invalid JSON data"
    form = requests.post(f"{fake_odoo.base_url}/web/session/authenticate", data={"a": "b"})
    assert form.status_code == 400 and "type='json'" in form.text


def test_fake_routes_show_records_and_switch_faults(fake_odoo: FakeOdoo) -> None:
    base = fake_odoo.base_url
    http = requests.Session()
    http.post(f"{base}/web/session/authenticate", json=rpc(LOGIN))
    http.post(f"{base}/api/scada/mo/update-with-consumptions", json={"mo_id": "WH/MO/00001", "silo101": 12.5})
    http.post(f"{base}/api/scada/mo/cancel", json=rpc({"mo_id": "WH/MO/00002"}))
    pushes = requests.get(f"{base}/fake/pushes").json()["pushes"]
    assert pushes[0]["body"] == {"mo_id": "WH/MO/00001", "silo101": 12.5}
    assert requests.get(f"{base}/fake/cancels").json()["cancels"][0]["mo_id"] == "WH/MO/00002"
    mos = {m["mo_id"]: m for m in requests.get(f"{base}/fake/mos").json()["mos"]}
    assert mos["WH/MO/00002"]["state"] == "cancel" and mos["WH/MO/00001"]["state"] == "progress"
    assert mos["WH/MO/00001"]["fake"]["quantity_done"]["silo101"] == 12.5

    faults = requests.post(f"{base}/fake/faults", json={"http_500": True}).json()["faults"]
    assert faults["http_500"] is True
    assert http.post(f"{base}/api/scada/mo-list-detailed", json=rpc({})).status_code == 500
    assert requests.post(f"{base}/fake/faults", json={"no_such_fault": 1}).status_code == 400
    assert requests.post(f"{base}/fake/faults", json={"delay_seconds": "slow"}).status_code == 400
    assert requests.post(f"{base}/fake/faults", json={"partial_errors": "x"}).status_code == 400
    requests.post(f"{base}/fake/faults", json={"clear": True})
    assert http.post(f"{base}/api/scada/mo-list-detailed", json=rpc({})).status_code == 200

    assert requests.post(f"{base}/fake/reset").json()["status"] == "reset"
    assert fake_odoo.pushes == [] and fake_odoo.mo("WH/MO/00002")["state"] == "confirmed"


def test_fault_limited_to_one_route(fake_odoo: FakeOdoo) -> None:
    fake_odoo.set_faults(http_500=True, route="/api/scada/mo/update-with-consumptions")
    http = requests.Session()
    assert http.post(f"{fake_odoo.base_url}/web/session/authenticate", json=rpc(LOGIN)).status_code == 200
    assert http.post(f"{fake_odoo.base_url}/api/scada/mo-list-detailed", json=rpc({})).status_code == 200
    push = http.post(f"{fake_odoo.base_url}/api/scada/mo/update-with-consumptions", json={"mo_id": "WH/MO/00001"})
    assert push.status_code == 500


def test_mark_done_refuses_done_and_bad_values(fake_odoo: FakeOdoo) -> None:
    http = requests.Session()
    http.post(f"{fake_odoo.base_url}/web/session/authenticate", json=rpc(LOGIN))
    url = f"{fake_odoo.base_url}/api/scada/mo/mark-done"
    assert http.post(url, json=rpc({"mo_id": "WH/MO/00001", "finished_qty": 0})).json()["result"]["message"] \
        == "finished_qty must be > 0"
    ok = http.post(url, json=rpc({"mo_id": "WH/MO/00001", "finished_qty": 5,
                                  "date_end_actual": "2026-03-02 10:00:00"})).json()["result"]
    assert ok["status"] == "success"
    again = http.post(url, json=rpc({"mo_id": "WH/MO/00001", "finished_qty": 5})).json()["result"]
    assert again["status"] == "error"
    cancel_done = http.post(f"{fake_odoo.base_url}/api/scada/mo/cancel", json=rpc({"mo_id": "WH/MO/00001"}))
    assert cancel_done.json()["result"]["status"] == "error"


def test_seed_is_deterministic_and_uses_the_plant_ingredients() -> None:
    first, second = seed_mos(45, seed=3), seed_mos(45, seed=3)
    assert [(m.name, m.product_qty, [(x.product_name, x.bom_qty) for x in m.moves]) for m in first] == \
        [(m.name, m.product_qty, [(x.product_name, x.bom_qty) for x in m.moves]) for m in second]
    names = {move.product_name for mo in first for move in mo.moves}
    assert names <= set(SILO_INGREDIENTS.values()) | set(PLC01_ADDITIVES)
    for mo in first:
        assert abs(sum(m.bom_qty for m in mo.moves) - mo.product_qty) < 0.1


def test_stop_does_not_wait_for_a_delayed_answer() -> None:
    fake = FakeOdoo(port=0, mo_count=3)
    fake.start()
    fake.set_faults(delay_seconds=30)
    try:
        requests.post(f"{fake.base_url}/web/session/authenticate", json=rpc(LOGIN), timeout=0.2)
    except requests.exceptions.Timeout:
        pass
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2


def test_command_line_help_and_clean_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    help_text = subprocess.run([sys.executable, "-m", "hmi.sim.odoo", "--help"], capture_output=True, text=True,
                               env=env, timeout=20, check=True).stdout
    assert "--port" in help_text and "--mos" in help_text
    port = pick_free_port()
    proc = subprocess.Popen([sys.executable, "-m", "hmi.sim.odoo", "--port", str(port), "--mos", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "Fake Odoo on" in proc.stdout.readline()
        answer = requests.post(f"http://127.0.0.1:{port}/web/session/authenticate", json=rpc(LOGIN), timeout=5)
        assert answer.json()["result"]["uid"] == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
