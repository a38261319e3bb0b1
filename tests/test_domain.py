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
