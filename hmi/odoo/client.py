"""Blocking client for the grt_scada routes of Odoo, plus an asyncio facade.

`OdooClient` uses one `requests.Session`, so the `session_id` cookie from `/web/session/authenticate`
rides along on every later call. Its methods block: callers on the event loop use `AsyncOdooClient`,
whose methods run the same calls in `asyncio.to_thread`, so the GUI never waits on Odoo.

One exchange at a time per client (a lock): the session cookie and the one-shot re-login after
"Session Expired" would race otherwise.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence, TypeVar

import requests

from hmi.clock import utc_now
from hmi.domain import Silo
from hmi.odoo.errors import (
    OdooAddonMissing,
    OdooApplicationError,
    OdooAuthError,
    OdooBadResponse,
    OdooError,
    OdooPartialError,
    OdooRpcError,
    OdooServerError,
    OdooSessionExpired,
    OdooTimeout,
    OdooTlsError,
    OdooUnreachable,
)
from hmi.odoo.mapping import FetchResult, MoUnits, map_mo_list
from hmi.odoo.units import KG, Unit

log = logging.getLogger("hmi.odoo")

ROUTE_WEB_LOGIN = "/web/session/authenticate"
ROUTE_MO_LIST = "/api/scada/mo-list-detailed"
ROUTE_PUSH = "/api/scada/mo/update-with-consumptions"
ROUTE_MARK_DONE = "/api/scada/mo/mark-done"
ROUTE_CANCEL = "/api/scada/mo/cancel"
ROUTE_MATERIAL = "/api/scada/material-consumption"
ROUTE_EQUIPMENT_FAILURE = "/api/scada/equipment-failure"

#: Odoo's JSON-RPC error code for a missing/unknown/expired session (odoo/http.py).
SESSION_EXPIRED_CODE = 100
#: date_end_actual format the addon parses.
ODOO_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: Keys of the push body that are not equipment codes.
_RESERVED_PUSH_KEYS = frozenset({"mo_id", "quantity"})
#: MO states in which the addon still takes a write-back (its units are looked up among them).
_OPEN_STATES = ("draft", "confirmed", "progress", "to_close")
#: Pages (of 50 MOs) read to find the units of an MO this client has not fetched (after a restart).
_UNIT_LOOKUP_PAGES = 20

T = TypeVar("T")


@dataclass(frozen=True)
class OdooActionResult:
    """Odoo's answer to a push, mark-done or cancel that succeeded (status "success", no errors)."""

    mo_id: str
    mo_state: str | None
    message: str
    #: For a push: equipment code -> quantity Odoo applied (from `consumed_items`).
    applied: Mapping[str, float] = field(default_factory=dict)
    #: The whole `result` object, for logging/diagnosis.
    raw: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "applied", MappingProxyType(dict(self.applied)))
        object.__setattr__(self, "raw", MappingProxyType(dict(self.raw)))


