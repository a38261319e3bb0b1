"""The silo_assignment table and the pure rules of an assignment (CSV, uniqueness)."""

from __future__ import annotations

import pytest

from hmi.domain import Silo
from hmi.silo_assignment import AssignmentError, from_csv, parse_entries, to_csv
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.store.silo_assignment import SiloAssignmentStore


def test_replace_is_whole_and_load_returns_silo_order(engine):
    store = SiloAssignmentStore(engine)
    assert len(store.load()) == 0
    store.replace(parse_entries(list(reversed(DEMO_SILO_ASSIGNMENT))), "op")
    loaded = store.load()
    assert [e.silo for e in loaded.entries] == list(Silo)
    assert loaded.silo_for_code("RM-FML") is Silo.LQ115
    _before, changes = store.replace(parse_entries(DEMO_SILO_ASSIGNMENT[:2]), "op")
    assert len(store.load()) == 2 and len(changes) == 13


def test_csv_round_trip_and_errors():
    assignment = parse_entries(DEMO_SILO_ASSIGNMENT)
    text = to_csv(assignment)
    assert text.splitlines()[0] == "silo,product_code,product_name"
    assert from_csv(text) == assignment
    assert len(from_csv("silo,product_code,product_name\nA,,\nB,RM-X,X\n")) == 1  # an empty silo row is skipped
    with pytest.raises(AssignmentError, match="header"):
        from_csv("A,RM-X,X\n")
    with pytest.raises(AssignmentError, match="product RM-X is already in silo A"):
        from_csv("silo,product_code,product_name\nA,RM-X,X\nB,RM-X,X\n")
