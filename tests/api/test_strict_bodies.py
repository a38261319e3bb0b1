"""Admin API request bodies are read strictly: a wrong JSON type, an unknown key, a body that is not
a JSON object (or list) or not JSON at all answers 422 ``{"status": "error", "message": ...}``
naming the field, and nothing changes in the plant.

Real Runtime and a real Scheduler on the session's qasync loop (as the service runs them), the
fake Odoo on loopback, the API over a real socket. Every check reads the plant back through the
API's GETs, as a user would.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest

from hmi.app.runtime import Runtime
from hmi.app.scheduler import Scheduler
from hmi.services.tolerance import SiloOverride
from hmi.silo_assignment import parse_entries
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from tests.services.test_hand_add import _mo_with_premix
from tools.support.factories import make_mo
from tests.support.live import settings_for
from tests.support.qt_loop import run

TOKEN = "s3cret-token"
HELD_MO = "WH/MO/00011"
PREMIX_MO = "WH/MO/00004"
CONFIRM = f"/api/admin/batches/{PREMIX_MO}/hand-add/901/confirm"
NOT_JSON = b'{"plc_was_reset": tru'


@contextlib.asynccontextmanager
async def _plant(tmp_path, fake_odoo, port):
    """A started service: one MO held, four batches in the table (one with hand-added components),
    an alarm waiting, a tolerance override and a silo assignment; auto-sync on. The scheduler's
    timers are not started, so nothing but the requests under test changes the plant."""
    runtime = Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'hmi.db'}", fake_odoo, None,
                                   API_ENABLED="true", API_PORT=port, API_TOKEN=TOKEN, ENABLE_AUTO_SYNC="true"))
    await runtime.start()
    scheduler = Scheduler(runtime)
    runtime.admin.scheduler = scheduler
    try:
        await runtime.db(runtime.store.insert_batches, [make_mo(11)])
        await runtime.admin.clear("setup")  # WH/MO/00011 is now held
        await runtime.db(runtime.store.insert_batches, [make_mo(1), make_mo(2), make_mo(3), _mo_with_premix(4)])
        await runtime.alarms.event("batch.out_of_tolerance", "MO WH/MO/00009 silo A outside", "WH/MO/00009")
        await runtime.tolerance.replace([SiloOverride("A", 2.0, None)], "setup")
        await runtime.silo_assignment.replace(parse_entries(DEMO_SILO_ASSIGNMENT), "setup")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{runtime.api.port}", timeout=10,
                                     headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            yield http
    finally:
        await scheduler.stop()
        await runtime.stop()


async def _alarm_id(http: httpx.AsyncClient) -> int:
    return (await http.get("/api/admin/alarms")).json()["data"]["items"][0]["id"]


async def _state(http: httpx.AsyncClient) -> dict[str, Any]:
    """What a user sees of everything a body-taking route could change."""
    batches = (await http.get("/api/admin/batch-status")).json()["data"]["batches"]
    alarms = (await http.get("/api/admin/alarms")).json()["data"]
    hand_add = (await http.get(f"/api/admin/batches/{PREMIX_MO}/hand-add")).json()["data"]
    return {
        "table": [b["mo_id"] for b in batches],
        "held": [h["mo_id"] for h in (await http.get("/api/admin/held")).json()["data"]],
        "auto_sync": (await http.get("/api/admin/scheduler")).json()["data"]["auto_sync_enabled"],
        "hand_add": [(line["product_id"], line["confirmed"], line["actual_kg"]) for line in hand_add],
        "alarms": ([a["id"] for a in alarms["items"]], alarms["shelved"]),
        "tolerances": (await http.get("/api/admin/silo-assignment/tolerances")).json()["silos"],
        "silo_assignment": (await http.get("/api/admin/silo-assignment")).json(),
    }


async def _send(http: httpx.AsyncClient, method: str, path: str, body: Any) -> httpx.Response:
    if path == "shelve":
        path = f"/api/admin/alarms/{await _alarm_id(http)}/shelve"
    if isinstance(body, bytes):
        return await http.request(method, path, content=body, headers={"Content-Type": "application/json"})
    return await http.request(method, path, json=body)


ROUTES = {
    "clear": ("POST", "/api/admin/clear-mo-batch"),
    "scheduler": ("POST", "/api/admin/scheduler"),
    "release": ("POST", "/api/admin/release"),
    "hand-add": ("POST", CONFIRM),
    "shelve": ("POST", "shelve"),
    "tolerances": ("PUT", "/api/admin/silo-assignment/tolerances"),
    "silo-assignment": ("PUT", "/api/admin/silo-assignment"),
}

#: route, what is wrong, the body, what the message says. Where it can, the body is one that a
#: lax reading would have carried out (a string read as true, an unknown key ignored).
REFUSED = [
    ("clear", "string for a boolean", {"plc_was_reset": "yes"},
     'plc_was_reset: must be true or false (a JSON boolean), not "yes"'),
    ("clear", "number for a boolean", {"plc_was_reset": 1}, "plc_was_reset: must be true or false"),
    ("clear", "unknown key", {"plc_was_rest": True}, 'unknown field "plc_was_rest"'),
    ("clear", "not an object", ["plc_was_reset"], 'the body must be an object (a JSON object), not ["plc_was_reset"]'),
    ("clear", "null", b"null", "the body must be an object (a JSON object), not null"),
    ("clear", "malformed JSON", NOT_JSON, "the body is not JSON"),
    ("scheduler", "string for a boolean", {"enabled": "off"},
     'enabled: must be true or false (a JSON boolean), not "off"'),
    ("scheduler", "unknown key", {"enabled": False, "reason": "night"}, 'unknown field "reason"'),
    ("scheduler", "missing field", {}, "enabled: is required"),
    ("scheduler", "not an object", "off", 'the body must be an object (a JSON object), not "off"'),
    ("scheduler", "malformed JSON", b"enabled=false", "the body is not JSON"),
    ("release", "string for a list", {"mo_ids": HELD_MO, "reason": "checked"},
     f'mo_ids: must be a list (a JSON array), not "{HELD_MO}"'),
    ("release", "number for a string", {"mo_ids": [HELD_MO], "reason": 42},
     "reason: must be a text (a JSON string), not 42"),
    ("release", "number in a list of strings", {"mo_ids": [11], "reason": "checked"},
     "entry 1 of mo_ids: must be a text (a JSON string), not 11"),
    ("release", "unknown key", {"mo_ids": [HELD_MO], "reason": "checked", "force": True}, 'unknown field "force"'),
    ("release", "not an object", [HELD_MO], "the body must be an object (a JSON object)"),
    ("release", "malformed JSON", b'{"mo_ids": [', "the body is not JSON"),
    ("hand-add", "string for a number", {"weighed_kg": "2.6"},
     'weighed_kg: must be a number (a JSON number), not "2.6"'),
    ("hand-add", "boolean for a number", {"weighed_kg": True},
     "weighed_kg: must be a number (a JSON number), not true"),
    ("hand-add", "string for a boolean", {"accept_target": "true"},
     'accept_target: must be true or false (a JSON boolean), not "true"'),
    ("hand-add", "unknown key", {"weighed_kg": 2.6, "unit": "kg"}, 'unknown field "unit"'),
    ("hand-add", "not an object", 2.6, "the body must be an object (a JSON object), not 2.6"),
    ("hand-add", "NaN", b'{"weighed_kg": NaN}', "weighed_kg: must be a finite number"),
    ("shelve", "string for a number", {"minutes": "30", "reason": "scale recalibration"},
     'minutes: must be a number (a JSON number), not "30"'),
    ("shelve", "out of range", {"minutes": 0, "reason": "scale recalibration"},
     "minutes: must be greater than 0, not 0"),
    ("shelve", "unknown key", {"minutes": 30, "reason": "scale recalibration", "until": "noon"},
     'unknown field "until"'),
    ("shelve", "not an object", [30, "scale recalibration"], "the body must be an object (a JSON object)"),
    ("shelve", "malformed JSON", b"{'minutes': 30}", "the body is not JSON"),
    ("tolerances", "string for a number", [{"silo": "B", "kg": "5"}],
     'kg of entry 1: must be a number (a JSON number), not "5"'),
    ("tolerances", "number for a string", [{"silo": 2, "kg": 5}], "silo of entry 1: must be a text (a JSON string)"),
    ("tolerances", "unknown key", [{"silo": "B", "kg": 5, "note": "new scale"}], 'unknown field "note" in entry 1'),
    ("tolerances", "object for a list", {"silo": "B", "kg": 5}, "the body must be a list (a JSON array)"),
    ("tolerances", "not an object in the list", ["B"], 'entry 1: must be an object (a JSON object), not "B"'),
    ("tolerances", "malformed JSON", b'[{"silo": "B",]', "the body is not JSON"),
    ("silo-assignment", "number for a string", [{"silo": "A", "product_code": 5}],
     "entry 1 (silo A): product_code must be a non-empty text"),
    ("silo-assignment", "unknown key", [{"silo": "A", "product_code": "RM-X", "colour": "red"}],
     "entry 1 has unknown field(s) colour"),
    ("silo-assignment", "object for a list", {"silo": "A", "product_code": "RM-X"}, "must be a list"),
    ("silo-assignment", "malformed JSON", b'[{"silo": "A"', "the body is not JSON"),
]


@pytest.mark.parametrize("route, wrong, body, says", REFUSED, ids=[f"{r}: {w}" for r, w, _, _ in REFUSED])
def test_a_refused_body_answers_422_naming_the_field_and_changes_nothing(qloop, tmp_path, fake_odoo, free_port,
                                                                          route, wrong, body, says):
    method, path = ROUTES[route]

    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            before = await _state(http)
            answer = await _send(http, method, path, body)
            return answer, before, await _state(http)

    answer, before, after = run(qloop, scenario())
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"status": "error", "message": answer.json()["message"]}
    assert says in answer.json()["message"]
    assert after == before


#: route, a valid body, and what it changes. A whole number where a decimal is expected is fine.
ACCEPTED = [
    ("clear", {"plc_was_reset": True}, lambda s: {**s, "table": []}),
    ("clear", None, lambda s: {**s, "table": [], "held": sorted(s["held"] + s["table"])}),
    ("scheduler", {"enabled": False}, lambda s: {**s, "auto_sync": False}),
    ("release", {"mo_ids": [HELD_MO], "reason": "checked"}, lambda s: {**s, "held": []}),
    ("hand-add", {"weighed_kg": 2}, lambda s: {**s, "hand_add": [(901, True, 2.0), (902, False, None)]}),
    ("hand-add", {"accept_target": True}, lambda s: {**s, "hand_add": [(901, True, 2.5), (902, False, None)]}),
    ("shelve", {"minutes": 30, "reason": "scale recalibration"}, # the first alarm of the list
     lambda s: {**s, "alarms": (s["alarms"][0][1:], s["alarms"][1] + 1)}),
    ("tolerances", [{"silo": "B", "kg": 5, "percent": 0.5}],
     lambda s: {**s, "tolerances": [{"silo": "B", "kg": 5.0, "percent": 0.5}]}),
    ("silo-assignment", DEMO_SILO_ASSIGNMENT[:1], lambda s: {**s, "silo_assignment": DEMO_SILO_ASSIGNMENT[:1]}),
]


@pytest.mark.parametrize("route, body, changes", ACCEPTED,
                         ids=[f"{r}: {json.dumps(b)[:40]}" for r, b, _ in ACCEPTED])
def test_a_valid_body_still_works(qloop, tmp_path, fake_odoo, free_port, route, body, changes):
    method, path = ROUTES[route]

    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            before = await _state(http)
            if body is None:  # no body at all: the clear's defaults
                answer = await http.request(method, path)
            else:
                answer = await _send(http, method, path, body)
            return answer, before, await _state(http)

    answer, before, after = run(qloop, scenario())
    assert answer.status_code == 200, answer.text
    expected = changes(before)
    assert {**after, "held": sorted(after["held"])} == {**expected, "held": sorted(expected["held"])}


def test_string_for_a_boolean_is_refused_and_nothing_is_cleared(qloop, tmp_path, fake_odoo, free_port):
    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            answer = await http.post("/api/admin/clear-mo-batch", json={"plc_was_reset": "yes"})
            table = (await http.get("/api/admin/batch-status")).json()["data"]
            history = (await http.get("/api/admin/history", params={"status": "cleared"})).json()["data"]
            return answer, table, history

    answer, table, history = run(qloop, scenario())
    assert answer.status_code == 422
    assert answer.json() == {"status": "error",
                             "message": 'plc_was_reset: must be true or false (a JSON boolean), not "yes"'}
    assert table["total_batches"] == 4
    assert [item["mo_id"] for item in history["items"]] == [HELD_MO]  # only the set-up's clear


def test_string_enabled_does_not_pause_auto_sync(qloop, tmp_path, fake_odoo, free_port):
    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            answer = await http.post("/api/admin/scheduler", json={"enabled": "off"})
            return answer, (await http.get("/api/admin/scheduler")).json()["data"]

    answer, scheduler = run(qloop, scenario())
    assert answer.status_code == 422
    assert answer.json() == {"status": "error", "message": 'enabled: must be true or false (a JSON boolean), not "off"'}
    assert scheduler["auto_sync_enabled"] is True


def test_a_body_not_sent_as_json_is_refused_and_nothing_is_cleared(qloop, tmp_path, fake_odoo, free_port):
    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            before = await _state(http)
            # curl -d without -H 'Content-Type: application/json' sends a form.
            answer = await http.post("/api/admin/clear-mo-batch", content=b'{"plc_was_reset": true}',
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
            return answer, before, await _state(http)

    answer, before, after = run(qloop, scenario())
    assert answer.status_code == 422
    assert answer.json() == {"status": "error",
                             "message": "the body must be JSON, sent with Content-Type: application/json"}
    assert after == before


@pytest.mark.parametrize("method, path, says", [
    ("GET", "/api/admin/history?limit=abc", 'query parameter limit: must be a whole number, not "abc"'),
    ("GET", "/api/admin/history?limit=1000", 'query parameter limit: must be at most 500, not "1000"'),
    ("GET", "/api/admin/history?since=yesterday", "query parameter since: must be an ISO 8601 time such as "
                                                  "2026-11-30T06:00 (plant time, "),
    ("GET", "/api/admin/alarms?limit=0", 'query parameter limit: must be at least 1, not "0"'),
    ("POST", "/api/admin/alarms/first/ack", 'alarm_id in the path: must be a whole number, not "first"'),
    ("POST", f"/api/admin/batches/{PREMIX_MO}/hand-add/premix/confirm",
     'product_id in the path: must be a whole number, not "premix"'),
])
def test_a_bad_query_or_path_value_answers_in_the_same_shape(qloop, tmp_path, fake_odoo, free_port, method, path,
                                                             says):
    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            before = await _state(http)
            answer = await http.request(method, path, json={"accept_target": True} if method == "POST" else None)
            return answer, before, await _state(http)

    answer, before, after = run(qloop, scenario())
    assert answer.status_code == 422
    assert set(answer.json()) == {"status", "message"} and answer.json()["status"] == "error"
    assert answer.json()["message"].startswith(says)
    assert after == before


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/admin/no-such-route", 404),
    ("DELETE", "/api/admin/clear-mo-batch", 405),
])
def test_an_unknown_route_or_method_answers_in_the_same_shape(qloop, tmp_path, fake_odoo, free_port, method, path,
                                                              status):
    async def scenario():
        async with _plant(tmp_path, fake_odoo, free_port) as http:
            return await http.request(method, path)

    answer = run(qloop, scenario())
    assert answer.status_code == status
    assert set(answer.json()) == {"status", "message"} and answer.json()["status"] == "error"