class OdooClient:
    """Talks to the grt_scada addon. Blocking; see AsyncOdooClient for the event loop."""

    def __init__(
        self,
        base_url: str,
        db: str,
        username: str,
        password: str,
        timeout: float = 10.0,
        min_batch_kg: float = 0.0,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be > 0 seconds")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"ODOO_BASE_URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.db = db
        self.username = username
        self.__password = password  # name-mangled: never in repr, vars() dumps are still the caller's choice
        self.timeout = float(timeout)
        #: UTC time of the last call that completed without error (None before the first).
        self.last_contact: datetime | None = None
        #: Message of the last failed call; "" after a success.
        self.last_error: str = ""
        self.uid: int | None = None
        #: An MO below this many kg is left out of the sync (a backorder of a scale shortfall, a slip).
        self.min_batch_kg = float(min_batch_kg)
        #: MO name -> the units Odoo books it in, from the fetches (looked up again after a restart).
        self._units: dict[str, MoUnits] = {}
        self._http = requests.Session()  # keeps the session_id cookie; TLS verification stays on (default)
        self._lock = threading.Lock()
        self._request_ids = itertools.count(1)

    def __repr__(self) -> str:
        return (
            f"OdooClient(base_url={self.base_url!r}, db={self.db!r}, username={self.username!r}, "
            f"timeout={self.timeout:g}, logged_in={self.uid is not None})"
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "OdooClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- public calls -------------------------------------------------------------------------------------

    def login(self) -> int:
        """Open an Odoo web session; returns the uid. Raises OdooAuthError on wrong credentials."""
        return self._tracked(self._login)

    def fetch_mos(self, limit: int, offset: int = 0, states: Sequence[str] | None = None) -> FetchResult:
        """One page of MOs, oldest planned start first. Bad MOs are in `rejected`, not raised."""
        if limit < 1 or offset < 0:
            raise ValueError("limit must be >= 1 and offset >= 0")
        params: dict[str, Any] = {"limit": int(limit), "offset": int(offset)}
        if states is not None:
            # The addon's default is ['confirmed'] only; pass e.g. ['confirmed', 'progress'] to also see
            # MOs Odoo moved to 'progress' after a consumption update (origin defect 13.5(c)).
            params["states"] = list(states)

        def call() -> FetchResult:
            result = self._authenticated_call(ROUTE_MO_LIST, self._envelope(params))
            _raise_on_status_error(ROUTE_MO_LIST, result, None)
            fetched = map_mo_list(result.get("data"), self.min_batch_kg)
            self._units.update(fetched.units)
            log.info(
                "Fetched %d MO(s) from Odoo (%d received, %d rejected)",
                len(fetched.mos), fetched.received, len(fetched.rejected),
            )
            return fetched

        return self._tracked(call)

    def push_consumption(
        self, mo_id: str, finished_qty: float, consumption: Mapping[Silo | str, float]
    ) -> OdooActionResult:
        """Send actual consumption per equipment code ('silo101'.., 'lq114', or a Silo) in REPLACE mode.

        Only values > 0 are sent, and `quantity` (finished weight) only if > 0, as the origin did.
        A non-empty `errors` list in Odoo's answer raises OdooPartialError.
        The figures come in kg and go to Odoo in each move's own unit (the addon writes them as given).
        """
        name = _require_mo_id(mo_id)
        kg_body: dict[str, float] = {}
        if _finite(finished_qty, "finished_qty") > 0:
            kg_body["quantity"] = float(finished_qty)
        for key, qty in consumption.items():
            code = key.odoo_code if isinstance(key, Silo) else str(key)
            if code in _RESERVED_PUSH_KEYS or not code:
                raise ValueError(f"{code!r} is not an equipment code")
            if _finite(qty, code) > 0:
                kg_body[code] = float(qty)

        def call() -> OdooActionResult:
            units = self._units_of(name)
            body: dict[str, Any] = {"mo_id": name}
            for code, kg in kg_body.items():
                unit = units.quantity if code == "quantity" else units.equipment.get(code, KG)
                body[code] = _in_unit(kg, unit)
            # Bare JSON body, exactly what the origin sent; the addon accepts bare or enveloped.
            result = self._authenticated_call(ROUTE_PUSH, body)
            _raise_on_status_error(ROUTE_PUSH, result, mo_id)
            errors = result.get("errors")
            if errors:
                raise OdooPartialError(ROUTE_PUSH, mo_id, errors if isinstance(errors, list) else [str(errors)])
            applied = {
                str(item.get("equipment_code")): float(item.get("applied_qty") or 0.0)
                for item in result.get("consumed_items") or []
                if isinstance(item, Mapping) and isinstance(item.get("applied_qty"), (int, float))
            }
            log.info("Pushed consumption of MO %s to Odoo: %s", mo_id, _describe(body, units))
            return _action_result(mo_id, result, applied)

        return self._tracked(call)

    def push_hand_added(self, mo_id: str, quantities: Mapping[int, float], equipment_code: str,
                        when: datetime) -> list[OdooActionResult]:
        """Report the weighed amounts of hand-added components, by Odoo product id, in REPLACE mode.

        `update-with-consumptions` is keyed by equipment code and would spread one amount over every
        additive on the PLC equipment, so each product goes through the addon's `material-consumption`
        route (origin §4.8), once per product; REPLACE makes a repeated push harmless.
        """
        name = _require_mo_id(mo_id)
        if when.tzinfo is not None:
            when = when.astimezone(timezone.utc).replace(tzinfo=None)
        bodies = []
        for product_id, qty in quantities.items():
            if isinstance(product_id, bool) or not isinstance(product_id, int) or product_id <= 0:
                raise ValueError(f"{product_id!r} is not an Odoo product id")
            if _finite(qty, f"product {product_id}") < 0:
                raise ValueError(f"product {product_id}: a weighed amount is never negative")
            bodies.append({"mo_id": name, "equipment_id": equipment_code, "product_id": product_id,
                           "quantity": float(qty), "update_mode": "replace",
                           "timestamp": when.strftime(ODOO_DATETIME_FORMAT)})

        def call() -> list[OdooActionResult]:
            if bodies:
                units = self._units_of(name)
                for body in bodies:  # weighed in kg, booked in the product's own unit
                    body["quantity"] = _in_unit(body["quantity"], units.products.get(body["product_id"], KG))
            results = []
            for body in bodies:
                result = self._authenticated_call(ROUTE_MATERIAL, self._envelope(body))
                _raise_on_status_error(ROUTE_MATERIAL, result, name)
                results.append(_action_result(name, result, {f"product:{body['product_id']}": body["quantity"]}))
            log.info("Pushed hand-added consumption of MO %s to Odoo: %s", name,
                     ", ".join(f"product {b['product_id']}={b['quantity']:g}" for b in bodies))
            return results

        return self._tracked(call)

    def mark_done(self, mo_id: str, finished_qty: float, when: datetime) -> OdooActionResult:
        """Close the MO in Odoo with the finished weight. A naive `when` is taken as UTC already."""
        if _finite(finished_qty, "finished_qty") <= 0:
            raise ValueError("finished_qty must be > 0 (the addon refuses anything else)")
        if when.tzinfo is not None:
            when = when.astimezone(timezone.utc).replace(tzinfo=None)  # Odoo stores naive UTC
        params = {
            "mo_id": _require_mo_id(mo_id),
            "finished_qty": float(finished_qty),  # in the MO's unit, converted in call()
            # auto_consume would overwrite the pushed actuals with BoM values (origin 13.4); the addon ignores
            # it nowadays, we still say False explicitly.
            "auto_consume": False,
            "date_end_actual": when.strftime(ODOO_DATETIME_FORMAT),
        }

        def call() -> OdooActionResult:
            params["finished_qty"] = _in_unit(float(finished_qty), self._units_of(params["mo_id"]).quantity)
            result = self._authenticated_call(ROUTE_MARK_DONE, self._envelope(params))
            _raise_on_status_error(ROUTE_MARK_DONE, result, mo_id)
            log.info("Marked MO %s done in Odoo (finished %g kg)", mo_id, finished_qty)
            return _action_result(mo_id, result, {})

        return self._tracked(call)

    def cancel(self, mo_id: str) -> OdooActionResult:
        """Cancel the MO in Odoo. The status is read inside `result` (origin defect 13.5(a))."""
        params = {"mo_id": _require_mo_id(mo_id)}

        def call() -> OdooActionResult:
            result = self._authenticated_call(ROUTE_CANCEL, self._envelope(params))
            _raise_on_status_error(ROUTE_CANCEL, result, mo_id)
            log.info("Cancelled MO %s in Odoo", mo_id)
            return _action_result(mo_id, result, {})

        return self._tracked(call)

    def report_equipment_failure(self, equipment_code: str, description: str, when: datetime) -> OdooActionResult:
        """Create a scada.equipment.failure record (grt_scada). ``when`` is the PLC's clock, sent as written."""
        if not isinstance(equipment_code, str) or not equipment_code.strip():
            raise ValueError("equipment_code must be a non-empty text")
        params = {
            "equipment_code": equipment_code.strip(),
            "description": description,
            "date": when.strftime(ODOO_DATETIME_FORMAT),
        }

        def call() -> OdooActionResult:
            result = self._authenticated_call(ROUTE_EQUIPMENT_FAILURE, self._envelope(params))
            _raise_on_status_error(ROUTE_EQUIPMENT_FAILURE, result, None)
            log.info("Reported equipment failure of %s to Odoo", equipment_code)
            return _action_result("", result, {})

        return self._tracked(call)

    # ---- plumbing -----------------------------------------------------------------------------------------

    def _tracked(self, call: Callable[[], T]) -> T:
        """Run one public call under the lock and keep last_contact / last_error for the status badge."""
        with self._lock:
            try:
                value = call()
            except OdooError as exc:
                self.last_error = str(exc)
                # The caller logs the failure once, saying which batch or MO it concerns and what happens
                # next; a second, context-free line here would only repeat it in the operator's log.
                log.debug("Odoo call failed: %s", exc)
                raise
            self.last_contact = utc_now()
            self.last_error = ""
            return value

    def _units_of(self, mo_id: str) -> MoUnits:
        """The units MO `mo_id` is booked in: from the fetch, else looked up among the open MOs (a restart
        forgets them). An MO that is not open any more gets kg: the addon refuses a write-back to it anyway.
        An open MO whose units the app does not know is refused here, so nothing is written in a guessed unit."""
        known = self._units.get(mo_id)
        if known is not None:
            return known
        for page in range(_UNIT_LOOKUP_PAGES):
            params = {"limit": 50, "offset": 50 * page, "states": list(_OPEN_STATES)}
            result = self._authenticated_call(ROUTE_MO_LIST, self._envelope(params))
            _raise_on_status_error(ROUTE_MO_LIST, result, None)
            data = result.get("data")
            fetched = map_mo_list(data)
            self._units.update(fetched.units)
            if mo_id in self._units:
                return self._units[mo_id]
            refused = next((r for r in fetched.rejected if r.mo_id == mo_id), None)
            if refused is not None:
                raise OdooApplicationError(ROUTE_MO_LIST, f"its figures cannot be converted ({refused}); nothing "
                                                          "was written", mo_id)
            if not isinstance(data, list) or len(data) < 50:
                break
        return MoUnits()

    def _login(self) -> int:
        self.uid = None
        self._http.cookies.clear()  # a stale session_id must not be sent along with the new login
        body = self._envelope({"db": self.db, "login": self.username, "password": self.__password})
        log.info("Logging in to Odoo %s as %s on database %s", self.base_url, self.username, self.db)
        try:
            result = self._exchange(ROUTE_WEB_LOGIN, body)
        except OdooRpcError as exc:
            if exc.name.endswith("AccessDenied"):
                raise OdooAuthError(self.base_url, self.db, self.username) from None
            raise
        uid = result.get("uid") if isinstance(result, Mapping) else None
        if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
            # uid false/null: refused (or blocked by two-factor authentication) without an exception
            raise OdooAuthError(self.base_url, self.db, self.username)
        self.uid = uid
        return uid

    def _authenticated_call(self, route: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
        """POST to an auth='user' route; log in first if needed, and once more on 'Session Expired'."""
        if self.uid is None:
            self._login()
        try:
            return _require_object(route, self._exchange(route, body))
        except OdooSessionExpired:
            log.info("Odoo session expired; logging in again and retrying %s once", route)
        self._login()
        return _require_object(route, self._exchange(route, body))

    def _envelope(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"jsonrpc": "2.0", "method": "call", "params": dict(params), "id": next(self._request_ids)}

    def _exchange(self, route: str, body: Mapping[str, Any]) -> Any:
        """One HTTP POST; returns the JSON-RPC `result` or raises the matching OdooError."""
        url = self.base_url + route
        try:
            response = self._http.post(url, json=body, timeout=self.timeout)
        except requests.exceptions.SSLError:
            raise OdooTlsError(self.base_url) from None
        except requests.exceptions.Timeout:
            raise OdooTimeout(self.base_url, route, self.timeout) from None
        except requests.exceptions.ConnectionError as exc:
            raise OdooUnreachable(self.base_url, _connection_detail(exc)) from None
        except requests.exceptions.RequestException as exc:
            raise OdooUnreachable(self.base_url, type(exc).__name__) from None
        # `from None` above: requests' exception text repeats the URL only, but the chain adds noise to logs.

        if response.status_code == 404:
            if route.startswith("/api/scada/"):
                raise OdooAddonMissing(self.base_url, route)
            raise OdooBadResponse(route, "HTTP 404 (is ODOO_BASE_URL the address of an Odoo server?)")
        if response.status_code >= 500:
            raise OdooServerError(route, response.status_code)
        if response.status_code != 200:
            raise OdooBadResponse(route, f"HTTP {response.status_code} {_head(response)}")
        try:
            payload = response.json()
        except ValueError:
            content_type = response.headers.get("Content-Type", "?")
            raise OdooBadResponse(route, f"not JSON (Content-Type {content_type}): {_head(response)}") from None
        if not isinstance(payload, dict):
            raise OdooBadResponse(route, f"a JSON {type(payload).__name__} instead of a JSON-RPC object")
        error = payload.get("error")
        if error is not None:
            raise _rpc_error(route, error)
        if "result" not in payload:
            raise OdooBadResponse(route, "a JSON-RPC answer without 'result' or 'error'")
        return payload["result"]


class AsyncOdooClient:
    """The same calls as OdooClient, awaitable: each runs in `asyncio.to_thread`.

    Cancelling the awaiting task does not stop the HTTP request already running in its worker thread;
    it ends by itself within the timeout.
    """

    def __init__(self, base_url: str, db: str, username: str, password: str, timeout: float = 10.0,
                 min_batch_kg: float = 0.0) -> None:
        self.sync = OdooClient(base_url, db, username, password, timeout, min_batch_kg)

    @classmethod
    def over(cls, sync: Any) -> "AsyncOdooClient":
        """The same awaitable interface over another blocking client (the stock protocols)."""
        client = cls.__new__(cls)
        client.sync = sync
        return client

    def __repr__(self) -> str:
        return f"Async{self.sync!r}"

    @property
    def protocol(self) -> str:
        return getattr(self.sync, "protocol", "grt_scada")

    async def search_products(self, text: str, limit: int = 40) -> list[tuple[str, str]]:
        """(internal reference, name) of Odoo products matching `text`; stock protocols only."""
        search = getattr(self.sync, "search_products", None)
        if search is None:
            raise OdooError("Searching products needs a stock Odoo protocol (ODOO_API=jsonrpc, json2 or auto)")
        return await asyncio.to_thread(search, text, limit)

    @property
    def last_contact(self) -> datetime | None:
        return self.sync.last_contact

    @property
    def last_error(self) -> str:
        return self.sync.last_error

    async def login(self) -> int:
        return await asyncio.to_thread(self.sync.login)

    async def fetch_mos(self, limit: int, offset: int = 0, states: Sequence[str] | None = None) -> FetchResult:
        return await asyncio.to_thread(self.sync.fetch_mos, limit, offset, states)

    async def push_consumption(
        self, mo_id: str, finished_qty: float, consumption: Mapping[Silo | str, float]
    ) -> OdooActionResult:
        return await asyncio.to_thread(self.sync.push_consumption, mo_id, finished_qty, dict(consumption))

    async def push_hand_added(self, mo_id: str, quantities: Mapping[int, float], equipment_code: str,
                              when: datetime) -> list[OdooActionResult]:
        return await asyncio.to_thread(self.sync.push_hand_added, mo_id, dict(quantities), equipment_code, when)

    async def mark_done(self, mo_id: str, finished_qty: float, when: datetime) -> OdooActionResult:
        return await asyncio.to_thread(self.sync.mark_done, mo_id, finished_qty, when)

    async def cancel(self, mo_id: str) -> OdooActionResult:
        return await asyncio.to_thread(self.sync.cancel, mo_id)

    async def report_equipment_failure(self, equipment_code: str, description: str, when: datetime) -> OdooActionResult:
        return await asyncio.to_thread(self.sync.report_equipment_failure, equipment_code, description, when)

    async def close(self) -> None:
        await asyncio.to_thread(self.sync.close)


# ---- helpers (module level: pure, no client state) ---------------------------------------------------------


def _rpc_error(route: str, error: object) -> OdooRpcError:
    if not isinstance(error, Mapping):
        return OdooRpcError(route, None, "?", str(error))
    code = error.get("code") if isinstance(error.get("code"), int) else None
    data = error.get("data") if isinstance(error.get("data"), Mapping) else {}
    name = str(data.get("name") or "?")
    message = str(data.get("message") or error.get("message") or "")
    if code == SESSION_EXPIRED_CODE or name.endswith("SessionExpiredException"):
        return OdooSessionExpired(route, code, name, message)
    return OdooRpcError(route, code, name, message)


def _require_object(route: str, result: Any) -> Mapping[str, Any]:
    if not isinstance(result, Mapping):
        raise OdooBadResponse(route, f"'result' is a {type(result).__name__}, expected an object")
    return result


def _raise_on_status_error(route: str, result: Mapping[str, Any], mo_id: str | None) -> None:
    status = result.get("status")
    if status == "success":
        return
    if status == "error":
        raise OdooApplicationError(route, str(result.get("message") or "no message"), mo_id)
    raise OdooBadResponse(route, f"'result.status' is {status!r}, expected 'success' or 'error'")


def _action_result(mo_id: str, result: Mapping[str, Any], applied: Mapping[str, float]) -> OdooActionResult:
    state = result.get("mo_state")
    return OdooActionResult(
        mo_id=str(result.get("mo_id") or mo_id),
        mo_state=state if isinstance(state, str) else None,
        message=str(result.get("message") or ""),
        applied=applied,
        raw=result,
    )


def _require_mo_id(mo_id: str) -> str:
    if not isinstance(mo_id, str) or not mo_id.strip():
        raise ValueError("mo_id must be a non-empty MO name such as 'WH/MO/00012'")
    return mo_id.strip()


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _in_unit(kg: float, unit: Unit) -> float:
    """kg as a figure in `unit`, to 6 decimals (what Odoo is given)."""
    return round(unit.from_kg(kg), 6) if unit.kg != 1.0 else kg


def _describe(body: Mapping[str, Any], units: MoUnits | None = None) -> str:
    def unit_of(key: str) -> Unit:
        if units is None:
            return KG
        return units.quantity if key == "quantity" else units.equipment.get(key, KG)

    return ", ".join(f"{key}={value:g} {unit_of(key).name}" for key, value in body.items() if key != "mo_id")


def _head(response: requests.Response, limit: int = 80) -> str:
    text = response.text[:limit].replace("\n", " ").strip()
    return repr(text) if text else "(empty body)"


def _connection_detail(exc: requests.exceptions.ConnectionError) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "host name not found"
    if "unreachable" in text:
        return "network unreachable"
    return "connection failed"
