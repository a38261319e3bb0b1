"""Exactly-once dosing: one regression test per path a read of the code found that could dose an MO
twice or lose what the PLC dosed. Each runs the real stack (Runtime, PLC simulator on loopback, the
fake Odoo as an HTTP server, SQLite and the throwaway PostgreSQL) and counts, at the simulator, how
often the PLC took each MO's recipe.

Findings covered elsewhere: a string counting as true in the admin API
(tests/api/test_strict_bodies.py), SQLite commits not durable across a power cut
(tests/store/test_durability.py), equipment failures collapsing or waiting inside the poll
(tests/services/test_equipment_failures.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy

from hmi.app.runtime import Runtime
from hmi.domain import BatchState, DispatchState, DownloadState, FencedOut, TableChanged
from hmi.plc.codec import decode_text, encode_recipe
from hmi.services import crash_points
from hmi.services.admin import ActionRefused
from hmi.services.sync import recipe_for
from hmi.store.repository import ReadingResult
from tools.support.factories import make_mo, make_reading
from tests.support.runtime_fixtures import settings_for, wait_for

PUSH_ROUTE = "/api/scada/mo/update-with-consumptions"


async def _until_done(runtime, count: int, timeout: float = 20.0) -> list:
    async def done():
        await runtime.poll.poll()
        rows = await runtime.db(runtime.store.list_batches)
        return rows if sum(1 for b in rows if b.status_manufacturing) >= count else None

    rows = await wait_for(done, timeout=timeout, interval=0.1)
    assert rows, f"the PLC did not finish {count} batch(es)"
    return rows


def _home(tmp_path, name: str):
    (tmp_path / name).mkdir()
    return tmp_path / name


def _write_slot_text(plc_sim, slot: int) -> str:
    register_map = plc_sim.register_map
    return decode_text(plc_sim.read_registers(register_map.write_field_address(slot, "mo_id"),
                                              register_map.text_words))


# ---------------------------------------------------------------------- 1


async def test_clear_after_plc_reset_while_pushes_fail_never_redoses_finished_batches(make_runtime, fake_odoo,
                                                                                        plc_sim):
    """Odoo refuses pushes, the PLC finishes 3 batches, the operator clears "the PLC was reset": the
    finished batches stay (their consumption must reach Odoo), nothing is downloaded over them, and
    once Odoo takes pushes again each is reported once; no MO is dosed twice."""
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    fake_odoo.set_faults(http_500=True, route=PUSH_ROUTE)
    await runtime.sync.sync("timer")
    finished = await _until_done(runtime, 3)
    await runtime.completion.complete()  # refused by Odoo: the batches stay DONE
    assert fake_odoo.pushes == []

    result = await runtime.admin.clear("operator7", plc_was_reset=True)
    assert result.count == 0 and sorted(result.kept) == sorted(b.mo_id for b in finished)
    outcome = await runtime.sync.sync("manual")
    assert outcome.outcome == "skipped"  # the finished batches keep the table: no download over them
    assert plc_sim.downloads_taken == 1

    fake_odoo.clear_faults()
    runtime.completion.backoff_initial = runtime.completion.backoff_cap = timedelta(0)

    async def empty():
        await runtime.completion.complete()
        return await runtime.db(runtime.store.count_batches) == 0

    assert await wait_for(empty, timeout=15)
    assert sorted(p["mo_id"] for p in fake_odoo.pushes) == sorted(b.mo_id for b in finished)
    states = await runtime.db(runtime.store.ledger.dispatch_states, [b.mo_id for b in finished])
    assert set(states.values()) == {DispatchState.CLOSED}
    # The next cycle takes new MOs; none of the three comes back.
    assert (await runtime.sync.sync("manual")).outcome == "synced"
    assert set(plc_sim.takes_by_mo.values()) == {1}


async def test_plc_was_reset_releases_only_batches_that_never_started(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    plc_sim.pause()  # the PLC takes nothing: no batch starts
    orders = (await runtime.odoo.fetch_mos(3)).mos
    await runtime.db(runtime.store.insert_batches, list(orders), runtime.sync.line)
    started = orders[0].mo_id
    await runtime.db(runtime.store.apply_plc_reading, make_reading(orders[0], 1, fraction=0.1), 5000.0)

    result = await runtime.admin.clear("op", plc_was_reset=True)
    assert result.held == (started,)  # it was dosing: held, whatever the operator says of the PLC
    assert sorted(result.released) == sorted(mo.mo_id for mo in orders[1:])
    assert [h.mo_id for h in await runtime.admin.held()] == [started]


# ---------------------------------------------------------------------- 3


@pytest.mark.postgres
async def test_lost_line_lock_stops_the_instance_and_the_next_owner_never_deletes_its_download(
        tmp_path, postgres_server, fake_odoo, plc_sim, caplog):
    """A's lock session dies while A has stored a download and not yet written it. B takes the line:
    it holds A's rows instead of deleting them; A's late PLC write cannot be recorded (fenced) and A
    stops with a CRITICAL alarm; B then finds the recipes on the PLC and doses each MO once."""
    caplog.set_level(logging.INFO)
    url = postgres_server.create_database("lost_lock_findings")
    first = Runtime(settings_for(_home(tmp_path, "a"), url, fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3))
    second = None
    await first.start()
    try:
        assert await first.plc.connection.wait_connected(timeout=5)
        orders = list((await first.odoo.fetch_mos(3)).mos)
        keys = {mo.mo_id: mo.mo_id for mo in orders}
        # A's sync stored its rows (pending, reserved in the ledger) and is about to write the PLC.
        await first.db(first.store.insert_batches, orders, first.sync.line, plc_keys=keys,
                       download_state=DownloadState.PENDING)
        admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_locks "
                                        "WHERE locktype = 'advisory' AND granted").all() == [(True,)]
        admin.dispose()

        second = Runtime(settings_for(_home(tmp_path, "b"), url, fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3))
        await second.start()
        assert await second.plc.connection.wait_connected(timeout=5)
        outcome = await second.sync.sync("timer")
        rows = await second.db(second.store.list_batches)
        assert outcome.outcome == "skipped" and {b.state for b in rows} == {BatchState.HELD}
        assert "may still be writing the PLC" in rows[0].hold_reason

        # A goes on with the download it had started; recording it is refused by the fence.
        written = await first.plc.write_recipes([recipe_for(mo, n, mo.mo_id) for n, mo in enumerate(orders, start=1)])
        assert written.written
        with pytest.raises(FencedOut):
            await first.db(first.store.mark_downloaded, [mo.mo_id for mo in orders])
        await first.line_heartbeat()  # A notices: it stops, says so, and cannot take the line back
        assert not first.ownership.ok
        assert (await first.sync.sync("timer")).message.startswith("Sync not run")
        assert (await first.poll.poll()).error.startswith("not polled")
        alarms = [a for a in await first.alarms.visible() if a.kind == "line.ownership_lost"]
        assert alarms and alarms[0].priority.value == "critical"

        # B asks the PLC again: it has the recipes, so they are downloaded, dosed and reported once.
        async def reported():
            await second.sync.sync("timer")
            await second.poll_and_complete()
            return await second.db(second.store.count_batches) == 0

        assert await wait_for(reported, timeout=30, interval=0.1)
        assert {plc_sim.takes_by_mo[mo.mo_id] for mo in orders} == {1}
        assert sorted(p["mo_id"] for p in fake_odoo.pushes) == sorted(mo.mo_id for mo in orders)
    finally:
        crash_points.arm(None)
        for runtime in (first, second):
            if runtime is not None:
                await runtime.stop()


# ---------------------------------------------------------------------- 4 and 9


async def test_partial_download_hold_survives_later_syncs_and_cancel_blanks_the_held_slot(make_runtime, fake_odoo,
                                                                                         plc_sim):
    """The PLC holds only the first batch of a download whose answer was lost: the rest is held, and
    stays held at every later sync (before, the next sync removed it and fetched the MOs again).
    Cancelling a held batch in Odoo blanks its WRITE slot and closes its MO in the ledger."""
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    plc_sim.pause()  # the PLC scan stands still: what is in its WRITE slots stays there
    orders = list((await runtime.odoo.fetch_mos(3)).mos)
    keys = {mo.mo_id: mo.mo_id for mo in orders}
    await runtime.db(runtime.store.insert_batches, orders, runtime.sync.line, plc_keys=keys,
                     download_state=DownloadState.PENDING)
    landed = await runtime.plc.write_recipes([recipe_for(orders[0], 1, orders[0].mo_id)])  # only the first landed
    assert landed.written

    for _ in range(3):
        await runtime.sync.sync("timer")
        rows = {b.mo_id: b for b in await runtime.db(runtime.store.list_batches)}
        assert set(rows) == {mo.mo_id for mo in orders}
        assert rows[orders[0].mo_id].download_state is DownloadState.DOWNLOADED
        assert {rows[mo.mo_id].state for mo in orders[1:]} == {BatchState.HELD}
    states = await runtime.db(runtime.store.ledger.dispatch_states, [mo.mo_id for mo in orders])
    assert [states[mo.mo_id] for mo in orders] == [DispatchState.ON_PLC, DispatchState.HELD, DispatchState.HELD]

    # Put the second recipe in its slot as a PLC program might still hold it, then cancel it.
    register_map = plc_sim.register_map
    plc_sim.write_registers(register_map.write_slot_start(2),
                            encode_recipe(recipe_for(orders[1], 2, orders[1].mo_id), register_map))
    assert _write_slot_text(plc_sim, 2) == orders[1].mo_id
    await runtime.admin.cancel_in_odoo(orders[1].mo_id, "supervisor1")
    assert _write_slot_text(plc_sim, 2) == ""
    assert [c["mo_id"] for c in fake_odoo.cancels] == [orders[1].mo_id]
    assert (await runtime.db(runtime.store.ledger.dispatch_states, [orders[1].mo_id]))[orders[1].mo_id] \
        is DispatchState.CLOSED
    with pytest.raises(ActionRefused, match="Not on the Held list"):
        await runtime.admin.release([orders[1].mo_id], "PLC checked", "supervisor1")


# ---------------------------------------------------------------------- 6


def test_a_reading_never_lands_on_another_lines_batch(store):
    """Short PLC keys are unique in the database, and a reading is matched with its line too."""
    from hmi.plc.keys import plc_keys

    long_a, long_b = "FEEDMILL-A/MO/2026/000123", "FEEDMILL-B/MO/2026/000123"  # same last 15 characters
    mo_a = replace(make_mo(1, line="PLC01"), mo_id=long_a)
    mo_b = replace(make_mo(2, line="PLC02"), mo_id=long_b)
    key_a = plc_keys([long_a], 16)[long_a]
    store.insert_batches([mo_a], "PLC01", plc_keys={long_a: key_a})
    key_b = plc_keys([long_b], 16, store.plc_keys_in_use())[long_b]
    assert key_b != key_a and len(key_b) <= 16
    store.insert_batches([mo_b], "PLC02", plc_keys={long_b: key_b})

    # Line 2's PLC shows batch 1 with line 1's key (a PLC program copied it): not line 2's batch.
    result = store.apply_plc_reading(replace(make_reading(mo_a, 1), mo_id=key_a), 5000.0, line="PLC02")
    assert result.outcome == ReadingResult.NO_MATCH
    assert store.get_batch(long_a).silos[0].actual_kg is None
    assert store.apply_plc_reading(replace(make_reading(mo_b, 1), mo_id=key_b), 5000.0,
                                   line="PLC02").mo_id == long_b


# ---------------------------------------------------------------------- 7


async def test_clear_takes_the_list_it_was_shown(make_runtime, fake_odoo, plc_sim):
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2)
    await runtime.sync.sync("timer")
    shown = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    await _until_done(runtime, 2)
    await runtime.completion.complete()  # reported and archived while the operator was asked
    await runtime.sync.sync("empty")
    now = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
    assert now and set(now).isdisjoint(shown)

    with pytest.raises(TableChanged) as refused:
        await runtime.admin.clear("op", mo_ids=shown)
    assert sorted(refused.value.current) == sorted(now)
    assert sorted(b.mo_id for b in await runtime.db(runtime.store.list_batches)) == sorted(now)
    assert (await runtime.admin.clear("op", mo_ids=now)).count == len(now)


# ---------------------------------------------------------------------- 8


async def test_batch_actions_and_release_are_scoped_to_the_line(tmp_path, database_url, fake_odoo, plc_sim):
    one = Runtime(settings_for(_home(tmp_path, "one"), database_url, fake_odoo, plc_sim, LINE_EQUIPMENT_CODE="PLC01"))
    two = Runtime(settings_for(_home(tmp_path, "two"), database_url, fake_odoo, None, LINE_EQUIPMENT_CODE="PLC02"))
    await one.start()
    await two.start()
    try:
        theirs = make_mo(901, line="PLC02")
        await two.db(two.store.insert_batches, [theirs], "PLC02")
        await two.db(two.store.apply_plc_reading, make_reading(theirs, 1, failed=True), 5000.0, None, "PLC02")
        for action in (one.admin.cancel_in_odoo, one.admin.archive_failed, one.admin.retry_push):
            with pytest.raises(ActionRefused, match="not in the batch table"):
                await action(theirs.mo_id, "supervisor-of-line-1")
        assert not await one.admin.owns_batch(theirs.mo_id) and await two.admin.owns_batch(theirs.mo_id)
        await two.admin.archive_failed(theirs.mo_id, "supervisor-of-line-2")
        with pytest.raises(ActionRefused, match="Not on the Held list"):
            await one.admin.release([theirs.mo_id], "checked", "supervisor-of-line-1")
        assert [h.mo_id for h in await two.admin.held()] == [theirs.mo_id]
        assert fake_odoo.cancels == []
    finally:
        await one.stop()
        await two.stop()


# ---------------------------------------------------------------------- 10


async def test_crash_between_reported_and_marked_done_marks_it_done_after_the_restart(make_runtime, fake_odoo,
                                                                                      plc_sim):
    first = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, ODOO_MARK_DONE="true")
    await first.sync.sync("timer")
    [batch] = await _until_done(first, 1)
    crash_points.arm(lambda name: name == "completion.after_reported")
    try:
        with pytest.raises(crash_points.SimulatedCrash):
            await first.completion.complete()
    finally:
        crash_points.arm(None)
    assert fake_odoo.mark_dones == [] and len(fake_odoo.pushes) == 1
    await first.stop()

    second = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=1, ODOO_MARK_DONE="true")
    await second.completion.complete()
    assert [m["mo_id"] for m in fake_odoo.mark_dones] == [batch.mo_id]
    assert len(fake_odoo.pushes) == 1  # reported once, not again
    assert [e.mo_id for e in (await second.admin.history(status="completed")).entries] == [batch.mo_id]
    assert (await second.db(second.store.ledger.dispatch_states, [batch.mo_id]))[batch.mo_id] is DispatchState.CLOSED


# ---------------------------------------------------------------------- 11


@pytest.mark.parametrize("first_round", ["poll", "sync"])
async def test_clear_cut_off_before_blanking_the_write_slots_is_finished_after_the_restart(make_runtime, fake_odoo,
                                                                                          plc_sim, first_round):
    """The PLC (still busy) has not taken a download when the operator clears it, and the process dies
    between the Clear's commit and the blanking of the WRITE slots. The restarted instance's first poll
    (or sync, whichever comes first) blanks them: the PLC never doses the cleared (held) MOs, whose
    batches no row would match and whose consumption would never reach Odoo; the next MOs are then
    downloaded as usual. (Found by tests/explore.)"""
    first = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    plc_sim.pause()  # the PLC scans only when the test steps it: the download waits in its WRITE slots
    assert (await first.sync.sync("timer")).outcome == "synced"
    cleared = sorted(b.mo_id for b in await first.admin.list_batches())
    crash_points.arm(lambda name: name == "clear.after_archive")
    try:
        with pytest.raises(crash_points.SimulatedCrash):
            await first.admin.clear("operator7")
    finally:
        crash_points.arm(None)
    assert plc_sim.download_pending and _write_slot_text(plc_sim, 1) in cleared  # still waiting to be taken
    await first.stop()

    second = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=3)
    if first_round == "poll":
        await second.poll.poll()
        assert [_write_slot_text(plc_sim, slot) for slot in (1, 2, 3)] == ["", "", ""]
        plc_sim.scan(0.0)  # the PLC's next scan finds the handshake and nothing to run
        assert not plc_sim.download_pending
    outcome = await second.sync.sync("timer")
    assert outcome.outcome == "synced", outcome.message
    following = sorted(b.mo_id for b in await second.admin.list_batches())
    plc_sim.scan(0.0)  # the PLC's next scan takes what its WRITE slots hold
    assert {mo: plc_sim.takes_by_mo[mo] for mo in cleared} == {mo: 0 for mo in cleared}
    assert {mo: plc_sim.takes_by_mo[mo] for mo in following} == {mo: 1 for mo in following}
    assert sorted(h.mo_id for h in await second.admin.held()) == cleared
