"""The admin API's JSON of the batch table (hmi.api.shapes), from batches stored in the real store."""

from __future__ import annotations

from hmi.api import shapes
from tools.support.factories import make_mo, make_reading


def test_batch_status_shape(store):
    orders = [make_mo(i) for i in range(1, 4)]
    store.insert_batches(orders)
    store.apply_plc_reading(make_reading(orders[0], 1, fraction=1.0, done=True), 5000)
    status = shapes.batch_status(store.list_batches())
    assert status["total_batches"] == 3
    assert status["is_empty"] is False
    assert status["completed_batches"] == 1
    first = status["batches"][0]
    assert {"batch_no", "mo_id", "equipment", "consumption"} <= first.keys()
    assert first["equipment"] == "PLC01"
    assert first["state"] == "DONE"
    assert status["waiting_to_report"] == [orders[0].mo_id]  # finished, not yet in Odoo
    assert shapes.batch_status(store.list_batches("NOLINE")) == {
        "total_batches": 0, "active_batches": 0, "completed_batches": 0, "is_empty": True,
        "waiting_to_report": [], "batches": []
    }
