"""The fake stock Odoo on a real HTTP socket: /jsonrpc (16–19), /web/webclient/version_info, and for 19
/web/version and /json/2/<model>/<method>. Standard library only.

    fake = FakeStockOdoo(version=18, port=0)   # or version=19 (JSON-2 with the API key)
    fake.start(); fake.base_url
    fake.set_faults(delay_seconds=2)           # or POST /fake/faults {"delay_seconds": 2}
    fake.mo_view("WH/MO/00001")                # MO with its raw moves, any state
    fake.stop()

Envelopes, statuses and error bodies follow the recorded exchanges in /work/shared/fixtures/odoo
(tests/odoo/test_stock_contract.py compares them).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from hmi.sim.fault_switches import FaultSwitches
from hmi.sim.loopback_http import FakeRequestHandler, LoopbackHttpServer
from hmi.sim.stock_orm import ADMIN_UID, ORM_METHODS, FakeError, StockOdooState

DEFAULT_DB = "feedmill"
DEFAULT_LOGIN = "admin"
DEFAULT_PASSWORD = "admin"
DEFAULT_API_KEY = "demo-api-key-0000000000000000000000000000"
DEFAULT_MO_COUNT = 24
_JSON2 = re.compile(r"^/json/2/(?P<model>[\w.]+)/(?P<method>\w+)$")
_MODEL_METHODS = ("search_read", "search", "search_count", "create", "name_search", "context_get")

NOT_FOUND_HTML = (
    "<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"utf-8\"/>\n        <title>Odoo</title>\n"
    "    </head>\n    <body>\n        <h1>404: Page not found</h1>\n"
    "        <p>The page you were looking for could not be found.</p>\n    </body>\n</html>\n"
)


@dataclass
class StockFaults:
    """Switchable misbehaviour; stays on until changed (expire_credentials counts down)."""

    #: Seconds to wait before answering (client timeouts).
    delay_seconds: float = 0.0
    #: HTTP 500 with an HTML page.
    http_500: bool = False
    #: HTTP 200 with an HTML page (a proxy's login page) instead of JSON.
    html_instead_of_json: bool = False
    #: Every credential refused (password changed, API key revoked or expired).
    wrong_credentials: bool = False
    #: The next N object calls find the credentials refused (a key rotated mid-run): re-login succeeds.
    expire_credentials: int = 0
    #: Calls on this model raise AccessError (the user lacks the group).
    access_error_model: str | None = None
    #: button_mark_done raises a UserError with this message.
    mark_done_user_error: str | None = None

    def check(self) -> None:
        if isinstance(self.delay_seconds, bool) or not isinstance(self.delay_seconds, (int, float)) \
                or not 0 <= self.delay_seconds < 3600:
            raise TypeError("fault delay_seconds must be a number of seconds in [0, 3600)")
        for name in ("http_500", "html_instead_of_json", "wrong_credentials"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"fault {name} must be true or false")
        if isinstance(self.expire_credentials, bool) or not isinstance(self.expire_credentials, int) \
                or self.expire_credentials < 0:
            raise TypeError("fault expire_credentials must be a count >= 0")
        for name in ("access_error_model", "mark_done_user_error"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise TypeError(f"fault {name} must be a text or null")


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Reply":
        return cls(status, "application/json; charset=utf-8", json.dumps(payload).encode(), headers or {})

    @classmethod
    def html(cls, status: int, text: str) -> "Reply":
        return cls(status, "text/html; charset=utf-8", text.encode())


class FakeStockOdoo(LoopbackHttpServer, FaultSwitches[StockFaults]):
    """Stock Odoo 16–19 for demo and tests. Thread-safe: one lock around the records.

    Served on loopback by hmi.sim.loopback_http (start, stop, port, base_url, pause), faults switched by
    hmi.sim.fault_switches (set_faults, clear_faults); the records and the ORM are ``state``
    (hmi.sim.stock_orm); this class checks the credentials and speaks /jsonrpc and /json/2.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, version: int = 18,
                 mo_count: int = DEFAULT_MO_COUNT, seed: int = 1, db: str = DEFAULT_DB,
                 login: str = DEFAULT_LOGIN, password: str = DEFAULT_PASSWORD,
                 api_key: str = DEFAULT_API_KEY) -> None:
        super().__init__(host, port, _Handler, thread_name="fake-stock-odoo", title=f"Fake stock Odoo {version}",
                         serves=f"db {db}, {mo_count} MOs")
        self.version = version
        self.mo_count = mo_count
        self.seed = seed
        self.db = db
        self.login = login
        self._password = password
        self._api_key = api_key
        self._lock = threading.RLock()
        self.reset()

    @property
    def api_key(self) -> str:
        return self._api_key

    # ---- test/demo accessors ------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.state = StockOdooState(self.version, self.mo_count, self.seed)
            self.faults = StockFaults()

    def mo_view(self, name: str) -> dict:
        with self._lock:
            mo = self.state.mo_by_name(name)
            if mo is None:
                raise KeyError(name)
            return self.state.mo_view(mo)

    def all_mos(self) -> list[dict]:
        with self._lock:
            return [self.state.mo_view(mo) for mo in self.state.records["mrp.production"].values()]

    def set_mo_state(self, name: str, state: str) -> None:
        """What an Odoo user does meanwhile: close ('done') or cancel ('cancel') an MO by hand."""
        with self._lock:
            mo = self.state.mo_by_name(name)
            if mo is None:
                raise KeyError(name)
            if state == "cancel":
                self.state.execute("mrp.production", "action_cancel", [[mo["id"]]], {})
            elif state == "done":
                self.state.execute("mrp.production", "button_mark_done", [[mo["id"]]],
                                   {"context": {"skip_consumption": True, "skip_backorder": True,
                                                "skip_immediate": True}})
            else:
                mo["state"] = state

    def set_consumption(self, name: str, consumption: str) -> None:
        """The BoM consumption mode of an MO (flexible / warning / strict)."""
        with self._lock:
            self.state.mo_by_name(name)["consumption"] = consumption

    @property
    def calls(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self.state.calls)

    # ---- protocol handling (called by the HTTP handler) ---------------------------------------------------

    def _secret_ok(self, secret: object, api_key_only: bool = False) -> bool:
        if self.faults.wrong_credentials:
            return False
        return secret == self._api_key or (not api_key_only and secret == self._password)

    def _consume_expiry(self) -> bool:
        if self.faults.expire_credentials > 0:
            self.faults.expire_credentials -= 1
            return True
        return False

    def version_info(self) -> dict:
        return {"server_version": f"{self.version}.0",
                "server_version_info": [self.version, 0, 0, "final", 0, ""],
                "server_serie": f"{self.version}.0", "protocol_version": 1}

    def handle_jsonrpc(self, body: Mapping[str, Any]) -> Reply:
        request_id = body.get("id")
        params = body.get("params") if isinstance(body.get("params"), dict) else {}
        service, method, args = params.get("service"), params.get("method"), params.get("args") or []
        with self._lock:
            try:
                if service == "common":
                    result = self._common(method, args)
                elif service == "object":
                    result = self._object(method, args)
                elif service == "db" and self.version < 20:
                    result = [self.db] if method == "list" else None
                else:
                    raise FakeError("builtins.KeyError", str(service), 500)
            except FakeError as exc:
                return Reply.json(self._error_envelope(request_id, exc))
            except TypeError as exc:
                return Reply.json(self._error_envelope(request_id, FakeError("builtins.TypeError", str(exc), 500)))
        envelope: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
        if result is not None:
            envelope["result"] = result  # Odoo leaves `result` out when the method returned None
        return Reply.json(envelope)

    def _common(self, method: object, args: list) -> Any:
        if method == "version":
            return self.version_info()
        if method in ("authenticate", "login"):
            db, login, secret = (list(args) + [None, None, None])[:3]
            ok = db == self.db and login == self.login and self._secret_ok(secret)
            return ADMIN_UID if ok else False  # a wrong password is `false`, not an error
        raise FakeError("builtins.AttributeError", f"module 'odoo.service.common' has no attribute "
                                                   f"'exp_{method}'", 500)

    def _object(self, method: object, args: list) -> Any:
        if method not in ("execute_kw", "execute"):
            raise FakeError("builtins.AttributeError", f"module 'odoo.service.model' has no attribute '{method}'",
                            500)
        if len(args) < 5:
            raise FakeError("builtins.TypeError", "execute_kw() missing required positional arguments", 500)
        db, uid, secret, model, name = args[:5]
        positional = list(args[5]) if len(args) > 5 and isinstance(args[5], list) else []
        kwargs = dict(args[6]) if len(args) > 6 and isinstance(args[6], dict) else {}
        if db != self.db or uid != ADMIN_UID or not self._secret_ok(secret) or self._consume_expiry():
            raise FakeError("odoo.exceptions.AccessDenied", "Access Denied", 403)
        return self._execute(str(model), str(name), positional, kwargs)

    def _execute(self, model: str, method: str, args: list, kwargs: dict) -> Any:
        if self.faults.access_error_model == model:
            raise FakeError("odoo.exceptions.AccessError",
                            f"You are not allowed to access '{model}' records.\n\nThis operation is allowed for "
                            "the following groups:\n\t- Manufacturing/User", 403)
        if model == "mrp.production" and method == "button_mark_done" and self.faults.mark_done_user_error:
            raise FakeError("odoo.exceptions.UserError", self.faults.mark_done_user_error, 422)
        return self.state.execute(model, method, args, kwargs)

    def handle_json2(self, model: str, method: str, headers: Mapping[str, str], body: Mapping[str, Any]) -> Reply:
        auth = headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        with self._lock:
            if not auth:
                return self._json2_error(FakeError(
                    "werkzeug.exceptions.Unauthorized",
                    "User not authenticated, use an API Key with a Bearer Authorization header.", 401))
            if scheme.lower() != "bearer" or not self._secret_ok(token, api_key_only=True) or self._consume_expiry():
                return self._json2_error(FakeError("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401))
            kwargs = dict(body)
            ids = kwargs.pop("ids", None)
            args: list[Any] = []
            if ids is not None:
                if method in _MODEL_METHODS:
                    return self._json2_error(FakeError("werkzeug.exceptions.UnprocessableEntity",
                                                       f"cannot call {model}.{method} with ids", 422))
                args.append(ids)
            elif method in ("read", "write") or (method not in ORM_METHODS and method not in _MODEL_METHODS):
                args.append([])
            if method == "write":
                if "vals" not in kwargs:
                    return self._json2_error(FakeError("werkzeug.exceptions.UnprocessableEntity",
                                                       "missing a required argument: 'vals'", 422))
                args.append(kwargs.pop("vals"))
            if method == "create":
                if "vals_list" not in kwargs:
                    return self._json2_error(FakeError("werkzeug.exceptions.UnprocessableEntity",
                                                       "missing a required argument: 'vals_list'", 422))
                args.append(kwargs.pop("vals_list"))
            if method in ("search_read", "search", "search_count") and "domain" not in kwargs \
                    and method != "search_read":
                return self._json2_error(FakeError("werkzeug.exceptions.UnprocessableEntity",
                                                   "missing a required argument: 'domain'", 422))
            try:
                if model not in self.state.fields:
                    raise FakeError("werkzeug.exceptions.NotFound", f"the model '{model}' does not exist", 404)
                result = self._execute(model, method, args, kwargs)
            except FakeError as exc:
                if exc.name == "builtins.AttributeError":
                    exc = FakeError("werkzeug.exceptions.NotFound", exc.message, 404)
                return self._json2_error(exc)
            except TypeError as exc:
                return self._json2_error(FakeError("builtins.TypeError", str(exc), 500))
        if method == "create" and isinstance(result, int):
            result = [result]  # a recordset comes back as its list of ids
        return Reply.json(result)

    def _error_envelope(self, request_id: Any, exc: FakeError) -> dict:
        short = exc.name.rsplit(".", 1)[-1]
        debug = f"    <source line omitted>\n{short if exc.name.startswith('builtins.') else exc.name}: {exc.message}"
        if self.version >= 19:
            data = {"name": exc.name, "message": exc.message, "arguments": [exc.message], "context": {},
                    "debug": debug}
        else:
            data = {"name": exc.name, "debug": debug, "message": exc.message, "arguments": [exc.message],
                    "context": {}}
        return {"jsonrpc": "2.0", "id": request_id,
                "error": {"code": 0 if self.version >= 19 else 200, "message": "Odoo Server Error", "data": data}}

    def _json2_error(self, exc: FakeError) -> Reply:
        arguments: list[Any] = [exc.message, exc.status] if exc.name.startswith("werkzeug.") else [exc.message]
        body = {"name": exc.name, "message": exc.message, "arguments": arguments, "context": {},
                "debug": f"    <source line omitted>\n{exc.name}: {exc.message}"}
        headers = {"WWW-Authenticate": "Bearer "} if exc.status == 401 else {}
        return Reply.json(body, status=exc.status, headers=headers)

    def handle_fake(self, method: str, path: str, body: Mapping[str, Any]) -> Reply | None:
        if method == "GET" and path == "/fake/mos":
            return Reply.json({"mos": self.all_mos()})
        if method == "GET" and path == "/fake/calls":
            return Reply.json({"calls": self.calls})
        if method == "GET" and path == "/fake/faults":
            with self._lock:
                return Reply.json(dataclasses.asdict(self.faults))
        if method == "POST" and path == "/fake/faults":
            changes = dict(body)
            if changes.pop("clear", False):
                self.clear_faults()
            try:
                faults = self.set_faults(**changes)
            except TypeError as exc:
                return Reply.json({"error": str(exc)}, status=400)
            return Reply.json(dataclasses.asdict(faults))
        if method == "POST" and path == "/fake/reset":
            self.reset()
            return Reply.json({"status": "reset"})
        if method == "POST" and path == "/fake/mo-state":
            try:
                self.set_mo_state(str(body.get("name")), str(body.get("state")))
            except (KeyError, FakeError) as exc:
                return Reply.json({"error": str(exc)}, status=400)
            return Reply.json(self.mo_view(str(body.get("name"))))
        return None


class _Handler(FakeRequestHandler):
    """Served by hmi.sim.loopback_http's FakeHttpServer; ``server.fake`` is the FakeStockOdoo."""

    server_version = "Werkzeug/3.0.1"

    def _dispatch(self, method: str) -> None:
        fake: FakeStockOdoo = self.server.fake
        path = self.path.split("?", 1)[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path.startswith("/fake/"):
            body = _decode(raw) if raw else {}
            reply = fake.handle_fake(method, path, body if isinstance(body, dict) else {})
            self._send(reply or Reply.html(404, NOT_FOUND_HTML))
            return
        faults = copy.deepcopy(fake.faults)
        if faults.delay_seconds > 0 and fake.pause(faults.delay_seconds):
            return
        if faults.http_500:
            self._send(Reply.html(500, "<!doctype html><title>500 Internal Server Error</title>"
                                       "<h1>Internal Server Error</h1>"))
            return
        if faults.html_instead_of_json:
            self._send(Reply.html(200, "<!doctype html><html><title>Sign in</title><body>Proxy login</body></html>"))
            return
        self._send(self._route(fake, method, path, raw))

    def _route(self, fake: FakeStockOdoo, method: str, path: str, raw: bytes) -> Reply:
        json2 = _JSON2.match(path)
        if path == "/web/version" and fake.version >= 19:
            return Reply.json({"version_info": fake.version_info()["server_version_info"],
                               "version": f"{fake.version}.0"})
        if json2 and fake.version >= 19:
            if method != "POST":
                return fake._json2_error(FakeError("werkzeug.exceptions.NotFound",
                                                   "Did you mean POST /json/2/<model>/<method>?", 404))
            if self._content_type() != "application/json":
                return Reply.html(415, "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n"
                                       "<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible "
                                       "with ['http'] but '/json/2/<__model__>/<__method__>' is type='json2'.")
            body = _decode(raw) if raw else {}
            if not isinstance(body, dict):
                return fake._json2_error(FakeError("werkzeug.exceptions.BadRequest",
                                                   "could not parse the body as json", 400))
            return fake.handle_json2(json2["model"], json2["method"], dict(self.headers), body)
        if path not in ("/jsonrpc", "/web/webclient/version_info") or method != "POST":
            return Reply.html(404, NOT_FOUND_HTML)
        if self._content_type() not in ("application/json", "application/json-rpc"):
            status = 415 if fake.version >= 19 else 400
            return Reply.html(status, f"<!doctype html>\n<html lang=en>\n<title>{status} Bad Request</title>\n"
                                      f"<p>Request inferred type is compatible with ['http'] but '{path}' is "
                                      "type='json'.</p>\n")
        body = _decode(raw)
        if not isinstance(body, dict):
            return Reply.html(400, "Invalid JSON data")
        if path == "/web/webclient/version_info":
            return Reply.json({"jsonrpc": "2.0", "id": body.get("id"), "result": fake.version_info()})
        return fake.handle_jsonrpc(body)

    def _content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(reply.body)


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
