"""The batch table model over real Batch snapshots from the store (no window, no loop)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from hmi.domain import BatchState
from hmi.store import BatchStore, create_database_engine, migrate
from hmi.ui.batch_model import BATCH_ROLE, LOCKED_TOOLTIP, BatchTableModel, Column
from hmi.ui.formatting import format_age, format_countdown
from tools.support.factories import make_mo, make_reading

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("qapp")]  # icons need a QGuiApplication

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def sqlite_store(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'model.db'}")
    migrate(engine)
    yield BatchStore(engine)
    engine.dispose()


@pytest.fixture
def batches(sqlite_store):
    """Five stored batches in every PLC-driven state: QUEUED, RUNNING, DONE, FAILED, ATTENTION."""
    orders = [make_mo(i, silos=4 + i) for i in range(1, 6)]
    sqlite_store.insert_batches(orders)
    sqlite_store.apply_plc_reading(make_reading(orders[1], 2, fraction=0.4), 10_000, NOW - timedelta(seconds=4))
    sqlite_store.apply_plc_reading(make_reading(orders[2], 3, fraction=1.0, done=True), 10_000, NOW)
    sqlite_store.apply_plc_reading(make_reading(orders[3], 4, fraction=0.5, failed=True), 10_000, NOW)
    sqlite_store.apply_plc_reading(make_reading(orders[4], 5, fraction=1.0, done=True), 10_000, NOW)
    sqlite_store.outbox.record_push_failure(orders[4].mo_id, "Odoo failed with HTTP 500", NOW, max_attempts=1)
    return sqlite_store.list_batches()


def test_states_cover_the_table(batches):
    assert [b.state for b in batches] == [BatchState.QUEUED, BatchState.RUNNING, BatchState.DONE,
                                          BatchState.FAILED, BatchState.ATTENTION]


def test_model_passes_qt_model_tester(qtmodeltester, batches):
    model = BatchTableModel(clock=lambda: NOW)
    model.apply(batches[:2])
    qtmodeltester.check(model, force_py=True)
    model.apply(batches)
    qtmodeltester.check(model, force_py=True)


def test_rows_show_words_ages_and_the_locked_done_row(batches):
    model = BatchTableModel(clock=lambda: NOW)
    model.apply(batches)

    def cell(row, column, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, column), role)

    assert [cell(r, Column.STATE) for r in range(5)] == ["QUEUED", "RUNNING", "DONE (locked)", "FAILED",
                                                         "ATTENTION"]
    assert cell(0, Column.LAST_READING) == "—"
    assert cell(1, Column.LAST_READING) == "4 s ago"
    assert cell(2, Column.STATE, Qt.ItemDataRole.ToolTipRole) == LOCKED_TOOLTIP
    assert cell(2, Column.MO, Qt.ItemDataRole.ToolTipRole) == LOCKED_TOOLTIP
    assert "HTTP 500" in cell(4, Column.STATE, Qt.ItemDataRole.ToolTipRole)
    assert cell(0, Column.MO) == batches[0].mo_id
    assert cell(1, Column.SILOS).startswith("A ")
    assert cell(1, Column.SILOS, BATCH_ROLE) is batches[1]
    # Colour only for abnormal rows (and never alone: the state word and shape are there too).
    assert cell(0, Column.STATE, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(2, Column.STATE, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(3, Column.STATE, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(4, Column.STATE, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(3, Column.STATE, Qt.ItemDataRole.DecorationRole) is not None


class Spy:
    def __init__(self, model):
        self.changed: list[tuple[int, int]] = []
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.moved = 0
        self.resets = 0
        model.dataChanged.connect(lambda tl, br, roles=(): self.changed.append((tl.row(), br.row())))
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.removed.append((first, last)))
        model.rowsMoved.connect(lambda *_: setattr(self, "moved", self.moved + 1))
        model.modelReset.connect(lambda: setattr(self, "resets", self.resets + 1))


def test_apply_diffs_by_mo_id_without_reset(batches):
    model = BatchTableModel(clock=lambda: NOW)
    spy = Spy(model)
    model.apply(batches[:3])
    assert spy.inserted == [(0, 0), (1, 1), (2, 2)]

    same = list(batches[:3])
    model.apply(same)
    assert spy.changed == [] and spy.removed == []

    progressed = dataclasses.replace(batches[1], last_read_from_plc=NOW)
    model.apply([batches[0], progressed, batches[2]])
    assert spy.changed == [(1, 1)]

    # Batch 1 archived, two new ones arrive at the end.
    model.apply([progressed, batches[2], batches[3], batches[4]])
    assert spy.removed == [(0, 0)]
    assert spy.inserted[-2:] == [(2, 2), (3, 3)]
    assert [b.mo_id for b in model.batches] == [b.mo_id for b in (progressed, batches[2], batches[3], batches[4])]

    # A reorder is a move, not a reset.
    model.apply([batches[2], progressed, batches[3], batches[4]])
    assert spy.moved == 1
    assert [b.mo_id for b in model.batches][:2] == [batches[2].mo_id, progressed.mo_id]

    model.apply([])
    assert model.rowCount() == 0
    assert spy.resets == 0


def test_formatting():
    assert format_age(None, NOW) == "—"
    assert format_age(NOW - timedelta(seconds=4), NOW) == "4 s"
    assert format_age(NOW - timedelta(seconds=150), NOW) == "2 min"
    assert format_age(NOW - timedelta(hours=3, minutes=5), NOW) == "3 h"
    assert format_countdown(252) == "4:12"
    assert format_countdown(0.2) == "0:01"
    assert format_countdown(0) == "0:00"


def test_rows_say_not_current_in_word_and_shape_while_the_plc_is_stale_or_offline(batches):
    from hmi.services.health import LinkQuality
    from hmi.ui.batch_model import CURRENT_ROLE
    from hmi.ui.dialogs import BatchDetailDialog

    model = BatchTableModel(clock=lambda: NOW)
    model.apply(batches)

    def cell(row, column, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, column), role)

    changed = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    model.set_plc_quality(LinkQuality.OFFLINE)
    assert changed, "the rows re-draw when the PLC's quality changes"
    running = 1
    assert cell(running, Column.STATE) == "RUNNING\nNOT CURRENT"
    assert cell(running, Column.LAST_READING) == "4 s ago\nPLC OFFLINE"
    assert cell(running, Column.ACTUAL_KG).endswith("\nlast known")
    assert cell(running, Column.SILOS, CURRENT_ROLE) is False
    assert "PLC OFFLINE" in cell(running, Column.STATE, Qt.ItemDataRole.ToolTipRole)
    assert cell(running, Column.STATE, Qt.ItemDataRole.FontRole).italic()
    # The shape changes too (not colour alone): the icon differs from RUNNING's.
    current_icon = BatchTableModel(clock=lambda: NOW)
    current_icon.apply(batches)
    assert cell(running, Column.STATE, Qt.ItemDataRole.DecorationRole).cacheKey() != \
        current_icon.data(current_icon.index(running, Column.STATE), Qt.ItemDataRole.DecorationRole).cacheKey()
    # The queued batch too; a batch the PLC finished keeps its final, locked values.
    assert cell(0, Column.STATE) == "QUEUED\nNOT CURRENT"
    assert cell(2, Column.STATE) == "DONE (locked)"

    model.set_plc_quality(LinkQuality.STALE)
    assert cell(running, Column.LAST_READING) == "4 s ago\nPLC STALE"
    model.set_plc_quality(LinkQuality.GOOD)
    assert cell(running, Column.STATE) == "RUNNING"
    assert cell(running, Column.SILOS, CURRENT_ROLE) is True

    # Details of a batch still dosing: progress, not a -60 % "deviation".
    dialog = BatchDetailDialog(model.batch_at(running))
    assert dialog.table.horizontalHeaderItem(4).text() == "Progress"
    last = dialog.table.item(0, 4).text()
    assert last.endswith("% dosed") and not last.startswith("-")
    done = BatchDetailDialog(model.batch_at(2))
    assert done.table.horizontalHeaderItem(4).text() == "Deviation"
    stale = BatchDetailDialog(model.batch_at(running), values_current=False)
    assert "NOT CURRENT" in stale.header.text()
    for each in (dialog, done, stale):
        each.deleteLater()


def test_state_tooltips_and_history_notes_never_name_database_columns(batches):
    from hmi.ui.batch_model import STATE_TOOLTIP
    from hmi.ui.history_tab import note_text, status_word

    model = BatchTableModel(clock=lambda: NOW)
    model.apply(batches)
    texts = list(STATE_TOOLTIP.values())
    for row in range(model.rowCount()):
        for column in Column:
            texts.append(str(model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole) or ""))
    texts.append(note_text("Auto-cancelled: status_operation=1 (failed) detected from PLC"))
    for text in texts:
        for column_name in ("status_operation", "status_manufacturing", "mo_batch", "update_odoo"):
            assert column_name not in text, text
    assert status_word("completed") == "COMPLETED"


def test_unconfirmed_and_held_downloads_show_their_word_shape_and_why(sqlite_store):
    from hmi.domain import DownloadState
    from hmi.ui.batch_model import STATE_SHAPE, STATE_TEXT, STATE_TOOLTIP

    assert set(STATE_TEXT) == set(STATE_SHAPE) == set(STATE_TOOLTIP) == set(BatchState)  # every state drawn
    orders = [make_mo(i, silos=4) for i in range(1, 3)]
    sqlite_store.insert_batches(orders, download_state=DownloadState.PENDING)
    sqlite_store.mark_held([orders[1].mo_id], "the PLC could not be asked whether it has the recipe")
    model = BatchTableModel(clock=lambda: NOW)
    model.apply(sqlite_store.list_batches())
    column = Column.STATE
    texts = [model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole) for row in range(2)]
    assert texts[0].startswith("DOWNLOADING") and texts[1].startswith("HELD")
    tooltip = model.data(model.index(1, column), Qt.ItemDataRole.ToolTipRole)
    assert "not downloaded again" in tooltip
    assert model.data(model.index(1, column), Qt.ItemDataRole.DecorationRole) is not None
