"""The admin API's front door: every request passes here before any route (the docs too).

1. ``Origin`` present -> 403. Browsers add it to cross-site requests (and to every POST);
   scripts and the plant's tools do not send it. A web page open on the plant PC can
   therefore not drive the API, not even with a token it guessed.
2. ``Host`` must name the address the API is bound to (127.0.0.1 / localhost / ::1 on
   loopback; on a wildcard bind an IP literal or this machine's name) -> else 421. This
   defeats DNS rebinding, where a foreign name resolves to 127.0.0.1.
3. ``Authorization: Bearer <token>`` must match one of the configured tokens (constant
   time) -> else 401. A wrong token is logged, at most once a minute per client address.
4. Each route then needs a role (:func:`needs`): a token whose role is too low gets 403
   naming the role needed.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from typing import Callable

from fastapi import FastAPI, HTTPException, Request

from hmi.api.tokens import ApiTokens
from hmi.services.access import can, required_role

log = logging.getLogger("hmi.api")

FAILURE_LOG_INTERVAL_SECONDS = 60.0
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
_WILDCARDS = {"0.0.0.0", "::", ""}


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def host_name_of(header: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1'; '[::1]:8000' -> '::1'; lower-cased."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


class HostRule:
    """Which Host header values name the bound address."""

    def __init__(self, bound: str) -> None:
        self.bound = bound.strip().lower()
        self.wildcard = self.bound in _WILDCARDS
        loopback = self.bound in _LOOPBACK_NAMES or (_is_ip(self.bound) and ipaddress.ip_address(self.bound).is_loopback)
        names = {self.bound}
        if loopback or self.wildcard:
            names |= _LOOPBACK_NAMES
        if self.wildcard:
            hostname = socket.gethostname().lower()
            names |= {hostname, hostname.split(".")[0]}
        self.names = names

    def allows(self, header: str) -> bool:
        name = host_name_of(header)
        if not name:
            return False
        if name in self.names:
            return True
        # On a wildcard bind any address literal of this machine may be used; a literal cannot be rebound.
        return self.wildcard and _is_ip(name)


class _FailureLog:
    """Logs refused tokens at most once per interval and client address, with the count in between."""

    def __init__(self, interval: float = FAILURE_LOG_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._last: dict[str, tuple[float, int]] = {}

    def refused(self, client: str, path: str, why: str) -> None:
        now = time.monotonic()
        last, suppressed = self._last.get(client, (-1e18, 0))
        if now - last < self.interval:
            self._last[client] = (last, suppressed + 1)
            return
        more = f" ({suppressed} more since the last report)" if suppressed else ""
        log.warning("Admin API refused a request from %s to %s: %s%s", client, path, why, more,
                    extra={"actor": "api"})
        if len(self._last) > 1000:
            self._last.clear()
        self._last[client] = (now, 0)


class ApiGuard:
    """Pure ASGI middleware (it also covers /api/docs and /api/openapi.json)."""

    def __init__(self, tokens: ApiTokens, bound_host: str) -> None:
        self.tokens = tokens
        self.hosts = HostRule(bound_host)
        self.failures = _FailureLog()

    def install(self, app: FastAPI) -> None:
        guard = self

        class _Middleware:
            def __init__(self, inner) -> None:
                self.inner = inner

            async def __call__(self, scope, receive, send) -> None:
                if scope["type"] != "http":
                    await self.inner(scope, receive, send)
                    return
                refusal = guard.check(scope)
                if refusal is not None:
                    status, message, headers = refusal
                    body = json.dumps({"status": "error", "message": message}).encode()
                    await send({"type": "http.response.start", "status": status,
                                "headers": [(b"content-type", b"application/json"),
                                            (b"content-length", str(len(body)).encode()), *headers]})
                    await send({"type": "http.response.body", "body": body})
                    return
                await self.inner(scope, receive, send)

        app.add_middleware(_Middleware)

    def check(self, scope) -> tuple[int, str, list] | None:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        client = (scope.get("client") or ("?", 0))[0]
        path = scope.get("path", "")
        if "origin" in headers:
            self.failures.refused(client, path, f"browser Origin {headers['origin'][:100]!r}")
            return 403, "requests from a web page (Origin header) are refused", []
        if not self.hosts.allows(headers.get("host", "")):
            self.failures.refused(client, path, f"Host {headers.get('host', '')[:100]!r} is not the API's address")
            return 421, "Host does not name this API's address", []
        scheme, _, supplied = headers.get("authorization", "").partition(" ")
        token = self.tokens.match(supplied.strip()) if scheme.lower() == "bearer" and supplied.strip() else None
        if token is None:
            self.failures.refused(client, path, "missing or wrong bearer token")
            return 401, "missing or wrong bearer token", [(b"www-authenticate", b"Bearer")]
        scope.setdefault("state", {})["api_token"] = token
        return None


def needs(action: str) -> Callable[[Request], None]:
    """A route dependency: the request's token must carry a role allowed to do ``action``."""

    def check(request: Request) -> None:
        token = request.state.api_token
        if not can(token.role, action):
            raise HTTPException(403, f"this needs the {required_role(action).label} role; "
                                     f"the token has {token.role.label}")

    return check


def actor_of(request: Request) -> str:
    """Who made the request, for the logs and the audit trail: the token's role and label (set by the
    guard above), never a header the caller chooses."""
    return request.state.api_token.actor
