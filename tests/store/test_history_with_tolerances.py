"""History at scale (revision 0010) with what revision 0009 added: tolerance verdicts, alarms, the line of log rows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from hmi.domain import HistoryStatus
from hmi.services.alarms import ALARM_KINDS, _raise, _shelve
from hmi.store.alarms import AlarmStore
from hmi.store.log_records import LogRecordStore
from hmi.clock import utc_now
from hmi.store.models import mo_histories, mo_history_counts, system_log
from hmi.store.plant import PlantReader
from hmi.store.silo_assignment import SiloAssignmentStore
from hmi.store.tolerances import SiloToleranceStore
from tools.support.factories import make_mo

START = datetime(2026, 3, 1, 22, 0, tzinfo=timezone.utc)


def _counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {row.status: row.entries for row in conn.execute(select(mo_history_counts)) if row.entries}


def test_counts_follow_every_archive_path_and_a_verdict_changes_none(store):
    store.insert_batches([make_mo(i) for i in range(1, 6)])
    store.archive(make_mo(1).mo_id, HistoryStatus.COMPLETED)          # the completion archive
    store.archive(make_mo(2).mo_id, HistoryStatus.FAILED, notes="failed on the PLC",
                  hold_reason="Failed while on the PLC")              # archive as failed, onto the Held list
    tolerances = SiloToleranceStore(store.engine)
    assert tolerances.record_verdict(make_mo(1).mo_id, "outside", '{"A": {"within": false}}')
    result = store.clear("op")                                        # clear with holds
    assert len(result.held) == 3
    assert _counts(store) == {"completed": 1, "failed": 1, "cleared": 3}

    store.insert_batches([make_mo(i) for i in range(6, 8)])
    store.clear("op", plc_was_reset=True)                               # clear, the PLC was reset
    assert _counts(store) == {"completed": 1, "failed": 1, "cleared": 5}
    assert store.history.page().total == 7
    assert store.history.page(status="cleared").total == 5
    page = store.history.page(mo_text=make_mo(1).mo_id)
    assert [e.mo_id for e in page.entries] == [make_mo(1).mo_id]
    assert tolerances.verdicts([make_mo(1).mo_id])[make_mo(1).mo_id][0] == "outside"


def _outside_rows(count: int) -> list[dict]:
    rows, at = [], START
    for number in range(count):
        if number % 4:
            at = at + timedelta(hours=5)  # every 4th row shares its time with the one before
        rows.append({"id": uuid.uuid4(), "mo_id": f"WH/MO/{number:05d}", "batch_no": 1, "consumption": 1000.0,
                     "equipment_id_batch": "PLC01", "status": "completed", "archived_at": at,
                     "tolerance_verdict": "outside" if number % 3 else "within"})
    return rows


def test_outside_tolerance_pages_by_cursor_with_dates_and_mo_text(store):
    rows = _outside_rows(40)
    with store.engine.begin() as conn:
        conn.execute(insert(mo_histories), rows)
    tolerances = SiloToleranceStore(store.engine)
    outside = [r for r in sorted(rows, key=lambda r: (r["archived_at"], r["id"].hex), reverse=True)
               if r["tolerance_verdict"] == "outside"]

    seen, cursor = [], None
    while True:
        page = tolerances.outside_page(None, limit=7, cursor=cursor)
        assert page.total == len(outside)
        seen += [e.mo_id for e in page.entries]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [r["mo_id"] for r in outside]

    since, until = START + timedelta(days=1), START + timedelta(days=2)
    page = tolerances.outside_page(None, limit=50, since=since, until=until)
    assert [e.mo_id for e in page.entries] == [r["mo_id"] for r in outside if since <= r["archived_at"] < until]
    assert page.next_cursor is None
    page = tolerances.outside_page("00013", limit=50)
    assert [e.mo_id for e in page.entries] == ["WH/MO/00013"] and page.total == 1
    # the offset of old callers still pages
    assert [e.mo_id for e in tolerances.outside_page(None, limit=5, offset=5).entries] == seen[5:10]


def test_system_log_writers_give_their_line(store):
    alarms = AlarmStore(store.engine)
    spec = ALARM_KINDS["plc.offline"]
    alarms.change_condition("PLC02", spec.kind, "", utc_now(),
                            _raise("PLC02", spec, "", "PLC link down", None, None, None))
    SiloToleranceStore(store.engine, line="PLC02").replace([("A", 1.5, None)], "op")
    SiloToleranceStore(store.engine).replace([("A", 2.5, None)], "op")  # no line known: NULL
    with store.engine.connect() as conn:
        rows = conn.execute(select(system_log.c.module, system_log.c.line).order_by(system_log.c.id)).all()
    assert [(r.module, r.line) for r in rows] == [("hmi.alarms", "PLC02"), ("hmi.tolerance", "PLC02"),
                                                  ("hmi.tolerance", None)]
    assert [r["module"] for r in LogRecordStore(store.engine).recent_log(line="PLC02")] == ["hmi.tolerance", "hmi.alarms"]
    assert SiloAssignmentStore(store.engine, line="PLC02").line == "PLC02"


def test_overview_counts_each_lines_visible_alarms_by_priority(store):
    store.insert_batches([make_mo(1, line="PLC01")], line="PLC01")
    store.insert_batches([make_mo(2, line="PLC02")], line="PLC02")
    alarms = AlarmStore(store.engine)
    now = utc_now()
    for line, kind, subject in (("PLC01", "plc.offline", ""), ("PLC01", "batch.stuck", "WH/MO/00001"),
                                ("PLC01", "mo.held", ""), ("PLC02", "batch.stuck", "WH/MO/00002")):
        spec = ALARM_KINDS[kind]
        row = alarms.change_condition(line, kind, subject, now, _raise(line, spec, subject, kind, None, None, None))
    alarms.change_alarm(row["id"], now, _shelve(now + timedelta(hours=1), "known", "op"))  # shelved: not shown

    by_line = {snapshot.line: snapshot for snapshot in PlantReader(store.engine).lines()}
    assert by_line["PLC01"].alarms_by_priority == {"CRITICAL": 1, "HIGH": 0, "MEDIUM": 2, "LOW": 0}
    assert by_line["PLC02"].alarms_by_priority == {"CRITICAL": 0, "HIGH": 0, "MEDIUM": 0, "LOW": 0}
