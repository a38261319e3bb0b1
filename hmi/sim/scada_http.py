"""HTTP side of the fake grt_scada Odoo: the request handler and the JSON-RPC envelopes.

The socket server and its thread are hmi/sim/loopback_http.py's; the state (MOs, sessions, faults) and the
route logic live in hmi/sim/odoo.py (`FakeOdoo`) and hmi/sim/scada_orders.py; this module only
turns HTTP requests into calls on it and its replies into HTTP answers, as Odoo's type='json' routes do.
It names what it needs of the fake as the `Routes` protocol and does not import hmi.sim.odoo (which imports
this module), so the two form no circle.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import Any, Mapping, Protocol

from hmi.sim.loopback_http import FakeRequestHandler

_ROUTES_ANY_AUTH = ("/web/session/authenticate", "/api/scada/authenticate")
_ROUTES_USER_AUTH = (
    "/api/scada/mo-list-detailed",
    "/api/scada/mo/update-with-consumptions",
    "/api/scada/mo/mark-done",
    "/api/scada/mo/cancel",
    "/api/scada/material-consumption",
    "/api/scada/equipment-failure",
)

NOT_FOUND_HTML = (
    "<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"utf-8\"/>\n        <title>Odoo</title>\n"
    "    </head>\n    <body>\n        <h1>404: Page not found</h1>\n"
    "        <p>The page you were looking for could not be found.</p>\n    </body>\n</html>\n"
)


class RouteFaults(Protocol):
    """The faults this module applies itself (hmi.sim.odoo.OdooFaults has them)."""

    delay_seconds: float
    http_500: bool
    addon_missing: bool
    malformed_json: bool

    def applies_to(self, path: str) -> bool: ...


class Routes(Protocol):
    """What the handler calls on the fake Odoo (hmi.sim.odoo.FakeOdoo)."""

    session_lifetime: timedelta

    def faults_snapshot(self) -> RouteFaults: ...

    def pause(self, seconds: float) -> bool: ...

    def handle_json_route(self, path: str, body: Mapping[str, Any], cookie_sid: str | None) -> "_Reply": ...

    def handle_fake_route(self, method: str, path: str, body: Mapping[str, Any]) -> "_Reply | None": ...


@dataclass
class _Reply:
    status: int
    content_type: str
    body: bytes
    set_session: str | None = None

    @classmethod
    def json(cls, payload: Any, status: int = HTTPStatus.OK, set_session: str | None = None) -> "_Reply":
        return cls(status, "application/json; charset=utf-8", json.dumps(payload).encode(), set_session)

    @classmethod
    def html(cls, status: int, text: str) -> "_Reply":
        return cls(status, "text/html; charset=utf-8", text.encode())


def _result_envelope(request_id: Any, result: Any) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def _error_envelope(request_id: Any, code: int, name: str, text: str, message: str = "Odoo Server Error") -> dict:
    """Odoo's serialize_exception shape (18.0 key order)."""
    return {"jsonrpc": "2.0", "id": request_id, "error": {
        "code": code, "message": message,
        "data": {"name": name, "debug": f"Traceback (most recent call last):\n{name}: {text}", "message": text,
                 "arguments": [text], "context": {}},
    }}


class _Handler(FakeRequestHandler):
    """Served by hmi.sim.loopback_http's FakeHttpServer; ``server.fake`` is the FakeOdoo (Routes)."""

    server_version = "Werkzeug/2.0.2"  # what Odoo 14-16 answers with

    def _dispatch(self, method: str) -> None:
        fake: Routes = self.server.fake
        path = self.path.split("?", 1)[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))

        if path.startswith("/fake/"):
            body = _decode_object(raw) if raw else {}
            reply = fake.handle_fake_route(method, path, body or {}) if body is not None else \
                _Reply.json({"error": "body must be a JSON object"}, status=HTTPStatus.BAD_REQUEST)
            self._send(reply or _Reply.html(HTTPStatus.NOT_FOUND, NOT_FOUND_HTML))
            return

        faults = fake.faults_snapshot()
        if faults.applies_to(path) and faults.delay_seconds > 0 and fake.pause(faults.delay_seconds):
            return  # server stopping: drop the answer
        known = path in _ROUTES_ANY_AUTH or path in _ROUTES_USER_AUTH
        if not known or (faults.addon_missing and faults.applies_to(path) and path.startswith("/api/scada/")):
            self._send(_Reply.html(HTTPStatus.NOT_FOUND, NOT_FOUND_HTML))
            return
        if method != "POST":
            self._send(_Reply.html(HTTPStatus.METHOD_NOT_ALLOWED,
                                   "<!doctype html><title>405 Method Not Allowed</title><h1>Method Not Allowed</h1>"))
            return
        if faults.http_500 and faults.applies_to(path):
            self._send(_Reply.html(HTTPStatus.INTERNAL_SERVER_ERROR,
                                   "<!doctype html><title>500 Internal Server Error</title>"
                                   "<h1>Internal Server Error</h1>"))
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in ("application/json", "application/json-rpc"):
            self._send(_Reply.html(HTTPStatus.BAD_REQUEST, f"<p>Request inferred type is compatible with ['http'] "
                                                           f"but '{path}' is type='json'.</p>"))
            return
        body = _decode_object(raw)
        if body is None:
            self._send(_Reply.html(HTTPStatus.BAD_REQUEST, "Invalid JSON data"))
            return
        reply = fake.handle_json_route(path, body, self._cookie("session_id"))
        if faults.malformed_json and faults.applies_to(path):
            reply = dataclasses.replace(reply, body=reply.body[: max(1, len(reply.body) // 2)])
        self._send(reply)

    def _cookie(self, name: str) -> str | None:
        for part in self.headers.get("Cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def _send(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.set_session:
            max_age = int(self.server.fake.session_lifetime.total_seconds())
            self.send_header("Set-Cookie", f"session_id={reply.set_session}; Max-Age={max_age}; HttpOnly; Path=/")
        self.end_headers()
        self.wfile.write(reply.body)


def _decode_object(raw: bytes) -> dict | None:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None
