"""Operator-facing batch states derived from a stored row."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from hmi.domain import ALL_SILOS, Batch, BatchState, SiloLine, Silo

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)


def _batch(actual_a: float | None = None, **changes) -> Batch:
    silos = tuple(SiloLine(s, "PKE PELLET" if s is Silo.A else None, 100.0 if s is Silo.A else None,
                           actual_a if s is Silo.A else None) for s in ALL_SILOS)
    batch = Batch(batch_no=1, mo_id="WH/MO/00001", product_name="JF", quantity=100.0, equipment_code="PLC01",
                  silos=silos, status_manufacturing=False, status_operation=False, actual_weight=None,
                  last_read_from_plc=None, created_at=NOW)
    return dataclasses.replace(batch, **changes)


@pytest.mark.parametrize(
    "batch, state",
    [
        (_batch(), BatchState.QUEUED),
        (_batch(0.0, last_read_from_plc=NOW), BatchState.QUEUED),  # in the PLC's queue, not started
        (_batch(12.5, last_read_from_plc=NOW), BatchState.RUNNING),
        (_batch(100.0, status_manufacturing=True), BatchState.DONE),
        (_batch(40.0, status_operation=True), BatchState.FAILED),
        (_batch(100.0, status_manufacturing=True, update_odoo=True), BatchState.REPORTED),
        (_batch(100.0, status_manufacturing=True, needs_attention=True), BatchState.ATTENTION),
    ],
)
def test_state_words(batch, state):
    assert batch.state is state


def test_deviation_and_totals():
    batch = _batch(98.0)
    line = batch.silos[0]
    assert line.deviation_percent == pytest.approx(-2.0)
    assert batch.target_total_kg == 100.0 and batch.actual_total_kg == 98.0
    assert [l.silo for l in batch.dosing_lines] == [Silo.A]
    assert batch.is_locked is False and _batch(status_manufacturing=True).is_locked is True


def test_batch_figures_count_like_for_like_and_leave_open_hand_added_lines_on_neither_side():
    from hmi.domain import HandAddLine, Verdict, batch_figures

    at = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    silos = (SiloLine(Silo.A, "JAGUNG", 100.0, 103.5), SiloLine(Silo.B, "KOPRA", 101.0, 101.5),
             SiloLine(Silo.C, "ONGGOK", 102.0, 100.0), SiloLine(Silo.D, None, None, None),  # unused: left out
             SiloLine(Silo.E, "DDGS", None, 1.5))  # dosed without a target: counts with target 0
    hand = (HandAddLine("MO", 901, "PREMIX", 2.5, actual_kg=2.6, confirmed_at=at, confirmed_by="ana"),
            HandAddLine("MO", 902, "DEMITOX", 1.0))  # OPEN
    figures = batch_figures(silos, hand, allowed=lambda label, target: 2.0)
    assert [line.label for line in figures.silos] == ["A", "B", "C", "E"]
    assert figures.target_kg == pytest.approx(305.5) and figures.actual_kg == pytest.approx(309.1)
    assert figures.open_target_kg == 1.0 and [line.label for line in figures.open_lines] == ["DEMITOX"]
    assert figures.by_hand_kg == pytest.approx(2.6)
    assert figures.deviation_percent == pytest.approx(3.6 / 305.5 * 100)
    assert figures.worst_silo.label == "A" and figures.worst_silo.deviation_percent == pytest.approx(3.5)
    # A over (3.5 > 2), B within, C exactly at the limit within, E not judged (no target).
    assert [(line.label, line.verdict) for line in figures.silos] == [
        ("A", Verdict.OVER), ("B", Verdict.WITHIN), ("C", Verdict.WITHIN), ("E", None)]
    assert figures.within is False and [line.label for line in figures.outside] == ["A"]
    assert batch_figures(silos[:1], ()).within is None  # not judged without allowances
