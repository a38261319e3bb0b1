"""Stock Odoo's two external APIs as one blocking call interface (`RpcTransport.call`).

* `JsonRpcTransport`: ``POST /jsonrpc`` with ``common.authenticate`` and ``object.execute_kw``
  (Odoo 16–21; removed in 22). Password or API key. No session, no cookie.
* `Json2Transport`: ``POST /json/2/<model>/<method>`` with ``Authorization: bearer <API key>`` (Odoo 19+).
  Named arguments only, bare JSON answers, errors as real HTTP statuses.
* `AutoTransport`: asks the server's version once and picks one of the two (logs which and why).

Callers use named arguments everywhere (``call("stock.move", "write", ids=[7], args={"vals": {...}})``);
the JSON-RPC transport turns the leading ones into positional arguments as Odoo's methods declare them,
so both transports send what the recorded exchanges in the fixtures show.

Every failure becomes one of the typed errors of hmi.odoo.errors with an operator-readable message.
Shapes: /work/shared/reference/odoo-api.md §1.2 (JSON-RPC) and §1.6 (JSON-2).
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Mapping, Protocol

import requests

from hmi.operator_text import first_line
from hmi.odoo.errors import (
    OdooAccessRights,
    OdooAuthError,
    OdooBadResponse,
    OdooError,
    OdooRecordGone,
    OdooRpcError,
    OdooServerError,
    OdooSessionExpired,
    OdooTimeout,
    OdooTlsError,
    OdooUnreachable,
    OdooValidationError,
)

log = logging.getLogger("hmi.odoo")

ROUTE_JSONRPC = "/jsonrpc"
ROUTE_JSON2 = "/json/2"
ROUTE_VERSION_INFO = "/web/webclient/version_info"

#: Arguments Odoo's methods take positionally after `ids` (execute_kw args); the rest go in kwargs.
POSITIONAL = {
    "search_read": ("domain",),
    "search_count": ("domain",),
    "search": ("domain",),
    "create": ("vals_list",),
    "write": ("vals",),
}

#: The Odoo group that grants what the line does on a model (named in access-rights errors).
GROUP_FOR_MODEL = {
    "mrp": "Manufacturing / User",
    "stock": "Inventory / User",
    "product": "Inventory / User",
    "uom": "Inventory / User",
}

HINT_PASSWORD = ("Check ODOO_DB, ODOO_USERNAME and ODOO_PASSWORD or ODOO_API_KEY (an API key works in place of "
                 "the password on /jsonrpc; a key that expired or was revoked must be replaced).")
HINT_API_KEY = ("The API key in ODOO_API_KEY is wrong, expired or revoked (JSON-2 accepts only API keys, not "
                "passwords). Create a new key in Odoo: Preferences > Account Security > New API Key.")


class RpcTransport(Protocol):
    protocol: str

    def server_version(self) -> int: ...

    def authenticate(self) -> int: ...

    def call(self, model: str, method: str, ids: list[int] | None = None,
             args: Mapping[str, Any] | None = None, context: Mapping[str, Any] | None = None,
             mo_id: str | None = None) -> Any: ...

    def close(self) -> None: ...


class _Http:
    """One requests.Session, the error mapping of the transport layer, and the settings both APIs share."""

    def __init__(self, base_url: str, db: str, username: str, secret: str, timeout: float) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be > 0 seconds")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"ODOO_BASE_URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.db = db
        self.username = username
        self.__secret = secret  # name-mangled: never in repr or messages
        self.timeout = float(timeout)
        self.session = requests.Session()  # TLS verification stays on (default)
        self._ids = itertools.count(1)

    @property
    def secret(self) -> str:
        return self.__secret

    def next_id(self) -> int:
        return next(self._ids)

    def post(self, route: str, body: Any, headers: Mapping[str, str] | None = None) -> requests.Response:
        try:
            return self.session.post(self.base_url + route, json=body, headers=dict(headers or {}),
                                     timeout=self.timeout)
        except requests.exceptions.SSLError:
            raise OdooTlsError(self.base_url) from None
        except requests.exceptions.Timeout:
            raise OdooTimeout(self.base_url, route, self.timeout) from None
        except requests.exceptions.ConnectionError as exc:
            text = str(exc).lower()
            detail = "connection refused" if "refused" in text else "connection failed"
            raise OdooUnreachable(self.base_url, detail) from None
        except requests.exceptions.RequestException as exc:
            raise OdooUnreachable(self.base_url, type(exc).__name__) from None

    def envelope_call(self, route: str, params: Mapping[str, Any]) -> Any:
        """A JSON-RPC 2.0 call on a type='json' route; returns `result` (None when Odoo left it out)."""
        body = {"jsonrpc": "2.0", "method": "call", "params": dict(params), "id": self.next_id()}
        return decode_jsonrpc(route, self.post(route, body))

    def close(self) -> None:
        self.session.close()


# ---- decoding (pure functions of one HTTP answer; the contract tests feed them the recorded answers) -------


def decode_jsonrpc(route: str, response: requests.Response, mo_id: str | None = None,
                   model: str = "", method: str = "") -> Any:
    """The `result` of a JSON-RPC answer, or the typed error it stands for."""
    status = response.status_code
    if status != 200:
        raise _http_failure(route, response, protocol="jsonrpc")
    payload = _json_or_none(response)
    if not isinstance(payload, dict):
        raise OdooBadResponse(route, _not_json_detail(response, payload))
    error = payload.get("error")
    if error is not None:
        raise classify_error(route, error, mo_id=mo_id, model=model, method=method)
    return payload.get("result")  # None-returning methods have no `result` key (odoo/http.py)


def decode_json2(route: str, response: requests.Response, mo_id: str | None = None,
                 model: str = "", method: str = "") -> Any:
    """The bare JSON value of a JSON-2 answer, or the typed error it stands for."""
    status = response.status_code
    payload = _json_or_none(response)
    if status == 200:
        if payload is _NOT_JSON:
            raise OdooBadResponse(route, _not_json_detail(response, payload))
        return payload
    if isinstance(payload, dict) and "name" in payload and "message" in payload:
        if status == 401:
            raise OdooAuthError("", "", "", hint=HINT_API_KEY)
        error = {"code": status, "data": {"name": payload.get("name"), "message": payload.get("message")}}
        if status == 404 and payload.get("name") == "werkzeug.exceptions.NotFound":
            raise OdooBadResponse(route, f"HTTP 404 {payload.get('message')}")
        if status == 422 and payload.get("name") == "werkzeug.exceptions.UnprocessableEntity":
            raise OdooBadResponse(route, f"HTTP 422 {payload.get('message')} (arguments this client sent)")
        raise classify_error(route, error, mo_id=mo_id, model=model, method=method)
    raise _http_failure(route, response, protocol="json2")


def classify_error(route: str, error: object, *, mo_id: str | None = None, model: str = "",
                   method: str = "") -> OdooError:
    """An Odoo exception (JSON-RPC `error` object, or a JSON-2 body put in that shape) -> typed error."""
    if not isinstance(error, Mapping):
        return OdooRpcError(route, None, "?", str(error))
    code = error.get("code") if isinstance(error.get("code"), int) else None
    data = error.get("data") if isinstance(error.get("data"), Mapping) else {}
    name = str(data.get("name") or "?")
    message = str(data.get("message") or error.get("message") or "").strip()
    short = name.rsplit(".", 1)[-1]
    if code == 100 or short == "SessionExpiredException":
        return OdooSessionExpired(route, code, name, message)
    if short == "AccessDenied":
        return OdooAuthError("", "", "", hint=HINT_PASSWORD)
    if short == "AccessError":
        group = GROUP_FOR_MODEL.get(model.split(".", 1)[0], "Manufacturing / User")
        what = f"{method or 'use'} {model or 'this record'}"
        return OdooAccessRights(route, code, name, message, what=what, group=group, mo_id=mo_id)
    if short == "MissingError":
        return OdooRecordGone(route, mo_id, first_line(message))
    if short in ("UserError", "ValidationError", "RedirectWarning", "LockError"):
        return OdooValidationError(route, message, mo_id)
    return OdooRpcError(route, code, name, message + (f" (MO {mo_id})" if mo_id else ""))


_NOT_JSON = object()


def _json_or_none(response: requests.Response) -> Any:
    if "json" not in response.headers.get("Content-Type", "").lower():
        return _NOT_JSON
    try:
        return response.json()
    except ValueError:
        return _NOT_JSON


def _head(response: requests.Response, limit: int = 80) -> str:
    text = response.text[:limit].replace("\n", " ").strip()
    return repr(text) if text else "(empty body)"


def _not_json_detail(response: requests.Response, payload: Any) -> str:
    if payload is _NOT_JSON:
        return f"not JSON (Content-Type {response.headers.get('Content-Type', '?')}): {_head(response)}"
    return f"a JSON {type(payload).__name__} instead of a JSON-RPC object"


def _http_failure(route: str, response: requests.Response, protocol: str) -> OdooError:
    status = response.status_code
    if status >= 500:
        return OdooServerError(route, status)
    if status == 404:
        if protocol == "json2":
            hint = "no JSON-2 API here: Odoo older than 19, or the rpc module is not installed; use ODOO_API=jsonrpc"
        else:
            hint = "no /jsonrpc here: Odoo 22 or later has no JSON-RPC, use ODOO_API=json2 with an API key"
        return OdooBadResponse(route, f"HTTP 404 ({hint}; or ODOO_BASE_URL is not an Odoo server)")
    if status == 401:
        return OdooAuthError("", "", "", hint=HINT_API_KEY)
    return OdooBadResponse(route, f"HTTP {status} {_head(response)}")


def _with_login(exc: OdooAuthError, http: _Http) -> OdooAuthError:
    """Fill the server, database and user into an auth error raised while decoding."""
    return OdooAuthError(http.base_url, http.db, http.username, hint=exc.hint)


# ---- the transports ----------------------------------------------------------------------------------------


class JsonRpcTransport:
    """`/jsonrpc` (common + object services), Odoo 16–21."""

    protocol = "jsonrpc"

    def __init__(self, base_url: str, db: str, username: str, secret: str, timeout: float = 10.0) -> None:
        self.http = _Http(base_url, db, username, secret, timeout)
        self.uid: int | None = None

    def __repr__(self) -> str:
        return f"JsonRpcTransport({self.http.base_url!r}, db={self.http.db!r}, user={self.http.username!r})"

    def _service(self, service: str, function: str, args: list[Any], **labels: Any) -> Any:
        body = {"jsonrpc": "2.0", "method": "call",
                "params": {"service": service, "method": function, "args": args}, "id": self.http.next_id()}
        route = ROUTE_JSONRPC
        return decode_jsonrpc(route, self.http.post(route, body), **labels)

    def server_version(self) -> int:
        info = self._service("common", "version", [])
        return _major(info, ROUTE_JSONRPC)

    def authenticate(self) -> int:
        log.info("Logging in to Odoo %s as %s on database %s (JSON-RPC)", self.http.base_url,
                 self.http.username, self.http.db)
        try:
            uid = self._service("common", "authenticate", [self.http.db, self.http.username, self.http.secret, {}])
        except OdooAuthError as exc:
            raise _with_login(exc, self.http) from None
        if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
            # A wrong password is `result: false`, not an error (odoo/service/common.py).
            raise OdooAuthError(self.http.base_url, self.http.db, self.http.username, hint=HINT_PASSWORD)
        self.uid = uid
        return uid

    def call(self, model: str, method: str, ids: list[int] | None = None,
             args: Mapping[str, Any] | None = None, context: Mapping[str, Any] | None = None,
             mo_id: str | None = None) -> Any:
        named = dict(args or {})
        positional: list[Any] = [list(ids)] if ids is not None else []
        for name in POSITIONAL.get(method, ()):
            if name in named:
                value = named.pop(name)
                if name == "vals_list" and isinstance(value, list) and len(value) == 1:
                    value = value[0]  # create({...}) as the recorded calls send it; Odoo answers the id
                positional.append(value)
        if context:
            named["context"] = dict(context)
        if self.uid is None:
            self.authenticate()
        try:
            return self._execute(model, method, positional, named, mo_id)
        except OdooAuthError:
            # The password changed or the key was revoked/expired since the login: log in once more.
            log.info("Odoo refused the credentials on %s.%s; logging in again once", model, method)
        self.uid = None
        self.authenticate()
        try:
            return self._execute(model, method, positional, named, mo_id)
        except OdooAuthError as exc:
            raise _with_login(exc, self.http) from None

    def _execute(self, model: str, method: str, positional: list[Any], named: dict[str, Any],
                 mo_id: str | None) -> Any:
        args: list[Any] = [self.http.db, self.uid, self.http.secret, model, method, positional]
        if named:
            args.append(named)
        return self._service("object", "execute_kw", args, mo_id=mo_id, model=model, method=method)

    def close(self) -> None:
        self.http.close()


class Json2Transport:
    """`/json/2/<model>/<method>` with a bearer API key, Odoo 19+."""

    protocol = "json2"

    def __init__(self, base_url: str, db: str, username: str, api_key: str, timeout: float = 10.0) -> None:
        if not api_key:
            raise ValueError("JSON-2 needs an API key (ODOO_API_KEY)")
        self.http = _Http(base_url, db, username, api_key, timeout)
        self.uid: int | None = None

    def __repr__(self) -> str:
        return f"Json2Transport({self.http.base_url!r}, db={self.http.db!r})"

    def server_version(self) -> int:
        return _major(self.http.envelope_call(ROUTE_VERSION_INFO, {}), ROUTE_VERSION_INFO)

    def authenticate(self) -> int:
        context = self._post("res.users", "context_get", {}, None)
        uid = context.get("uid") if isinstance(context, Mapping) else None
        if not isinstance(uid, int) or isinstance(uid, bool):
            raise OdooBadResponse(f"{ROUTE_JSON2}/res.users/context_get", "no uid in the user context")
        self.uid = uid
        return uid

    def call(self, model: str, method: str, ids: list[int] | None = None,
             args: Mapping[str, Any] | None = None, context: Mapping[str, Any] | None = None,
             mo_id: str | None = None) -> Any:
        body: dict[str, Any] = {}
        if ids is not None:
            body["ids"] = list(ids)
        body.update(args or {})
        if context:
            body["context"] = dict(context)
        try:
            return self._post(model, method, body, mo_id)
        except OdooAuthError:
            log.info("Odoo refused the API key on %s.%s; trying once more", model, method)
        return self._post(model, method, body, mo_id)

    def _post(self, model: str, method: str, body: Mapping[str, Any], mo_id: str | None) -> Any:
        route = f"{ROUTE_JSON2}/{model}/{method}"
        headers = {"Authorization": f"bearer {self.http.secret}"}
        if self.http.db:
            headers["X-Odoo-Database"] = self.http.db
        try:
            return decode_json2(route, self.http.post(route, body, headers), mo_id=mo_id, model=model,
                                method=method)
        except OdooAuthError as exc:
            raise _with_login(exc, self.http) from None

    def close(self) -> None:
        self.http.close()


class AutoTransport:
    """ODOO_API=auto: asks the version once, then behaves as JSON-2 (19+ with a key) or JSON-RPC."""

    def __init__(self, base_url: str, db: str, username: str, password: str, api_key: str,
                 timeout: float = 10.0) -> None:
        self._probe = _Http(base_url, db, username, "", timeout)
        self._settings = (base_url, db, username, password, api_key, timeout)
        self.chosen: JsonRpcTransport | Json2Transport | None = None
        self._major: int | None = None

    @property
    def protocol(self) -> str:
        return self.chosen.protocol if self.chosen is not None else "auto"

    def _choose(self) -> JsonRpcTransport | Json2Transport:
        if self.chosen is None:
            base_url, db, username, password, api_key, timeout = self._settings
            major = _major(self._probe.envelope_call(ROUTE_VERSION_INFO, {}), ROUTE_VERSION_INFO)
            self._major = major
            if major >= 19 and api_key:
                log.info("ODOO_API=auto: Odoo %d with ODOO_API_KEY set -> JSON-2 (/json/2)", major)
                self.chosen = Json2Transport(base_url, db, username, api_key, timeout)
            else:
                why = "no ODOO_API_KEY" if major >= 19 else "JSON-2 needs Odoo 19+"
                log.info("ODOO_API=auto: Odoo %d, %s -> JSON-RPC (/jsonrpc)", major, why)
                self.chosen = JsonRpcTransport(base_url, db, username, api_key or password, timeout)
        return self.chosen

    def server_version(self) -> int:
        chosen = self._choose()
        return self._major if self._major is not None else chosen.server_version()

    def authenticate(self) -> int:
        return self._choose().authenticate()

    def call(self, model: str, method: str, ids: list[int] | None = None,
             args: Mapping[str, Any] | None = None, context: Mapping[str, Any] | None = None,
             mo_id: str | None = None) -> Any:
        return self._choose().call(model, method, ids, args, context, mo_id)

    def close(self) -> None:
        self._probe.close()
        if self.chosen is not None:
            self.chosen.close()


def _major(info: object, route: str) -> int:
    version = info.get("server_version_info") if isinstance(info, Mapping) else None
    if isinstance(version, list) and version and isinstance(version[0], int):
        return version[0]
    # saas versions look like "saas~18.3"; server_version "18.0+e" -> 18
    text = str(info.get("server_version", "")) if isinstance(info, Mapping) else ""
    digits = text.replace("saas~", "").split(".", 1)[0]
    if digits.isdigit():
        return int(digits)
    raise OdooBadResponse(route, f"no server version in {info!r:.80}")
