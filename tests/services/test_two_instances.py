"""Two Batch HMI instances on one database, triggered at the same moment, store every MO once.

A second instance for the same line refuses to start (tests/store/test_instance_lock.py); these
instances skip that claim, as an older version would, to show the database's own guarantee."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from hmi.store.models import mo_batch


def _stored(runtime) -> list[tuple[str, int]]:
    with runtime.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(mo_batch.c.mo_id, mo_batch.c.batch_no))]


def _assert_each_mo_once(rows: list[tuple[str, int]]) -> None:
    assert len(rows) == 10
    assert max(Counter(mo_id for mo_id, _ in rows).values()) == 1
    assert sorted(batch_no for _, batch_no in rows) == list(range(1, 11))


async def test_simultaneous_syncs_with_plc_write_store_every_mo_once(make_runtime, fake_odoo, plc_sim):
    first = await make_runtime(fake_odoo, plc_sim, claim_line=False)
    second = await make_runtime(fake_odoo, plc_sim, claim_line=False)
    outcomes = await asyncio.gather(first.sync.sync("api"), second.sync.sync("api"))
    assert sorted(o.outcome for o in outcomes) == ["skipped", "synced"], outcomes
    _assert_each_mo_once(_stored(first))
    assert first.plc.connection.request_count + second.plc.connection.request_count > 0


async def test_repeated_simultaneous_syncs_store_every_mo_once(make_runtime, fake_odoo):
    first = await make_runtime(fake_odoo, None, claim_line=False)
    second = await make_runtime(fake_odoo, None, claim_line=False)
    for _ in range(5):  # the race is decided differently from round to round
        outcomes = await asyncio.gather(first.sync.sync("api"), second.sync.sync("api"))
        assert sorted(o.outcome for o in outcomes) == ["skipped", "synced"], outcomes
        _assert_each_mo_once(_stored(first))
        await second.admin.clear("test", plc_was_reset=True)
