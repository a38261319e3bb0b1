"""Errors of the Odoo link, one type per thing an operator can do something about.

Every message says what went wrong *and* what to check, because it ends up verbatim in the
status badge tooltip and the sync log. Whether and when a call is tried again is not said
here: that depends on the caller (a fetch is retried at the next sync, a batch flagged
ATTENTION is not), so the caller says it. No message ever contains the password: the client only
passes URLs, route names, HTTP statuses and texts Odoo itself sent back.
"""

from __future__ import annotations

from typing import Sequence


class OdooError(Exception):
    """Base of every failure talking to Odoo or understanding its answer."""


class OdooUnreachable(OdooError):
    """No TCP connection (refused, DNS failure, network down)."""

    def __init__(self, base_url: str, detail: str = "connection refused") -> None:
        self.base_url = base_url
        super().__init__(
            f"Odoo at {base_url} cannot be reached ({detail}). Check that the Odoo server is running, "
            "that ODOO_BASE_URL has the right host and port, and that the network/firewall lets this PC through."
        )


class OdooTlsError(OdooUnreachable):
    """The HTTPS certificate could not be verified (never silently ignored)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        OdooError.__init__(
            self,
            f"The TLS certificate of {base_url} could not be verified. Ask IT to install a valid certificate "
            "on the Odoo server (or add its CA to this PC); certificate checks are never switched off.",
        )


class OdooTimeout(OdooError):
    """Odoo accepted the connection (or not) but did not answer in time."""

    def __init__(self, base_url: str, route: str, timeout_s: float) -> None:
        self.base_url = base_url
        self.route = route
        self.timeout_s = timeout_s
        super().__init__(
            f"Odoo at {base_url} did not answer {route} within {timeout_s:g} s. Odoo may be overloaded or "
            "the network slow. If it keeps happening, raise ODOO_TIMEOUT_SECONDS "
            "or ask the Odoo administrator to check the server."
        )


class OdooAddonMissing(OdooError):
    """HTTP 404 on a /api/scada route: stock Odoo without the grt_scada addon (or the wrong URL)."""

    def __init__(self, base_url: str, route: str) -> None:
        self.base_url = base_url
        self.route = route
        super().__init__(
            f"the SCADA addon grt_scada is not installed on that Odoo (404 for {route} at {base_url}). "
            "Ask the Odoo administrator to install/upgrade grt_scada, or check that ODOO_BASE_URL points "
            "at the right Odoo server."
        )


class OdooBadResponse(OdooError):
    """Odoo (or whatever answered) sent something that is not the expected JSON answer."""

    def __init__(self, route: str, detail: str) -> None:
        self.route = route
        self.detail = detail
        super().__init__(
            f"Unexpected answer from {route}: {detail}. Check that ODOO_BASE_URL points at Odoo itself "
            "(not a proxy or login page) and that the grt_scada addon version matches."
        )


class OdooServerError(OdooError):
    """HTTP 5xx: Odoo (or a proxy in front of it) crashed on the request."""

    def __init__(self, route: str, status: int) -> None:
        self.route = route
        self.status = status
        super().__init__(
            f"Odoo failed with HTTP {status} on {route}. This is a problem on the Odoo server: "
            "if it persists, ask the Odoo administrator to look at the Odoo server log."
        )


class OdooRpcError(OdooError):
    """A JSON-RPC error envelope (`"error": {...}`): Odoo raised an exception."""

    def __init__(self, route: str, code: int | None, name: str, message: str) -> None:
        self.route = route
        self.code = code
        self.name = name
        self.odoo_message = message
        super().__init__(
            f"Odoo reported an error on {route}: {name}: {message}. "
            "Ask the Odoo administrator; the Odoo server log has the full traceback."
        )


class OdooSessionExpired(OdooRpcError):
    """Error code 100 still there after the one automatic re-login."""

    def __init__(self, route: str, code: int | None = 100, name: str = "odoo.http.SessionExpiredException",
                 message: str = "Session expired") -> None:
        OdooRpcError.__init__(self, route, code, name, message)
        OdooError.__init__(
            self,
            f"Odoo said the session expired on {route} again right after a fresh login. Check that the Odoo "
            "server keeps sessions (session store/disk, several workers behind a proxy without sticky sessions) "
            "and that ODOO_BASE_URL does not switch between hosts.",
        )


class OdooAuthError(OdooError):
    """Wrong database, login or password (AccessDenied, or uid false)."""

    def __init__(self, base_url: str, db: str, username: str, hint: str | None = None) -> None:
        self.hint = hint
        self.base_url = base_url
        self.db = db
        self.username = username
        super().__init__(
            f"Odoo at {base_url} refused the login of user '{username}' on database '{db}'. "
            + (hint or "Check ODOO_DB, ODOO_USERNAME and ODOO_PASSWORD (an API key is not accepted here).")
        )


class OdooApplicationError(OdooError):
    """The addon answered `{"status": "error", "message": ...}` inside `result`."""

    def __init__(self, route: str, message: str, mo_id: str | None = None) -> None:
        self.route = route
        self.odoo_message = message
        self.mo_id = mo_id
        about = f" for MO {mo_id}" if mo_id else ""
        super().__init__(
            f"Odoo refused {route}{about}: {message}. Check the MO in Odoo (state, components, equipment)."
        )


class OdooPartialError(OdooApplicationError):
    """The push was applied only partly: `result.errors` is not empty. Treated as a failure."""

    def __init__(self, route: str, mo_id: str, errors: Sequence[str]) -> None:
        self.errors: tuple[str, ...] = tuple(str(e) for e in errors)
        OdooApplicationError.__init__(self, route, "; ".join(self.errors), mo_id)
        OdooError.__init__(
            self,
            f"Odoo applied the consumption of MO {mo_id} only partly: {'; '.join(self.errors)}. "
            "Check in Odoo that each silo/tank equipment exists and is set on the MO's component lines; "
            "the batch stays in the table until an operator resolves it.",
        )


class OdooPayloadError(OdooError):
    """An MO (or the MO list) from Odoo does not have the shape or values the line needs."""

    def __init__(self, field: str, reason: str, mo_id: str | None = None, position: int | None = None) -> None:
        self.field = field
        self.reason = reason
        self.mo_id = mo_id
        self.position = position
        if mo_id:
            where = f"MO {mo_id}"
        elif position is not None:
            where = f"MO #{position + 1} in the list"
        else:
            where = "MO list"
        super().__init__(f"{where}: field '{field}' {reason}. Fix the MO in Odoo.")


# ---- stock Odoo (JSON-RPC /jsonrpc and JSON-2 /json/2): the same families, named for what to do --------------


class OdooAccessRights(OdooRpcError):
    """AccessError (or JSON-2 403): the Odoo user may not read or write what the line needs."""

    def __init__(self, route: str, code: int | None, name: str, message: str, *, what: str,
                 group: str, mo_id: str | None = None) -> None:
        OdooRpcError.__init__(self, route, code, name, message)
        self.mo_id = mo_id
        about = f" for MO {mo_id}" if mo_id else ""
        OdooError.__init__(
            self,
            f"The Odoo user may not {what}{about}: {message}. Ask the Odoo administrator to give the "
            f"Batch HMI user the group '{group}' (Settings > Users > Access Rights).",
        )


class OdooRecordGone(OdooApplicationError):
    """The MO (or one of its moves) no longer exists in Odoo (MissingError, JSON-2 404, empty read)."""

    def __init__(self, route: str, mo_id: str | None, detail: str = "") -> None:
        OdooApplicationError.__init__(self, route, detail or "record does not exist or has been deleted", mo_id)
        what = f"MO {mo_id}" if mo_id else "A record the line needs"
        OdooError.__init__(
            self,
            f"{what} no longer exists in Odoo ({detail or 'deleted'}). Check in Odoo whether it was deleted "
            "or renamed; the batch stays in the table until an operator resolves it.",
        )


class OdooMoCancelled(OdooApplicationError):
    """The MO was cancelled in Odoo while the line dosed it: its actuals cannot be reported."""

    def __init__(self, route: str, mo_id: str) -> None:
        OdooApplicationError.__init__(self, route, "the MO is cancelled in Odoo", mo_id)
        OdooError.__init__(
            self,
            f"MO {mo_id} was cancelled in Odoo, so the dosed quantities cannot be reported to it. "
            "Record the consumption in Odoo by hand (or reopen the MO), then clear the batch.",
        )


class OdooValidationError(OdooApplicationError):
    """Odoo refused an operation with a business message (UserError, ValidationError, JSON-2 422)."""

    def __init__(self, route: str, message: str, mo_id: str | None = None) -> None:
        OdooApplicationError.__init__(self, route, message, mo_id)
        about = f"MO {mo_id}: " if mo_id else ""
        OdooError.__init__(self, f"{about}Odoo refused {route}: {message}. Fix it in Odoo; the next cycle retries.")
