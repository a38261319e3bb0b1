"""The alarm service on a real store (SQLite and PostgreSQL): every ISA-18.2 transition."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio

from hmi.services.alarms import AlarmRefused, AlarmService, AlarmState, Priority, banner_lines
from hmi.store import DbRunner
from hmi.store.alarms import AlarmStore
from hmi.records import AlarmQuery


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest_asyncio.fixture
async def alarms(engine, clock):
    db = DbRunner()
    service = AlarmService(AlarmStore(engine), db, line="PLC01", clock=clock)
    yield service
    await db.stop()


def _logged(service: AlarmService) -> list[str]:
    return [r["message"] for r in service.store.transitions_logged()]


async def test_acknowledged_while_active_then_returns_to_normal(alarms, clock):
    await alarms.raise_alarm("plc.offline", "PLC 10.0.0.5:502 not reachable")
    [alarm] = await alarms.visible()
    assert alarm.state is AlarmState.UNACK_ACTIVE and alarm.priority is Priority.CRITICAL
    assert alarm.raised_at == clock.now

    clock.advance(minutes=1)
    acked = await alarms.acknowledge(alarm.id, "rina")
    assert acked.state is AlarmState.ACK_ACTIVE
    assert (acked.acknowledged_by, acked.acknowledged_at) == ("rina", clock.now)
    assert [a.state for a in await alarms.visible()] == [AlarmState.ACK_ACTIVE]

    clock.advance(minutes=1)
    await alarms.clear("plc.offline")
    assert await alarms.visible() == []
    done = await alarms.get(alarm.id)
    assert done.state is AlarmState.NORMAL and done.returned_at == done.normal_at == clock.now
    assert len(_logged(alarms)) == 3  # raised, acknowledged, returned to normal


async def test_returned_unacknowledged_stays_listed_until_acknowledged(alarms):
    await alarms.raise_alarm("batch.failed", "Batch 2 (MO WH/MO/00002) FAILED on the PLC", "WH/MO/00002",
                             mo_id="WH/MO/00002", batch_no=2)
    await alarms.clear("batch.failed", "WH/MO/00002")
    [alarm] = await alarms.visible()
    assert alarm.state is AlarmState.RTN_UNACK and alarm.mo_id == "WH/MO/00002" and alarm.batch_no == 2
    await alarms.acknowledge(alarm.id, "rina")
    assert await alarms.visible() == []
    assert (await alarms.get(alarm.id)).state is AlarmState.NORMAL
    assert len(_logged(alarms)) == 3
    with pytest.raises(AlarmRefused):
        await alarms.acknowledge(alarm.id, "rina")


async def test_reraised_condition_is_one_alarm_with_a_count(alarms):
    for _ in range(5):
        await alarms.raise_alarm("plc.offline", "PLC not reachable")
        await alarms.raise_alarm("plc.offline", "PLC not reachable")  # the same edge seen twice: nothing new
        await alarms.clear("plc.offline")
    [alarm] = await alarms.visible()
    assert alarm.count == 5 and alarm.state is AlarmState.RTN_UNACK
    total, _ = await alarms.journal()
    assert total == 1
    assert len(_logged(alarms)) == 10  # 5 raises, 5 returns
    # Acknowledged and normal: the next occurrence is a new alarm.
    await alarms.acknowledge(alarm.id, "rina")
    await alarms.raise_alarm("plc.offline", "PLC not reachable")
    [again] = await alarms.visible()
    assert again.id != alarm.id and again.count == 1


async def test_shelved_alarm_is_hidden_and_comes_back_when_the_shelf_time_ends(alarms, clock):
    await alarms.raise_alarm("batch.stuck", "MO WH/MO/00003 has no PLC reading for 16 minutes", "WH/MO/00003")
    await alarms.raise_alarm("plc.stale", "PLC readings fail")
    stuck = next(a for a in await alarms.visible() if a.kind == "batch.stuck")
    with pytest.raises(AlarmRefused):
        await alarms.shelve(stuck.id, 30, "  ", "supervisor")
    shelved = await alarms.shelve(stuck.id, 30, "mixer maintenance", "supervisor")
    assert shelved.shelved_until == clock.now + timedelta(minutes=30)
    assert [a.kind for a in await alarms.visible()] == ["plc.stale"]

    clock.advance(minutes=29)
    assert [a.kind for a in await alarms.visible()] == ["plc.stale"]
    clock.advance(minutes=2)
    assert [a.kind for a in await alarms.visible()] == ["plc.stale", "batch.stuck"]  # high before medium
    assert (await alarms.get(stuck.id)).shelved_until is None
    assert any("shelved by supervisor" in m for m in _logged(alarms))
    assert any("back from the shelf" in m for m in _logged(alarms))


async def test_list_sorts_by_priority_then_newest_and_banner_shows_unacknowledged_first(alarms, clock):
    await alarms.event("batch.out_of_tolerance", "MO WH/MO/00001 silo A outside tolerance", "WH/MO/00001")
    clock.advance(seconds=1)
    await alarms.raise_alarm("odoo.sync_failing", "Sync failed 3 times in a row")
    clock.advance(seconds=1)
    await alarms.raise_alarm("plc.offline", "PLC not reachable")
    clock.advance(seconds=1)
    await alarms.raise_alarm("batch.failed", "Batch 1 FAILED", "WH/MO/00001")
    listed = await alarms.visible()
    assert [a.kind for a in listed] == ["plc.offline", "batch.failed", "odoo.sync_failing",
                                        "batch.out_of_tolerance"]
    await alarms.acknowledge(listed[0].id, "rina")
    lines = banner_lines(await alarms.visible())
    assert lines[0] == "HIGH: Batch 1 FAILED"
    assert not any("PLC not reachable" in line for line in lines)


async def test_journal_filters_and_pages(alarms, clock):
    for n in range(60):
        await alarms.event("batch.out_of_tolerance", f"MO {n} outside tolerance", f"MO{n}")
        clock.advance(seconds=1)
    await alarms.raise_alarm("plc.offline", "PLC not reachable")
    total, page = await alarms.journal(AlarmQuery(), 50, 0)
    assert total == 61 and len(page) == 50 and page[0].kind == "plc.offline"
    total, page = await alarms.journal(AlarmQuery(), 50, 50)
    assert len(page) == 11
    total, _ = await alarms.journal(AlarmQuery(priority="low"))
    assert total == 60
    total, _ = await alarms.journal(AlarmQuery(kind="plc.offline", state="unack_active"))
    assert total == 1
    total, _ = await alarms.journal(AlarmQuery(since=clock.now - timedelta(seconds=10)))
    assert total == 11


async def test_transitions_kept_while_the_database_is_away_are_written_later(alarms, clock, monkeypatch):
    original = alarms.store.change_condition
    down = True

    def flaky(*args):
        if down:
            raise ConnectionError("database away")
        return original(*args)

    monkeypatch.setattr(alarms.store, "change_condition", flaky)
    began = clock.now
    await alarms.raise_alarm("database.unreachable", "The database does not answer")
    await alarms.raise_alarm("database.unreachable", "The database does not answer")
    assert alarms.kept == 1
    clock.advance(minutes=2)
    down = False
    await alarms.clear("database.unreachable")
    assert alarms.kept == 0
    [alarm] = await alarms.visible()
    assert alarm.state is AlarmState.RTN_UNACK and alarm.raised_at == began
    assert alarm.returned_at == clock.now


async def test_operator_actions_that_do_not_apply_are_refused_with_a_reason(alarms):
    await alarms.raise_alarm("plc.offline", "PLC not reachable")
    await alarms.raise_alarm("plc.stale", "PLC reads fail")
    offline, stale = await alarms.visible()
    with pytest.raises(AlarmRefused, match="does not exist"):
        await alarms.acknowledge(999_999, "rina")
    with pytest.raises(AlarmRefused, match="minutes"):
        await alarms.shelve(offline.id, 0, "why", "rina")
    with pytest.raises(AlarmRefused, match="minutes"):
        await alarms.shelve(offline.id, 13 * 60, "why", "rina")
    await alarms.acknowledge(offline.id, "rina")
    # Acknowledging several: the one already acknowledged is skipped, the other is done.
    done = await alarms.acknowledge_many([offline.id, stale.id], "rina")
    assert [a.id for a in done] == [stale.id]
    await alarms.clear("plc.offline")
    with pytest.raises(AlarmRefused, match="back to normal"):
        await alarms.shelve(offline.id, 10, "why", "rina")


def test_alarm_actor_is_the_one_place_that_names_who_acts():
    from hmi.services.alarms import alarm_actor

    assert alarm_actor("acknowledge", lambda: "rina") == "rina"
    assert alarm_actor("shelve", lambda: "api") == "api"
    with pytest.raises(ValueError):
        alarm_actor("delete", lambda: "rina")


async def test_tick_brings_a_shelved_alarm_back_without_anyone_listing(alarms, clock):
    changes: list[bool] = []
    alarms.add_listener(lambda: changes.append(True))
    await alarms.raise_alarm("batch.stuck", "MO WH/MO/00003 STUCK", "WH/MO/00003")
    [alarm] = await alarms.visible()
    await alarms.shelve(alarm.id, 10, "mixer maintenance", "supervisor")
    assert await alarms.tick() == 0  # not yet: no database query either
    clock.advance(minutes=11)
    changes.clear()
    assert await alarms.tick() == 1
    assert changes  # the window hears of it
    assert (await alarms.get(alarm.id)).shelved_until is None
    assert await alarms.tick() == 0


async def test_started_while_the_database_is_away_it_still_returns_alarms_it_could_not_read(engine, clock,
                                                                                           monkeypatch):
    db = DbRunner()
    try:
        before = AlarmService(AlarmStore(engine), db, line="PLC01", clock=clock)
        await before.raise_alarm("plc.offline", "PLC not reachable")  # left active by the previous run

        service = AlarmService(AlarmStore(engine), db, line="PLC01", clock=clock)
        store = service.store
        open_alarms, change = store.open_alarms, store.change_condition
        down = True

        def guard(fn):
            def call(*args):
                if down:
                    raise ConnectionError("database away")
                return fn(*args)
            return call

        monkeypatch.setattr(store, "open_alarms", guard(open_alarms))
        monkeypatch.setattr(store, "change_condition", guard(change))
        await service.raise_alarm("database.unreachable", "The database does not answer")
        await service.clear("plc.offline")  # the PLC is back: not skipped though the table was never read
        assert service.kept == 2
        down = False
        await service.clear("database.unreachable")
        assert service.kept == 0
        states = {a.kind: a.state for a in await service.open_alarms()}
        assert states == {"plc.offline": AlarmState.RTN_UNACK, "database.unreachable": AlarmState.RTN_UNACK}
    finally:
        await db.stop()


async def test_an_operator_sentence_keeps_its_template_and_values_through_raise_reraise_and_event(alarms):
    """The English stays the message (log, API); the template and values come back as the same
    OperatorText, a nested sentence as one too; a re-raise after return carries the new sentence's."""
    from hmi.operator_text import QT_TRANSLATE_NOOP, OperatorText

    names = "WH/MO/00001, WH/MO/00002"
    first = OperatorText(QT_TRANSLATE_NOOP("OperatorText", "{count} MO(s) on the Held list, not fetched until "
                                           "released: {names}"), count=2, names=names)
    await alarms.raise_alarm("mo.held", first)
    [alarm] = await alarms.visible()
    assert alarm.message == "2 MO(s) on the Held list, not fetched until released: WH/MO/00001, WH/MO/00002"
    assert type(alarm.message) is str
    assert isinstance(alarm.text, OperatorText)
    assert (alarm.text.template, alarm.text.values) == (first.template, {"count": 2, "names": names})
    assert _logged(alarms)[-1] == f"ALARM MEDIUM mo.held raised: {alarm.message}"

    await alarms.clear("mo.held")  # returned, unacknowledged: raised again with a new sentence
    again = OperatorText(first.template, count=1, names="WH/MO/00003")
    await alarms.raise_alarm("mo.held", again)
    [alarm] = await alarms.visible()
    assert alarm.count == 2 and alarm.message == str(again) and alarm.text.values["names"] == "WH/MO/00003"

    reason = OperatorText(QT_TRANSLATE_NOOP("OperatorText", "the download could not be confirmed"))
    held = OperatorText(QT_TRANSLATE_NOOP("OperatorText", "Batch {batch} (MO {mo}) HELD: {reason}"),
                        batch=3, mo="WH/MO/00004", reason=reason)
    await alarms.event("batch.held", held, "WH/MO/00004", mo_id="WH/MO/00004", batch_no=3)
    [event] = [a for a in await alarms.visible() if a.kind == "batch.held"]
    assert event.state is AlarmState.RTN_UNACK
    assert event.message == "Batch 3 (MO WH/MO/00004) HELD: the download could not be confirmed"
    nested = event.text.values["reason"]
    assert isinstance(nested, OperatorText) and nested.template == reason.template

    await alarms.raise_alarm("plc.offline", "PLC 10.0.0.5:502 not reachable")  # a plain str: no template
    [plain] = [a for a in await alarms.visible() if a.kind == "plc.offline"]
    assert (plain.message_template, plain.message_values) == (None, None)
    assert plain.text == plain.message and not isinstance(plain.text, OperatorText)


async def test_a_sentence_cut_to_the_column_keeps_no_template(alarms):
    from hmi.operator_text import OperatorText

    await alarms.raise_alarm("plc.stale", OperatorText("PLC {plc} readings fail: {error}", plc="x", error="e" * 5000))
    [alarm] = await alarms.visible()
    assert len(alarm.message) == 4000 and alarm.message_template is None and alarm.text == alarm.message
