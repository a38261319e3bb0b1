"""Operator accounts and sign-in on a real database: hashing, roles, lockout and what is logged."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from hmi.services.access import Action, Role, can, required_role
from hmi.services.operators import MAX_WRONG_PINS, AccountError, OperatorService, SignInRefused
from hmi.services.pin_hash import hash_pin, verify_pin
from hmi.store import DbRunner
from hmi.clock import utc_now
from hmi.store.operators import OperatorStore


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self):
        return self.now


@pytest.fixture
async def service(engine):
    db = DbRunner()
    clock = Clock()
    yield OperatorService(OperatorStore(engine), db, clock=clock), clock, engine
    await db.stop()


def test_roles_include_the_one_before():
    assert can(Role.OPERATOR, Action.TRIGGER_SYNC) and not can(Role.OPERATOR, Action.CLEAR_TABLE)
    assert can(Role.SUPERVISOR, Action.CLEAR_TABLE) and not can(Role.SUPERVISOR, Action.EDIT_SETTINGS)
    assert all(can(Role.ENGINEER, action) for action in Action)
    assert not any(can(None, action) for action in Action)
    assert required_role("some_future_action") is Role.ENGINEER


def test_pin_hash_is_memory_hard_salted_and_verifies():
    first, second = hash_pin("4711"), hash_pin("4711")
    assert first.startswith("scrypt$16384$8$1$") and first != second and "4711" not in first
    assert verify_pin("4711", first) and not verify_pin("4712", first)
    assert not verify_pin("4711", "sha256$abc")


async def test_accounts_are_created_listed_and_disabled_with_who(service):
    operators, _clock, engine = service
    assert await operators.needs_first_engineer()
    await operators.add("Budi", Role.ENGINEER, "123456", "cli:root")
    await operators.add("Siti", Role.OPERATOR, "2468", "Budi")
    assert not await operators.needs_first_engineer()
    with pytest.raises(AccountError, match="already exists"):
        await operators.add("budi", Role.OPERATOR, "9999", "Budi")
    with pytest.raises(AccountError, match="at least 4 digits"):
        await operators.add("Ani", Role.OPERATOR, "12", "Budi")
    listed = {op.name: op for op in await operators.list()}
    assert listed["Siti"].role is Role.OPERATOR and listed["Siti"].created_by == "Budi"
    await operators.set_active("Siti", False, "Budi")
    with pytest.raises(SignInRefused, match="Unknown name or account disabled"):
        await operators.sign_in("Siti", "2468")
    stored = {row.name: row for row in OperatorStore(engine).all()}
    assert stored["Siti"].changed_by == "Budi" and not stored["Siti"].active
    assert stored["Budi"].pin_hash.startswith("scrypt$")


async def test_five_wrong_pins_lock_the_account_for_60_seconds(service, caplog):
    caplog.set_level(logging.INFO)
    operators, clock, _engine = service
    await operators.add("Siti", Role.OPERATOR, "2468", "Budi")
    for attempt in range(1, MAX_WRONG_PINS):
        with pytest.raises(SignInRefused, match=f"{MAX_WRONG_PINS - attempt} more"):
            await operators.sign_in("Siti", "0000")
    with pytest.raises(SignInRefused, match="locked for 60 s"):
        await operators.sign_in("Siti", "0000")
    assert "Operator Siti locked for 60 s after 5 wrong PINs" in caplog.messages
    # Even the right PIN is refused while locked.
    clock.now += timedelta(seconds=30)
    with pytest.raises(SignInRefused, match="try again in 30 s"):
        await operators.sign_in("Siti", "2468")
    clock.now += timedelta(seconds=31)
    signed = await operators.sign_in("Siti", "2468")
    assert signed.name == "Siti" and signed.role is Role.OPERATOR
    assert "Siti signed in as operator" in caplog.messages
    records = [r for r in caplog.records if r.name == "hmi.operators" and "created by" not in r.getMessage()]
    assert all(getattr(r, "actor", None) == "Siti" for r in records)


async def test_a_supervisor_approves_for_an_operator_and_both_names_are_logged(service, caplog):
    caplog.set_level(logging.INFO)
    operators, _clock, _engine = service
    await operators.add("Siti", Role.OPERATOR, "2468", "Budi")
    await operators.add("Wati", Role.SUPERVISOR, "1357", "Budi")
    with pytest.raises(SignInRefused, match="a supervisor must approve"):
        await operators.confirm("Siti", "2468", Role.SUPERVISOR, "Siti", "Clear")
    approver = await operators.confirm("Wati", "1357", Role.SUPERVISOR, "Siti", "Clear")
    assert approver.name == "Wati"
    record = [r for r in caplog.records if "approved by Wati" in r.getMessage()][0]
    assert record.getMessage() == "Clear approved by Wati (supervisor) for Siti" and record.actor == "Siti+Wati"
