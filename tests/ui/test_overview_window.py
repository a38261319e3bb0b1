"""The plant overview over a real database: tiles, live refresh in one query, the line detail."""

from __future__ import annotations

import asyncio

import pytest
import shiboken6
from sqlalchemy import event, update

from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
from hmi.store.models import line_instances, mo_batch
from hmi.store.plant import PlantReader
from hmi.records import LineState
from hmi.ui.overview_window import LineDetailDialog, OverviewWindow
from tests.support.qt_loop import run, run_until
from tools.overview_screenshot import build_plant

pytestmark = pytest.mark.ui


@pytest.fixture
def plant(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'plant.db'}")
    migrate(engine)
    build_plant(BatchStore(engine))
    yield engine
    engine.dispose()


@pytest.fixture
def window(qtbot, qloop, plant):
    reader = PlantReader(plant)
    runner = DbRunner(max_workers=1)

    async def detail(line: str):
        return await runner(reader.line_batches, line), await runner(reader.line_log, line)

    widget = OverviewWindow(lambda: runner(reader.lines), detail,
                            lambda coroutine: asyncio.ensure_future(coroutine, loop=qloop), "sqlite (test)")
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget
    if shiboken6.isValid(widget):  # pytest-qt may have closed and deleted it already
        widget.timer.stop()
    run(qloop, runner.stop())


def test_one_tile_per_line_with_its_state(qloop, window):
    run(qloop, window.load())
    assert list(window.tiles) == ["PLC01", "PLC02", "PLC03", "PLC04", "PLC05"]
    states = {line: tile.state for line, tile in window.tiles.items()}
    assert states == {"PLC01": LineState.DOSING, "PLC02": LineState.FAULT, "PLC03": LineState.OFFLINE,
                      "PLC04": LineState.WAITING, "PLC05": LineState.IDLE}
    one = window.tiles["PLC01"]
    assert one.batch_label.text() == "On the PLC: WH/MO/00102 · batch 2"
    assert one.progress.value() == 62
    assert one.left_label.text() == "Batches left: 3 of 4"
    assert window.tiles["PLC02"].alarms_label.text() == "Batches needing action: ATTENTION 1 · FAILED 1"
    offline = window.tiles["PLC03"].instance_label.text()
    assert offline.startswith("OFFLINE · last heartbeat 7 min ago")
    assert window.tiles["PLC03"].state_label.text() == "OFFLINE"
    assert "5 line(s)" in window.summary_label.text()


def test_refresh_is_one_query_and_updates_tiles_in_place(qloop, window, plant):
    run(qloop, window.load())
    tile = window.tiles["PLC04"]
    statements: list[str] = []
    event.listen(plant, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with plant.begin() as conn:  # PLC04's instance went quiet; PLC01's batch 2 is done
        conn.execute(update(line_instances).where(line_instances.c.line == "PLC04")
                     .values(heartbeat_at=line_instances.c.started_at))
        conn.execute(update(mo_batch).where(mo_batch.c.mo_id == "WH/MO/00102").values(status_manufacturing=True))
    statements.clear()
    window.refresh()
    run_until(qloop, lambda: window.tiles["PLC04"].state is LineState.OFFLINE)
    assert window.tiles["PLC04"] is tile  # updated, not rebuilt
    assert window.tiles["PLC01"].state is LineState.WAITING
    assert len([s for s in statements if "mo_batch" in s]) == 1


def test_a_refresh_still_running_is_not_queued_twice(qloop, window):
    spawned = []
    spawn = window._spawn
    window._spawn = lambda coroutine: spawned.append(coroutine) or spawn(coroutine)
    window._refreshing = True
    before = window.refreshes
    window.refresh()
    assert spawned == []  # the tick is skipped: no load started, none queued
    # A load now queues behind any load the skipped tick had started (one database thread, in
    # order): when it has shown its lines, an earlier one would have shown its lines too.
    window._refreshing = False
    run(qloop, window.load())
    assert window.refreshes == before + 1


def test_double_click_opens_the_lines_batches_and_log(qloop, qtbot, window):
    run(qloop, window.load())
    tile = window.tiles["PLC02"]
    from PySide6.QtCore import Qt
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    run_until(qloop, lambda: isinstance(getattr(window, "detail_dialog", None), LineDetailDialog))
    dialog = window.detail_dialog
    assert dialog.model.rowCount() == 4
    text = dialog.log_view.toPlainText()
    assert "FAILED" in text and "needs attention" in text and "PLC01" not in dialog.windowTitle()
    assert "Synced 4 MO(s)" in text and text.count("Synced") == 1  # only PLC02's records
    dialog.close()
