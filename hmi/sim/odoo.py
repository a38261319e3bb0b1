"""A fake Odoo with the grt_scada addon routes, on a real HTTP socket (standard library only).

This module holds the sessions, the faults and the dispatch of the routes (`FakeOdoo`); the MOs and what
the routes do to them are in hmi/sim/scada_orders.py, the HTTP handler in hmi/sim/scada_http.py, the
server's thread and lifecycle in hmi/sim/loopback_http.py, the command line (both flavours) in
hmi/sim/odoo_cli.py, the stock Odoo fake in hmi/sim/stock_catalogue.py, stock_orm.py and stock_http.py.

    python -m hmi.sim.odoo [--host 127.0.0.1] [--port 8070] [--mos 40] [--seed 1]

In-process (demo, tests):

    fake = FakeOdoo(port=0, mo_count=40)
    fake.start()                      # daemon thread; fake.port / fake.base_url are now set
    fake.set_faults(delay_seconds=2)  # or POST /fake/faults {"delay_seconds": 2}
    fake.pushes                       # every update-with-consumptions received (also GET /fake/pushes)
    fake.stop()

Reproduced from the addon and stock Odoo (docs/odoo.md has the full contract):
- every route is type='json': JSON-RPC envelope or bare JSON body in, `{"jsonrpc","id","result"}` out;
- auth='user' routes need the `session_id` cookie, else the JSON-RPC error code 100 "Odoo Session Expired";
- the addon's own failures come back inside `result` as `{"status": "error", "message": ...}`;
- unknown routes answer an HTML 404 page, a body that is not JSON an HTTP 400 "Invalid JSON data".
Messages of refusals follow the addon where its source is known and are plain English otherwise.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import secrets
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, Iterable, Mapping, Sequence

from hmi.clock import utc_now
from hmi.sim import odoo_cli
from hmi.sim.fault_switches import FaultSwitches
from hmi.sim.loopback_http import LoopbackHttpServer
from hmi.sim.odoo_catalogue import (
    DEFAULT_DB,
    DEFAULT_LOGIN,
    DEFAULT_MO_COUNT,
    DEFAULT_PASSWORD,
    equipment_catalogue,
    line_equipment,
)
from hmi.sim.scada_http import NOT_FOUND_HTML, _error_envelope, _Handler, _Reply, _result_envelope
from hmi.sim.scada_orders import ScadaOrders

__all__ = ["DEFAULT_DB", "DEFAULT_LOGIN", "DEFAULT_MO_COUNT", "DEFAULT_PASSWORD", "NOT_FOUND_HTML", "FakeOdoo",
           "OdooFaults", "main"]

log = logging.getLogger("hmi.sim.odoo")

SESSION_LIFETIME = timedelta(days=7)  # odoo/http.py SESSION_LIFETIME
ADMIN_UID = 2


@dataclass
class OdooFaults:
    """Switchable misbehaviour. Everything stays on until changed or cleared (except expire_sessions)."""

    #: Seconds to wait before answering (client timeouts).
    delay_seconds: float = 0.0
    #: Answer HTTP 500 with an HTML page.
    http_500: bool = False
    #: /api/scada/* answer the HTML 404 of an Odoo without the grt_scada addon.
    addon_missing: bool = False
    #: Answer HTTP 200, Content-Type JSON, with a truncated body.
    malformed_json: bool = False
    #: The next N requests to auth='user' routes find their session expired (sessions are dropped).
    expire_sessions: int = 0
    #: Extra entries appended to `errors` of every update-with-consumptions.
    partial_errors: list[str] = field(default_factory=list)
    #: Logins are refused as if the password were wrong.
    wrong_credentials: bool = False
    #: /api/scada routes (except authenticate) answer `{"status": "error", "message": <this>}`.
    application_error: str | None = None
    #: /api/scada routes (except authenticate) answer a JSON-RPC UserError envelope with this message.
    rpc_error: str | None = None
    #: Limit delay/http_500/malformed_json/addon_missing/application_error/rpc_error to this path.
    route: str | None = None

    def applies_to(self, path: str) -> bool:
        return self.route is None or self.route == path

    def check(self) -> None:
        """Raise TypeError on a value of the wrong type (faults also arrive as JSON over /fake/faults)."""
        def fail(name: str, wanted: str) -> None:
            raise TypeError(f"fault {name} must be {wanted}, got {getattr(self, name)!r}")

        if isinstance(self.delay_seconds, bool) or not isinstance(self.delay_seconds, (int, float)) \
                or not 0 <= self.delay_seconds < 3600:
            fail("delay_seconds", "a number of seconds in [0, 3600)")
        for name in ("http_500", "addon_missing", "malformed_json", "wrong_credentials"):
            if not isinstance(getattr(self, name), bool):
                fail(name, "true or false")
        if isinstance(self.expire_sessions, bool) or not isinstance(self.expire_sessions, int) \
                or self.expire_sessions < 0:
            fail("expire_sessions", "a count >= 0")
        if not isinstance(self.partial_errors, list) or not all(isinstance(e, str) for e in self.partial_errors):
            fail("partial_errors", "a list of texts")
        for name in ("application_error", "rpc_error", "route"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                fail(name, "a text or null")


class FakeOdoo(LoopbackHttpServer, FaultSwitches[OdooFaults]):
    """The fake server. Thread-safe: HTTP handlers and test code share state under one lock.

    Served on loopback by hmi.sim.loopback_http (start, stop, port, base_url, pause), faults switched by
    hmi.sim.fault_switches (set_faults, clear_faults, faults_snapshot); the MOs and the route logic of
    grt_scada are ``orders`` (hmi.sim.scada_orders); this class keeps the sessions, the dispatch of the
    routes and the record of what it received.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        mo_count: int = DEFAULT_MO_COUNT,
        seed: int = 1,
        db: str = DEFAULT_DB,
        login: str = DEFAULT_LOGIN,
        password: str = DEFAULT_PASSWORD,
        session_lifetime: timedelta = SESSION_LIFETIME,
        mo_name_format: str = "WH/MO/{number:05d}",
        lines: Sequence[str] = (),
    ) -> None:
        super().__init__(host, port, _Handler, thread_name="fake-odoo", title="Fake Odoo",
                         serves=f"db {db}, {mo_count} MOs")
        #: Batching lines the MOs are dealt to in turn (MO 1 to the first, MO 2 to the second...);
        #: empty = every MO on PLC01.
        self.lines = tuple(lines)
        self.mo_count = mo_count
        self.seed = seed
        self.db = db
        self.login = login
        self._password = password
        self.session_lifetime = session_lifetime
        self.mo_name_format = mo_name_format
        self._lock = threading.RLock()
        self.equipment = equipment_catalogue()
        for code in self.lines:
            self.equipment.setdefault(code, line_equipment(code))
        self._reset_state()

    # ---- test/demo accessors ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Seed MOs again, forget sessions, records and faults."""
        with self._lock:
            self._reset_state()

    def expire_sessions(self, count: int = 1) -> None:
        """The next `count` calls to auth='user' routes find their session expired."""
        self.set_faults(expire_sessions=count)

    @property
    def pushes(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._records["pushes"])

    @property
    def material_consumptions(self) -> list[dict]:
        """Every material-consumption received (hand-added components, by product)."""
        with self._lock:
            return copy.deepcopy(self._records["material_consumptions"])

    @property
    def mark_dones(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._records["mark_dones"])

    @property
    def cancels(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self._records["cancels"])

    @property
    def equipment_failures(self) -> list[dict]:
        """Every /api/scada/equipment-failure received (also GET /fake/equipment-failures)."""
        with self._lock:
            return copy.deepcopy(self._records["equipment_failures"])

    def mo(self, name: str) -> dict:
        """One MO as mo-list-detailed would show it, whatever its state (KeyError if unknown)."""
        with self._lock:
            return self.orders.view(name)

    def all_mos(self) -> list[dict]:
        with self._lock:
            return self.orders.views()

    def add_mo_json(self, raw: dict) -> None:
        """Serve an extra, arbitrary MO object in mo-list-detailed (for tests of malformed MOs)."""
        with self._lock:
            self.orders.add_mo_json(raw)

    def set_mo_line(self, names: Iterable[str], line: str) -> None:
        """Move these MOs to another batching line (the MO-level equipment code)."""
        with self._lock:
            self.orders.set_mo_line(names, line)

    def clone_mo(self, name: str, new_name: str, line: str) -> None:
        """Serve a copy of MO ``name`` (same product, BoM and plan, nothing consumed) as ``new_name`` on
        ``line``: two lines' MOs whose names differ only where the PLC's MO field cannot show it."""
        with self._lock:
            self.orders.clone_mo(name, new_name, line)

    def set_units(self, name: str, components: Mapping[str, tuple[float, str]], mo_uom: str | None = None,
                  mo_qty: float | None = None) -> None:
        """Book MO ``name``'s components in other units: equipment code or product name -> (to_consume, uom)."""
        with self._lock:
            self.orders.set_units(name, components, mo_uom, mo_qty)

    # ---- state --------------------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self.orders = ScadaOrders(self.mo_count, self.seed, self.mo_name_format, self.lines, self.equipment)
        self._sessions: dict[str, datetime] = {}
        self._records: dict[str, list[dict]] = {"pushes": [], "mark_dones": [], "cancels": [],
                                                "material_consumptions": [], "equipment_failures": []}
        self.faults = OdooFaults()

    def _credentials_ok(self, db: object, login: object, password: object) -> bool:
        if self.faults.wrong_credentials:
            return False
        return db == self.db and login == self.login and password == self._password

    def _new_session(self) -> str:
        sid = secrets.token_hex(20)
        self._sessions[sid] = utc_now()
        return sid

    def _session_valid(self, sid: str | None) -> bool:
        if self.faults.expire_sessions > 0:
            self.faults.expire_sessions -= 1
            self._sessions.clear()
            return False
        created = self._sessions.get(sid or "")
        return created is not None and utc_now() - created < self.session_lifetime

    def _record(self, kind: str, route: str, payload: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        self._records[kind].append({
            "at": utc_now().strftime("%Y-%m-%d %H:%M:%S"),
            "route": route,
            "mo_id": payload.get("mo_id"),
            "body": copy.deepcopy(dict(payload)),
            "result": copy.deepcopy(dict(result)),
        })

    # ---- grt_scada behaviour ------------------------------------------------------------------------------

    def _equipment_failure(self, payload: Mapping[str, Any]) -> dict:
        """grt_scada creates a scada.equipment.failure record (equipment_code, description, date)."""
        code, description, date = payload.get("equipment_code"), payload.get("description"), payload.get("date")
        if not isinstance(code, str) or not code or not isinstance(description, str) or not isinstance(date, str):
            return {"status": "error", "message": "equipment_code, description and date are required"}
        count = len(self._records["equipment_failures"]) + 1
        return {"status": "success", "message": "Equipment failure recorded", "failure_id": count}

    # ---- request dispatch (called by the handler) ---------------------------------------------------------

    def handle_json_route(self, path: str, body: Mapping[str, Any], cookie_sid: str | None) -> "_Reply":
        """Dispatch one type='json' route; `body` is the decoded JSON object."""
        request_id = body.get("id") if "jsonrpc" in body else None
        # _get_json_payload of the addon: JSON-RPC params if present, else the bare object.
        params = body["params"] if isinstance(body.get("params"), dict) else body
        with self._lock:
            faults = self.faults
            if path == "/web/session/authenticate":
                if not self._credentials_ok(params.get("db"), params.get("login"), params.get("password")):
                    return _Reply.json(_error_envelope(request_id, 200, "odoo.exceptions.AccessDenied",
                                                       "Access Denied"))
                sid = self._new_session()
                return _Reply.json(_result_envelope(request_id, self._session_info()), set_session=sid)
            if path == "/api/scada/authenticate":
                if not self._credentials_ok(params.get("db"), params.get("login"), params.get("password")):
                    return _Reply.json(_result_envelope(request_id,
                                                        {"status": "error", "message": "Invalid credentials"}))
                sid = self._new_session()
                return _Reply.json(_result_envelope(request_id, {
                    "status": "success", "uid": ADMIN_UID, "session_id": sid, "db": self.db, "login": self.login,
                }), set_session=sid)
            # auth='user' below
            if not self._session_valid(cookie_sid):
                return _Reply.json(_error_envelope(None, 100, "odoo.http.SessionExpiredException",
                                                   "Session expired", message="Odoo Session Expired"))
            if faults.applies_to(path) and faults.rpc_error:
                return _Reply.json(_error_envelope(request_id, 200, "odoo.exceptions.UserError", faults.rpc_error))
            if faults.applies_to(path) and faults.application_error:
                return _Reply.json(_result_envelope(request_id,
                                                    {"status": "error", "message": faults.application_error}))
            if path == "/api/scada/mo-list-detailed":
                return _Reply.json(_result_envelope(request_id, self.orders.mo_list(params)))
            if path == "/api/scada/mo/update-with-consumptions":
                result = self.orders.update_with_consumptions(params, faults.partial_errors)
                self._record("pushes", path, params, result)
            elif path == "/api/scada/material-consumption":
                result = self.orders.material_consumption(params)
                self._record("material_consumptions", path, params, result)
            elif path == "/api/scada/mo/mark-done":
                result = self.orders.mark_done(params)
                self._record("mark_dones", path, params, result)
            elif path == "/api/scada/equipment-failure":
                result = self._equipment_failure(params)
                self._record("equipment_failures", path, params, result)
            else:
                result = self.orders.cancel(params)
                self._record("cancels", path, params, result)
            log.info("%s %s -> %s", path, params.get("mo_id"), result.get("status"))
            return _Reply.json(_result_envelope(request_id, result))

    def handle_fake_route(self, method: str, path: str, body: Mapping[str, Any]) -> "_Reply | None":
        """The /fake/* inspection and control routes (plain JSON, no session)."""
        if method == "GET" and path == "/fake/mos":
            return _Reply.json({"mos": self.all_mos()})
        if method == "GET" and path in ("/fake/pushes", "/fake/mark-dones", "/fake/cancels",
                                        "/fake/material-consumptions", "/fake/equipment-failures"):
            kind = path.removeprefix("/fake/").replace("-", "_")
            with self._lock:
                return _Reply.json({kind: copy.deepcopy(self._records[kind])})
        if path == "/fake/faults" and method == "GET":
            with self._lock:
                return _Reply.json({"faults": dataclasses.asdict(self.faults)})
        if path == "/fake/faults" and method == "POST":
            changes = dict(body)
            with self._lock:
                if changes.pop("clear", False):
                    self.faults = OdooFaults()
                try:
                    faults = self.set_faults(**changes)
                except TypeError as exc:
                    return _Reply.json({"error": str(exc)}, status=HTTPStatus.BAD_REQUEST)
            return _Reply.json({"faults": dataclasses.asdict(faults)})
        if path == "/fake/reset" and method == "POST":
            self.reset()
            return _Reply.json({"status": "reset", "mos": self.mo_count})
        return None

    def _session_info(self) -> dict:
        return {
            "uid": ADMIN_UID, "is_system": True, "is_admin": True, "is_public": False, "is_internal_user": True,
            "user_context": {"lang": "en_US", "tz": "Asia/Jakarta", "uid": ADMIN_UID},
            "db": self.db, "server_version": "14.0", "server_version_info": [14, 0, 0, "final", 0, ""],
            "name": "Administrator", "username": self.login, "partner_id": 3,
            "web.base.url": self.base_url if self.running else "",
        }


# ---- command line: hmi/sim/odoo_cli.py (grt_scada and stock flavours) -------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    return odoo_cli.main(argv, FakeOdoo)


if __name__ == "__main__":
    sys.exit(main())
