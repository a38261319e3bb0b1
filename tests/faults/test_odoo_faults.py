"""Odoo misbehaving while the cycle runs: down, slow, HTTP 500, HTML 404, broken JSON, expired
session, partial errors. The sync fails cleanly (nothing stored, nothing sent to the PLC), a push
is retried, and once Odoo is well again every batch is reported exactly once."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from hmi.odoo.client import ROUTE_PUSH
from hmi.sim.odoo import FakeOdoo
from tests.conftest import pick_free_port
from tests.faults.conftest import (
    assert_no_traceback,
    assert_one_clear_error,
    assert_reported_exactly,
    problems,
    run_until_empty,
)

TIMEOUT = 1  # ODOO_TIMEOUT_SECONDS for these tests

FETCH_FAULTS = {
    "slow": ({"delay_seconds": TIMEOUT + 1.5}, "did not answer"),
    "http_500": ({"http_500": True}, "HTTP 500"),
    "html_404": ({"addon_missing": True}, "grt_scada is not installed"),
    "malformed_json": ({"malformed_json": True}, "not JSON"),
    "application_error": ({"application_error": "Database is being upgraded"}, "Database is being upgraded"),
}


async def _sync_fails_cleanly(runtime, plc_sim, caplog, *fragments):
    caplog.clear()
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "failed"
    assert_one_clear_error(caplog, "Fetching MOs from Odoo failed", *fragments, logger="hmi.sync")
    assert len(problems(caplog)) <= 2  # the client's WARNING and the sync's ERROR, nothing more
    assert await runtime.db(runtime.store.count_batches) == 0
    assert plc_sim.downloads_taken == 0


async def _recovers_and_reports(runtime, fake_odoo, plc_sim, once=True):
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10, outcome
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids, once=once)
    assert runtime.health.alert is None


@pytest.mark.parametrize("fault", sorted(FETCH_FAULTS))
async def test_fetch_fault_fails_the_sync_cleanly_and_recovers(fault, make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, ODOO_TIMEOUT_SECONDS=TIMEOUT)
    changes, fragment = FETCH_FAULTS[fault]
    fake_odoo.set_faults(**changes)
    await _sync_fails_cleanly(runtime, plc_sim, caplog, fragment)
    fake_odoo.clear_faults()
    await _recovers_and_reports(runtime, fake_odoo, plc_sim)
    assert_no_traceback(caplog)


async def test_odoo_down_then_back_on_the_same_port(make_runtime, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeOdoo(port=pick_free_port(), mo_count=30)
    fake.start()
    try:
        runtime = await make_runtime(fake, plc_sim, ODOO_TIMEOUT_SECONDS=TIMEOUT)
        fake.stop()
        await _sync_fails_cleanly(runtime, plc_sim, caplog, "cannot be reached", "connection refused")
        fake.start()
        await _recovers_and_reports(runtime, fake, plc_sim)
    finally:
        fake.stop()


async def test_expired_session_is_renewed_without_an_error(make_runtime, fake_odoo, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim)
    await runtime.odoo.login()
    fake_odoo.expire_sessions(1)
    outcome = await runtime.sync.sync("timer")
    assert outcome.outcome == "synced" and outcome.count == 10
    assert any(m.startswith("Odoo session expired; logging in again") for m in caplog.messages)
    assert problems(caplog) == []
    # And once more in the middle of the pushes.
    fake_odoo.expire_sessions(1)
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await run_until_empty(runtime)
    await assert_reported_exactly(runtime, fake_odoo, ids)
    assert problems(caplog) == []


PUSH_FAULTS = {
    # fault, words of the warning, whether Odoo applied the push although the HMI saw a failure
    "down": (None, "cannot be reached", False),
    "slow": ({"delay_seconds": TIMEOUT + 1.5, "route": ROUTE_PUSH}, "did not answer", True),
    "http_500": ({"http_500": True, "route": ROUTE_PUSH}, "HTTP 500", False),
    "html_404": ({"addon_missing": True, "route": ROUTE_PUSH}, "grt_scada is not installed", False),
    "malformed_json": ({"malformed_json": True, "route": ROUTE_PUSH}, "not JSON", True),
    "partial_errors": ({"partial_errors": ["silo101: Equipment not found"]}, "only partly", True),
}


@pytest.mark.parametrize("fault", sorted(PUSH_FAULTS))
async def test_push_fault_keeps_the_batch_and_retries_until_reported(fault, make_runtime, plc_sim, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeOdoo(port=pick_free_port(), mo_count=30)
    fake.start()
    try:
        runtime = await make_runtime(fake, plc_sim, ODOO_TIMEOUT_SECONDS=TIMEOUT, SYNC_BATCH_LIMIT=3,
                                     MAX_PUSH_ATTEMPTS=30)
        runtime.completion.backoff_initial = timedelta(0)
        assert (await runtime.sync.sync("timer")).count == 3
        ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
        changes, fragment, applied_anyway = PUSH_FAULTS[fault]
        if changes is None:
            fake.stop()
        else:
            fake.set_faults(**changes)

        async def all_done_and_failing() -> bool:
            await runtime.poll_and_complete()
            batches = await runtime.db(runtime.store.list_batches)
            return len(batches) == 3 and all(b.status_manufacturing and b.push_attempts >= 1 for b in batches)

        from tests.support.runtime_fixtures import wait_for
        assert await wait_for(all_done_and_failing, timeout=30, interval=0.05)
        batches = await runtime.db(runtime.store.list_batches)
        assert not any(b.update_odoo or b.needs_attention for b in batches)
        assert all(fragment in b.last_push_error for b in batches)
        # One WARNING per failed attempt, each naming the MO and the cause; no ERROR, no traceback.
        warnings = [r.getMessage() for r in problems(caplog) if r.name == "hmi.completion"]
        assert warnings and all("Reporting to Odoo failed for MO" in w and fragment in w for w in warnings)
        assert not [r for r in problems(caplog) if r.levelno >= logging.ERROR]
        assert_no_traceback(caplog)

        if changes is None:
            fake.start()
        else:
            fake.clear_faults()
        await run_until_empty(runtime)
        await assert_reported_exactly(runtime, fake, ids, once=not applied_anyway)
    finally:
        fake.stop()
