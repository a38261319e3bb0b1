"""A fake Odoo with the grt_scada addon routes, on a real HTTP socket (standard library only).

This module holds the state and the route logic (`FakeOdoo`); the HTTP server and handler are in
hmi/sim/scada_http.py, the command line (both flavours) in hmi/sim/odoo_cli.py, the stock Odoo fake in
hmi/sim/stock_catalogue.py, stock_orm.py and stock_http.py.

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
import math
import secrets
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from typing import Any, Iterable, Mapping, Sequence

from hmi.clock import utc_now
from hmi.sim import odoo_cli
from hmi.sim.odoo_catalogue import (
    DEFAULT_DB,
    DEFAULT_LOGIN,
    DEFAULT_MO_COUNT,
    DEFAULT_PASSWORD,
    ODOO_DATETIME,
    FakeMo,
    equipment_catalogue,
    line_equipment,
    seed_mos,
)
from hmi.sim.scada_http import NOT_FOUND_HTML, _error_envelope, _Handler, _Reply, _result_envelope, _Server

__all__ = ["DEFAULT_DB", "DEFAULT_LOGIN", "DEFAULT_MO_COUNT", "DEFAULT_PASSWORD", "NOT_FOUND_HTML", "FakeOdoo",
           "OdooFaults", "main"]

log = logging.getLogger("hmi.sim.odoo")

SESSION_LIFETIME = timedelta(days=7)  # odoo/http.py SESSION_LIFETIME
ADMIN_UID = 2

_TARGET_QTY_KEYS = ("product_qty", "quantity_to_produce", "qty_to_produce", "target_produksi", "target_production")
_FINISHED_QTY_KEYS = ("quantity", "finished_qty", "qty_finished", "qty_producing", "weight_finished_goods",
                      "actual_weight_finished_goods", "actual_weight_quantity_finished_goods")
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


class FakeOdoo:
    """The fake server. Thread-safe: HTTP handlers and test code share state under one lock."""

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
        self.host = host
        #: Batching lines the MOs are dealt to in turn (MO 1 to the first, MO 2 to the second...);
        #: empty = every MO on PLC01.
        self.lines = tuple(lines)
        self.requested_port = port
        self.mo_count = mo_count
        self.seed = seed
        self.db = db
        self.login = login
        self._password = password
        self.session_lifetime = session_lifetime
        self.mo_name_format = mo_name_format
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.equipment = equipment_catalogue()
        for code in self.lines:
            self.equipment.setdefault(code, line_equipment(code))
        self._reset_state()

    # ---- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> int:
        """Bind and serve in a daemon thread; returns the bound port."""
        if self._server is not None:
            return self.port
        self._stopping.clear()
        server = _Server((self.host, self.requested_port), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-odoo", daemon=True,
                                        kwargs={"poll_interval": 0.1})
        self._thread.start()
        log.info("Fake Odoo listening on %s (db %s, %d MOs)", self.base_url, self.db, self.mo_count)
        return self.port

    def stop(self) -> None:
        """Stop serving and close the socket; delayed answers are abandoned."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("Fake Odoo stopped")

    def __enter__(self) -> "FakeOdoo":
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeOdoo is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ---- test/demo accessors ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Seed MOs again, forget sessions, records and faults."""
        with self._lock:
            self._reset_state()

    def set_faults(self, **changes: Any) -> OdooFaults:
        """Change some faults, e.g. set_faults(http_500=True). Unknown names raise TypeError."""
        with self._lock:
            faults = dataclasses.replace(self.faults, **changes)
            faults.check()
            self.faults = faults
            log.info("Faults now %s", self.faults)
            return copy.deepcopy(self.faults)

    def faults_snapshot(self) -> OdooFaults:
        with self._lock:
            return copy.deepcopy(self.faults)

    def pause(self, seconds: float) -> bool:
        """Sleep for a delay fault; True if the server is stopping meanwhile (the answer is then dropped)."""
        return self._stopping.wait(seconds)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults = OdooFaults()

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
            return self._mo_json(self._mos[name], with_internal=True)

    def all_mos(self) -> list[dict]:
        with self._lock:
            return [self._mo_json(mo, with_internal=True) for mo in self._mos.values()]

    def add_mo_json(self, raw: dict) -> None:
        """Serve an extra, arbitrary MO object in mo-list-detailed (for tests of malformed MOs)."""
        with self._lock:
            self._extra_mo_json.append(copy.deepcopy(raw))

    # ---- state --------------------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self._mos: dict[str, FakeMo] = {mo.name: mo for mo in seed_mos(self.mo_count, self.seed, self.mo_name_format)}
        for index, mo in enumerate(self._mos.values()):
            if self.lines:
                mo.line = self.lines[index % len(self.lines)]
        self._sessions: dict[str, datetime] = {}
        self._records: dict[str, list[dict]] = {"pushes": [], "mark_dones": [], "cancels": [],
                                                "material_consumptions": [], "equipment_failures": []}
        self._extra_mo_json: list[dict] = []
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

    def _mo_list(self, params: Mapping[str, Any]) -> dict:
        try:
            limit = int(params.get("limit", 10))
            offset = int(params.get("offset", 0))
        except (TypeError, ValueError):
            return {"status": "error", "message": "limit and offset must be integers"}
        states = params.get("states") or ["confirmed"]
        if isinstance(states, str):
            states = [s.strip() for s in states.split(",") if s.strip()]
        # order='date_planned_start asc, id desc'
        selected = sorted((mo for mo in self._mos.values() if mo.state in states),
                          key=lambda mo: (mo.date_planned_start, -mo.mo_db_id))
        data = [self._mo_json(mo) for mo in selected[offset:offset + limit]]
        data.extend(copy.deepcopy(self._extra_mo_json))
        return {"status": "success", "count": len(data), "data": data}

    def _update_with_consumptions(self, payload: Mapping[str, Any]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": f"Cannot update MO {mo.name} in state '{mo.state}'"}
        result: dict[str, Any] = {"status": "success", "mo_id": mo.name}
        errors: list[str] = []
        consumed_items: list[dict] = []
        for key, value in payload.items():
            if key in ("mo_id", "jsonrpc", "method", "id", "params"):
                continue
            quantity = _as_quantity(value)
            if quantity is None:
                errors.append(f"{key}: Invalid quantity {value!r}")
                continue
            if key in _TARGET_QTY_KEYS:
                mo.product_qty = quantity
                result["updated_quantity"] = quantity
            elif key in _FINISHED_QTY_KEYS:
                mo.qty_producing = quantity
                result["updated_finished_qty"] = quantity
            elif key not in self.equipment:
                errors.append(f"{key}: Equipment not found")
            else:
                item = _replace_consumption(mo, key, quantity, self.equipment[key]["name"])
                if item is None:
                    errors.append(f"{key}: No raw material move for this equipment in MO {mo.name}")
                else:
                    consumed_items.append(item)
        errors.extend(self.faults.partial_errors)
        if mo.state == "confirmed" and (consumed_items or mo.qty_producing):
            mo.state = "progress"  # as Odoo does once something is produced/consumed
        result.update(message="MO updated with some errors" if errors else "MO updated successfully",
                      mo_state=mo.state, consumed_items=consumed_items)
        if errors:
            result["errors"] = errors
        return result

    def _material_consumption(self, payload: Mapping[str, Any]) -> dict:
        """The addon's material-consumption: one product's quantity onto the MO's raw moves of that product."""
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": f"Cannot update MO {mo.name} in state '{mo.state}'"}
        product_id = payload.get("product_id")
        quantity = _as_quantity(payload.get("quantity"))
        if quantity is None or quantity < 0:
            return {"status": "error", "message": f"Invalid quantity {payload.get('quantity')!r}"}
        mode = payload.get("update_mode") or "add"
        if mode not in ("add", "replace"):
            return {"status": "error", "message": f"update_mode must be 'add' or 'replace', got {mode!r}"}
        moves = [m for m in mo.moves if m.product_id == product_id]
        if not moves:
            return {"status": "error", "message": f"Product {product_id!r} is not a component of MO {mo.name}"}
        remaining = quantity if mode == "replace" else quantity + sum(m.quantity_done for m in moves)
        for index, move in enumerate(moves):
            last = index == len(moves) - 1
            move.quantity_done = remaining if last else min(remaining, move.bom_qty)
            remaining -= move.quantity_done
        if mo.state == "confirmed":
            mo.state = "progress"
        return {"status": "success", "message": "Material consumption recorded", "mo_id": mo.name,
                "mo_state": mo.state, "product_id": product_id, "applied_qty": quantity,
                "move_ids": [m.move_id for m in moves]}

    def _mark_done(self, payload: Mapping[str, Any]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        finished_qty = payload.get("finished_qty")
        if finished_qty is None:
            return {"status": "error", "message": "finished_qty is required"}
        quantity = _as_quantity(finished_qty)
        if quantity is None:
            return {"status": "error", "message": "finished_qty must be a number"}
        if quantity <= 0:
            return {"status": "error", "message": "finished_qty must be > 0"}
        if mo.state in ("done", "cancel"):
            return {"status": "error", "message": "No finished product move found for this MO"}
        date_end = payload.get("date_end_actual")
        if date_end:
            try:
                datetime.strptime(str(date_end), "%Y-%m-%d %H:%M:%S")
            except ValueError:
                return {"status": "error",
                        "message": f"Error: '{date_end}' does not match format '%Y-%m-%d %H:%M:%S'"}
            mo.date_finished = str(date_end)
        mo.qty_producing = quantity
        mo.state = "done"
        return {"status": "success", "message": "Manufacturing order marked as done", "mo_id": mo.name,
                "auto_consumed": 0, "materials": []}

    def _equipment_failure(self, payload: Mapping[str, Any]) -> dict:
        """grt_scada creates a scada.equipment.failure record (equipment_code, description, date)."""
        code, description, date = payload.get("equipment_code"), payload.get("description"), payload.get("date")
        if not isinstance(code, str) or not code or not isinstance(description, str) or not isinstance(date, str):
            return {"status": "error", "message": "equipment_code, description and date are required"}
        count = len(self._records["equipment_failures"]) + 1
        return {"status": "success", "message": "Equipment failure recorded", "failure_id": count}

    def _cancel(self, payload: Mapping[str, Any]) -> dict:
        mo, refusal = self._find_mo(payload)
        if refusal:
            return refusal
        if mo.state == "done":
            return {"status": "error", "message": f"Cannot cancel MO {mo.name}: it is already done"}
        mo.state = "cancel"
        return {"status": "success", "message": "MO cancelled successfully", "mo_id": mo.name, "mo_state": mo.state}

    def _find_mo(self, payload: Mapping[str, Any]) -> tuple[FakeMo, None] | tuple[None, dict]:
        name = payload.get("mo_id")
        if not name:
            return None, {"status": "error", "message": "mo_id is required"}
        mo = self._mos.get(str(name))
        if mo is None:
            return None, {"status": "error", "message": f"Manufacturing order {name} not found"}
        return mo, None

    def set_mo_line(self, names: Iterable[str], line: str) -> None:
        """Move these MOs to another batching line (the MO-level equipment code)."""
        with self._lock:
            for name in names:
                self._mos[name].line = line

    def set_component_qty(self, name: str, equipment_code: str, qty: float) -> None:
        """Change what MO ``name`` asks of one silo/tank (its BoM quantity, in kg)."""
        with self._lock:
            for move in self._mos[name].moves:
                if move.equipment_code == equipment_code:
                    move.bom_qty = qty

    def clone_mo(self, name: str, new_name: str, line: str) -> None:
        """Serve a copy of MO ``name`` (same product, BoM and plan, nothing consumed) as ``new_name`` on
        ``line``: two lines' MOs whose names differ only where the PLC's MO field cannot show it."""
        with self._lock:
            source = self._mos[name]
            clone = copy.deepcopy(source)
            clone.name = new_name
            clone.line = line
            clone.mo_db_id = max(mo.mo_db_id for mo in self._mos.values()) + 1
            for move in clone.moves:
                move.quantity_done = 0.0
            self._mos[new_name] = clone

    def _mo_json(self, mo: FakeMo, with_internal: bool = False) -> dict:
        plc = self.equipment[mo.line]
        components = []
        for move in mo.moves:
            components.append({
                "product_tmpl_id": move.product_id, "product_id": move.product_id,
                "product_name": move.product_name, "to_consume": move.bom_qty, "reserved": 0.0,
                "consumed": min(move.quantity_done, move.bom_qty),  # the addon caps at the BoM quantity
                "uom": "kg", "equipment": copy.deepcopy(self.equipment[move.equipment_code]),
            })
        data = {
            "mo_id": mo.name,
            "reference": mo.origin,
            "state": mo.state,
            "schedule_start": mo.date_planned_start.strftime(ODOO_DATETIME),
            "schedule_end": mo.date_planned_finished.strftime(ODOO_DATETIME),
            "equipment": copy.deepcopy(plc),
            "product_tmpl_id": mo.product_id,
            "product_id": mo.product_id,
            "product_name": mo.product_name,
            "quantity": mo.product_qty,
            "produced_qty": mo.qty_producing,
            "uom": "kg",
            "bom_id": mo.bom_id,
            "bom_code": mo.bom_code,
            "bom_components": [
                {"product_tmpl_id": m.product_id, "product_id": m.product_id, "product_name": m.product_name,
                 "quantity": m.bom_qty, "uom": "kg"} for m in mo.moves
            ],
            "components_consumption": components,
        }
        if with_internal:  # only on /fake/mos: the uncapped values a test wants to compare with what it sent
            data["fake"] = {"date_finished": mo.date_finished,
                            "quantity_done": {m.equipment_code: 0.0 for m in mo.moves}}
            for m in mo.moves:
                data["fake"]["quantity_done"][m.equipment_code] += m.quantity_done
            data["fake"]["quantity_done_by_product"] = {m.product_name: m.quantity_done for m in mo.moves}
        return data

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
                return _Reply.json(_result_envelope(request_id, self._mo_list(params)))
            if path == "/api/scada/mo/update-with-consumptions":
                result = self._update_with_consumptions(params)
                self._record("pushes", path, params, result)
            elif path == "/api/scada/material-consumption":
                result = self._material_consumption(params)
                self._record("material_consumptions", path, params, result)
            elif path == "/api/scada/mo/mark-done":
                result = self._mark_done(params)
                self._record("mark_dones", path, params, result)
            elif path == "/api/scada/equipment-failure":
                result = self._equipment_failure(params)
                self._record("equipment_failures", path, params, result)
            else:
                result = self._cancel(params)
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
            "web.base.url": self.base_url if self._server else "",
        }


def _as_quantity(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # the addon float()s whatever it gets
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _replace_consumption(mo: FakeMo, code: str, quantity: float, equipment_name: str) -> dict | None:
    """REPLACE mode of the addon: reset the equipment's raw moves, fill them in order, overconsume on the last."""
    moves = [m for m in mo.moves if m.equipment_code == code]
    if not moves:
        return None
    remaining = quantity
    for index, move in enumerate(moves):
        last = index == len(moves) - 1
        move.quantity_done = remaining if last else min(remaining, move.bom_qty)
        remaining -= move.quantity_done
    return {"equipment_code": code, "equipment_name": equipment_name, "applied_qty": quantity,
            "move_ids": [m.move_id for m in moves], "products": [m.product_name for m in moves]}


# ---- command line: hmi/sim/odoo_cli.py (grt_scada and stock flavours) -------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    return odoo_cli.main(argv, FakeOdoo)


if __name__ == "__main__":
    sys.exit(main())
