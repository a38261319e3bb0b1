"""Operator accounts and sign-in (Qt-free): who is at the panel, and with which role.

- Accounts: name, role (hmi.services.access.Role), PIN hash (scrypt), active flag, who created
  or changed them. An account is disabled, never deleted: the audit trail keeps its name.
- Sign-in checks the PIN off the loop thread. Five wrong PINs in a row lock the account for
  60 s; every sign-in, sign-out, wrong PIN and lockout is a system_log record with the
  operator's name as actor.
- ``confirm`` checks a second person's PIN for a "two-person" override (e.g. a supervisor
  approving a Clear for an operator) without changing who is signed in.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from hmi.services.access import Role
from hmi.services.pin_hash import hash_pin, verify_pin
from hmi.clock import utc_now
from hmi.store.operators import OperatorExists, OperatorRow, OperatorStore, UnknownOperator

log = logging.getLogger("hmi.operators")

MAX_WRONG_PINS = 5
LOCKOUT_SECONDS = 60
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 64
_NAME = re.compile(r"^[^\s].{0,62}[^\s]$|^[^\s]$")


class SignInRefused(Exception):
    """The PIN was not accepted; ``str()`` is the line the operator sees (English).

    ``reason`` (unknown, locked, wrong_pin, now_locked, role_too_low) and ``values`` let the
    window say the same in its own language."""

    def __init__(self, message: str, reason: str = "", **values) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


class AccountError(Exception):
    """An account change that is not possible; ``str()`` says why."""


@dataclass(frozen=True)
class Operator:
    name: str
    role: Role
    active: bool = True
    created_by: str | None = None
    changed_by: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role.label})"


def _operator(row: OperatorRow) -> Operator:
    return Operator(row.name, Role.parse(row.role), row.active, row.created_by, row.changed_by)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or not _NAME.match(name):
        raise AccountError("a name needs 1 to 64 characters")
    return name


def check_pin(pin: str) -> str:
    if len(pin) < MIN_PIN_LENGTH:
        raise AccountError(f"a PIN needs at least {MIN_PIN_LENGTH} digits")
    if len(pin) > MAX_PIN_LENGTH:
        raise AccountError(f"a PIN or password has at most {MAX_PIN_LENGTH} characters")
    return pin


class OperatorService:
    def __init__(self, store: OperatorStore, db, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.db = db
        self.clock = clock

    # ------------------------------------------------------------------ accounts

    async def needs_first_engineer(self) -> bool:
        """True while no active engineer exists: the window asks for the first one."""
        return await self.db(self.store.count_active, Role.ENGINEER.label) == 0

    async def list(self) -> list[Operator]:
        return [_operator(row) for row in await self.db(self.store.all)]

    async def add(self, name: str, role: Role, pin: str, actor: str) -> Operator:
        name, pin = check_name(name), check_pin(pin)
        pin_hash = await asyncio.to_thread(hash_pin, pin)
        try:
            await self.db(self.store.add, name, role.label, pin_hash, actor)
        except OperatorExists:
            raise AccountError(f"an operator named {name} already exists") from None
        log.warning("Operator account %s (%s) created by %s", name, role.label, actor, extra={"actor": actor})
        return Operator(name, role, True, actor)

    async def set_active(self, name: str, active: bool, actor: str) -> None:
        try:
            await self.db(self.store.change, name, actor, active=active,
                          **({"failed_attempts": 0, "locked_until": None} if active else {}))
        except UnknownOperator:
            raise AccountError(f"no operator named {name}") from None
        log.warning("Operator account %s %s by %s", name, "enabled" if active else "disabled", actor,
                    extra={"actor": actor})

    async def set_pin(self, name: str, pin: str, actor: str) -> None:
        pin_hash = await asyncio.to_thread(hash_pin, check_pin(pin))
        try:
            await self.db(self.store.change, name, actor, pin_hash=pin_hash, failed_attempts=0, locked_until=None)
        except UnknownOperator:
            raise AccountError(f"no operator named {name}") from None
        log.warning("PIN of operator %s changed by %s", name, actor, extra={"actor": actor})

    async def set_role(self, name: str, role: Role, actor: str) -> None:
        try:
            await self.db(self.store.change, name, actor, role=role.label)
        except UnknownOperator:
            raise AccountError(f"no operator named {name}") from None
        log.warning("Role of operator %s set to %s by %s", name, role.label, actor, extra={"actor": actor})

    # ------------------------------------------------------------------ sign-in

    async def _check(self, name: str, pin: str, purpose: str) -> Operator:
        row = await self.db(self.store.get, name.strip())
        if row is None or not row.active:
            log.warning("%s refused: no active operator named %s", purpose, name.strip()[:64],
                        extra={"actor": name.strip()[:64] or "unknown"})
            raise SignInRefused("Unknown name or account disabled", "unknown")
        now = self.clock()
        if row.locked_until is not None and row.locked_until > now:
            seconds = int((row.locked_until - now).total_seconds() + 0.999)
            raise SignInRefused(f"Account locked after {MAX_WRONG_PINS} wrong PINs: try again in {seconds} s",
                                "locked", tries=MAX_WRONG_PINS, seconds=seconds)
        if await asyncio.to_thread(verify_pin, pin, row.pin_hash):
            if row.failed_attempts or row.locked_until:
                await self.db(self.store.record_success, row.name)
            return _operator(row)
        attempts, locked = await self.db(self.store.record_failure, row.name, MAX_WRONG_PINS,
                                         now + timedelta(seconds=LOCKOUT_SECONDS))
        if locked is not None:
            log.warning("Operator %s locked for %d s after %d wrong PINs", row.name, LOCKOUT_SECONDS,
                        MAX_WRONG_PINS, extra={"actor": row.name})
            raise SignInRefused(f"Wrong PIN. Account locked for {LOCKOUT_SECONDS} s after {MAX_WRONG_PINS} "
                                f"wrong PINs", "now_locked", seconds=LOCKOUT_SECONDS, tries=MAX_WRONG_PINS)
        log.warning("%s of %s: wrong PIN (%d of %d before a lockout)", purpose, row.name, attempts, MAX_WRONG_PINS,
                    extra={"actor": row.name})
        left = MAX_WRONG_PINS - attempts
        raise SignInRefused(f"Wrong PIN: {left} more {'try' if left == 1 else 'tries'} before the account "
                            f"is locked for {LOCKOUT_SECONDS} s", "wrong_pin", left=left, seconds=LOCKOUT_SECONDS)

    async def sign_in(self, name: str, pin: str) -> Operator:
        operator = await self._check(name, pin, "Sign-in")
        log.info("%s signed in as %s", operator.name, operator.role.label, extra={"actor": operator.name})
        return operator

    def signed_out(self, operator: Operator, why: str = "") -> None:
        """Log a sign-out (the window forgets the operator; nothing is stored besides the record)."""
        log.info("%s signed out%s", operator.name, f" ({why})" if why else "", extra={"actor": operator.name})

    async def confirm(self, name: str, pin: str, needed: Role, on_behalf_of: str, what: str) -> Operator:
        """A second person approves ``what`` for ``on_behalf_of``; their role must be at least ``needed``."""
        approver = await self._check(name, pin, "Approval")
        if approver.role < needed:
            log.warning("Approval of %s for %s refused: %s is %s, %s needed", what, on_behalf_of, approver.name,
                        approver.role.label, needed.label, extra={"actor": approver.name})
            raise SignInRefused(f"{approver.name} is {approver.role.label}; a {needed.label} must approve",
                                "role_too_low", name=approver.name, role=approver.role.label, needed=needed.label)
        log.warning("%s approved by %s (%s) for %s", what, approver.name, approver.role.label, on_behalf_of,
                    extra={"actor": f"{on_behalf_of}+{approver.name}"})
        return approver
