"""The plant overview's one query, on both backends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, insert, update

from hmi.domain import DownloadState
from hmi.clock import utc_now
from hmi.store.models import line_instances, mo_batch
from hmi.store.plant import PlantReader
from hmi.records import LineState
from tools.support.factories import make_mo, make_reading


def _instance(store, line: str, heartbeat_age_s: float) -> None:
    now = utc_now()
    with store.engine.begin() as conn:
        conn.execute(insert(line_instances).values(line=line, host="pc-" + line.lower(), pid=100,
                                                   started_at=now - timedelta(hours=1),
                                                   heartbeat_at=now - timedelta(seconds=heartbeat_age_s)))


def test_every_line_in_one_query(store):
    # PLC01 dosing its second batch, PLC02 with an ATTENTION batch, PLC03 idle and offline,
    # PLC04 waiting, PLC05 syncing; '' (an instance serving the whole table) is no line.
    store.insert_batches([make_mo(i, line="PLC01") for i in (1, 2, 3)], line="PLC01")
    store.apply_plc_reading(make_reading(make_mo(1), 1, 1.0, done=True), 10_000)
    store.apply_plc_reading(make_reading(make_mo(2), 2, 0.4), 10_000)
    store.insert_batches([make_mo(i, line="PLC02") for i in (11, 12)], line="PLC02")
    with store.engine.begin() as conn:
        conn.execute(update(mo_batch).where(mo_batch.c.mo_id == "WH/MO/00011").values(needs_attention=True))
    store.insert_batches([make_mo(21, line="PLC04")], line="PLC04")
    store.insert_batches([make_mo(31, line="PLC05")], line="PLC05", download_state=DownloadState.PENDING)
    for line, age in (("PLC01", 5), ("PLC02", 40), ("PLC03", 400), ("PLC04", 1), ("PLC05", 1), ("", 1)):
        _instance(store, line, age)

    statements = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    lines = PlantReader(store.engine).lines()
    assert [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))] == [statements[-1]]
    assert len([s for s in statements if "mo_batch" in s]) == 1  # one query for every line

    now = utc_now()
    by_line = {snapshot.line: snapshot for snapshot in lines}
    assert list(by_line) == ["PLC01", "PLC02", "PLC03", "PLC04", "PLC05"]
    one = by_line["PLC01"]
    assert one.state(now) is LineState.DOSING
    assert (one.batches, one.done, one.batches_left) == (3, 1, 2)
    assert one.current_mo == "WH/MO/00002" and one.current_batch_no == 2
    assert one.progress is not None and 0 < one.progress <= 1
    assert by_line["PLC02"].state(now) is LineState.FAULT
    assert by_line["PLC02"].abnormal_batches == {"ATTENTION": 1, "HELD": 0, "FAILED": 0}
    three = by_line["PLC03"]
    assert three.state(now) is LineState.OFFLINE and three.heartbeat_age(now) > timedelta(seconds=399)
    assert (three.batches, three.current_mo) == (0, None)
    assert by_line["PLC04"].state(now) is LineState.WAITING
    assert by_line["PLC05"].state(now) is LineState.SYNCING
    assert by_line["PLC02"].host == "pc-plc02" and by_line["PLC02"].filled_at is not None
