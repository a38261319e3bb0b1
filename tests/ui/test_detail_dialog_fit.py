"""The batch details at 1366x768: every silo row in sight, nothing cut off; the dosing curve's time axis."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timezone

import pytest

from hmi.domain import Silo, SiloLine
from tests.ui.test_main_window import _sync

pytestmark = pytest.mark.ui

SCREEN = (1366, 768)
#: Names as long as the plant's (Odoo product names, shown as stored).
NAMES = ["JAGUNG GILING", "ONGGOK", "BUNGKIL KEDELAI 46%", "DEDAK PADI HALUS", "TEPUNG IKAN 60%", "MBM IMPOR",
         "BATU KAPUR HALUS", "DDGS JAGUNG", "CGM 60%", "PKM", "GARAM", "DCP 18%", "TEPUNG DAGING", "TETES TEBU",
         "MINYAK SAWIT CPO"]


def _every_silo(batch):
    """The batch with all 13 silos and both tanks dosing (the most a recipe can use)."""
    lines = tuple(SiloLine(silo, NAMES[i], 100.0 + 25 * i, 40.0 + 10 * i) for i, silo in enumerate(Silo))
    return dataclasses.replace(batch, silos=lines)


def _open_details(ui, monkeypatch, batch):
    window = ui.window
    monkeypatch.setattr(window.batch_model, "batch_at", lambda _row: batch)
    window.workflows.show_batch_detail(window.batch_model.index(0, 0))
    dialog = window.workflows.detail_dialog
    # Sized to fit the screen, as the window system (and the screenshots) do.
    dialog.resize(min(dialog.width(), SCREEN[0] - 80), min(dialog.height(), SCREEN[1] - 80))
    ui.run(asyncio.sleep(0.1))  # layouts settle, inside the loop
    return dialog


def _hidden_rows(dialog) -> list[str]:
    table = dialog.table
    viewport = table.viewport().rect()
    return [table.item(row, 0).text() for row in range(table.rowCount())
            if not viewport.contains(table.visualRect(table.model().index(row, 0)))
            or not viewport.contains(table.visualRect(table.model().index(row, table.columnCount() - 1)))]


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_silo_row_of_the_batch_is_in_sight_at_1366x768(live_ui, qapp, monkeypatch, language):
    from hmi.ui.elision import find_elided_text
    from hmi.ui.theme import apply_theme

    apply_theme(qapp)
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        assert window.density.value == "touch"
        _sync(ui)
        batch = window.batch_model.batch_at(0)
        assert len(batch.hand_added) >= 2, "the fake Odoo's MOs carry additives on PLC01"
        full = _every_silo(batch)
        try:
            window.set_language(language)
            dialog = _open_details(ui, monkeypatch, full)
            assert dialog.width() <= SCREEN[0] - 80 and dialog.height() <= SCREEN[1] - 80
            assert dialog.table.rowCount() == 15 + len(batch.hand_added) + 1  # silos, tanks, by hand, total
            assert _hidden_rows(dialog) == []
            assert dialog.table.verticalScrollBar().maximum() == 0
            assert dialog.table.horizontalScrollBar().maximum() == 0
            # The curve, the checklist, Ticket… and the actions are all there, beside and under the table.
            assert dialog.dosing_curve.isVisible() and dialog.checklist.isVisible()
            assert dialog.ticket_button.isVisible()
            assert all(button.isVisible() for button in dialog.action_buttons.values())
            # Touch targets stay touch targets.
            for widget in [*dialog.checklist.confirm_buttons.values(), *dialog.checklist.accept_buttons.values(),
                           *dialog.checklist.inputs.values(), *dialog.action_buttons.values(),
                           dialog.ticket_button, *dialog.buttons.buttons()]:
                assert widget.height() >= 40, widget.text()
            assert find_elided_text(dialog) == []

            # The other language while open: still every row, still nothing cut off.
            window.set_language("en" if language == "id" else "id")
            ui.run(asyncio.sleep(0.1))
            assert _hidden_rows(dialog) == []
            assert find_elided_text(dialog) == []
            dialog.close()
        finally:
            window.set_language("en")


def test_the_details_of_the_synced_batch_show_every_row(live_ui, qapp):
    """The batch as Odoo sent it, in its own details: every silo, the hand-added rows and the total in sight."""
    from hmi.ui.elision import find_elided_text
    from hmi.ui.theme import apply_theme

    apply_theme(qapp)
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _sync(ui)
        window.workflows.show_batch_detail(window.batch_model.index(0, 0))
        dialog = window.workflows.detail_dialog
        dialog.resize(min(dialog.width(), SCREEN[0] - 80), min(dialog.height(), SCREEN[1] - 80))
        ui.run(asyncio.sleep(0.1))
        assert _hidden_rows(dialog) == []
        assert find_elided_text(dialog) == []
        dialog.close()


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_details_still_fit_once_the_hand_added_components_are_confirmed(live_ui, qapp, language):
    """Who confirmed and when stands under each component: the checklist stays beside the table, nothing cut off."""
    from hmi.ui.elision import find_elided_text
    from hmi.ui.hand_add_panel import CONFIRMED_WORD, _t
    from hmi.ui.theme import apply_theme

    apply_theme(qapp)
    with live_ui(start_scheduler=False) as ui:
        window = ui.window
        _sync(ui)
        try:
            window.set_language(language)
            window.workflows.show_batch_detail(window.batch_model.index(0, 0))
            dialog = window.workflows.detail_dialog
            checklist = dialog.checklist
            for pid, button in checklist.accept_buttons.items():
                button.click()
                ui.run_until(lambda p=pid: checklist.state_labels[p].text() == _t(CONFIRMED_WORD))
            assert all(label.text() for label in checklist.detail_labels.values())
            dialog.resize(min(dialog.width(), SCREEN[0] - 80), min(dialog.height(), SCREEN[1] - 80))
            ui.run(asyncio.sleep(0.1))
            assert dialog.minimumSizeHint().width() <= SCREEN[0] - 80
            assert dialog.width() <= SCREEN[0] - 80
            assert _hidden_rows(dialog) == []
            assert find_elided_text(dialog) == []
            assert all(label.isVisible() for label in checklist.detail_labels.values())
            dialog.close()
        finally:
            window.set_language("en")


def _axis_labels(axis, start: float, seconds: float, width: int) -> list[list[str]]:
    """The labels of each tick level pyqtgraph draws for this span on an axis this wide."""
    levels = axis.tickValues(start, start + seconds, width)
    return [axis.tickStrings(values, axis.scale, spacing) for spacing, values in levels if len(values)]


@pytest.mark.parametrize("seconds, pattern", [(20.0, "%H:%M:%S"), (2 * 3600.0, "%H:%M")])
def test_dosing_curve_time_labels_are_distinct(qtbot, seconds, pattern):
    from hmi.ui.trends_tab import _time_axis, pyqtgraph

    pg = pyqtgraph()
    axis = _time_axis(pg)
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    plot.resize(560, 260)
    plot.grab()  # the axis measures its labels with the font it paints with
    start = datetime(2026, 11, 30, 4, 20, 22, tzinfo=timezone.utc).timestamp()
    for width in (300, 520, 1000):  # a curve beside the table, and wider
        levels = _axis_labels(axis, start, seconds, width)
        assert levels and sum(len(labels) for labels in levels) >= 2
        for labels in levels:
            assert len(labels) == len(set(labels)), labels
            for label in labels:  # plant wall-clock time as read: seconds for a short span, HH:MM for hours
                datetime.strptime(label, pattern)
    # Finer than a second (zoomed in on a batch seconds old): still every tick reads differently.
    for labels in _axis_labels(axis, start, 1.0, 520):
        assert len(labels) == len(set(labels)), labels


def test_a_young_batch_starts_at_the_left_edge_of_its_curve(qtbot):
    """Seconds after the start the curve begins at the left with 30 s ahead, not centred in empty time."""
    from datetime import datetime, timedelta, timezone

    from hmi.clock import PlantClock
    from hmi.records import Sample
    from hmi.ui.trends_tab import MIN_SPAN_SECONDS, DosingCurve, plant_seconds

    clock = PlantClock("UTC")
    curve = DosingCurve(clock, fetch=None, targets={"A": 100.0})
    qtbot.addWidget(curve)
    start = datetime(2026, 11, 30, 4, 26, 40, tzinfo=timezone.utc)
    curve.add_samples([Sample("WH/MO/1", 1, "PLC01", "A", start + timedelta(seconds=s), 2.0 * s) for s in (1, 2, 3)])
    (left, right), _y = curve.plot.getPlotItem().vb.viewRange()
    first = plant_seconds(clock, start + timedelta(seconds=1))
    assert left == pytest.approx(first) and right == pytest.approx(first + MIN_SPAN_SECONDS)
    # Grown past the span: the whole batch is shown as it grows.
    curve.add_samples([Sample("WH/MO/1", 1, "PLC01", "A", start + timedelta(seconds=90), 90.0)])
    curve.plot.getPlotItem().vb.updateAutoRange()  # what the next paint does
    (left, right), _y = curve.plot.getPlotItem().vb.viewRange()
    assert left <= first and right >= plant_seconds(clock, start + timedelta(seconds=90)) - 1
