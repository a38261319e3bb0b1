"""The Silos dialog on the real Runtime against the fake stock Odoo 19 (JSON-2), on the qasync loop."""

from __future__ import annotations

import asyncio

import pytest

from hmi.app.runtime import Runtime
from hmi.domain import Silo
from hmi.silo_assignment import parse_entries, to_csv
from hmi.sim.stock_catalogue import DEMO_SILO_ASSIGNMENT
from hmi.sim.stock_http import FakeStockOdoo
from tests.support.live import settings_for
from tests.support.qt_loop import run, run_until

pytestmark = pytest.mark.ui


@pytest.fixture
def stock_runtime(qapp, qloop, tmp_path):
    fake = FakeStockOdoo(port=0, version=19, mo_count=6)
    fake.start()
    runtime = Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'ui.db'}", fake, None, ODOO_API="json2",
                                   ODOO_API_KEY=fake.api_key, ODOO_PICKING_TYPE="Manufacturing"))
    run(qloop, runtime.start())
    yield runtime
    run(qloop, runtime.stop())
    fake.stop()


def _open(qloop, qtbot, runtime):
    from hmi.ui.silos_dialog import SilosDialog

    tasks: list[asyncio.Task] = []
    dialog = SilosDialog(runtime.silo_assignment,
                         lambda coro: tasks.append(asyncio.ensure_future(coro, loop=qloop)) or tasks[-1],
                         lambda: "op-tester")
    qtbot.addWidget(dialog)
    dialog.show()
    run_until(qloop, lambda: tasks and all(t.done() for t in tasks))
    return dialog, tasks


def _settle(qloop, tasks):
    run_until(qloop, lambda: all(t.done() for t in tasks))


def test_search_assign_save_and_refuse_a_duplicate(qloop, qtbot, stock_runtime):
    dialog, tasks = _open(qloop, qtbot, stock_runtime)
    assert dialog.table.rowCount() == 15 and dialog.table.item(14, 0).text() == "LQ115 FML"
    dialog.search_edit.setText("RM-CO")
    dialog.search()
    _settle(qloop, tasks)
    assert [dialog.results.item(r, 0).text() for r in range(dialog.results.rowCount())] == ["RM-COFFEE", "RM-CORN"]
    dialog.table.selectRow(3)  # silo D
    dialog.results.selectRow(1)
    dialog.assign_selected_result()
    dialog.save()
    _settle(qloop, tasks)
    saved = run(qloop, stock_runtime.silo_assignment.get())
    assert saved.silo_for_code("RM-CORN") is Silo.D and "Saved by op-tester: 1 change(s)" in dialog.message.text()

    dialog.table.item(0, 1).setText("RM-CORN")  # the same product typed into silo A as well
    dialog.save()
    assert "Not saved" in dialog.message.text() and "already in silo" in dialog.message.text()
    assert run(qloop, stock_runtime.silo_assignment.get()) == saved


def test_csv_import_then_export_and_save(qloop, qtbot, stock_runtime):
    dialog, tasks = _open(qloop, qtbot, stock_runtime)
    demo = parse_entries(DEMO_SILO_ASSIGNMENT)
    assert dialog.import_csv_text(to_csv(demo))
    assert dialog.export_csv_text() == to_csv(demo)
    assert not dialog.import_csv_text("silo,product_code\nQ,RM-X\n")
    assert "unknown silo 'Q'" in dialog.message.text()
    dialog.save()
    _settle(qloop, tasks)
    assert run(qloop, stock_runtime.silo_assignment.get()) == demo


def test_grt_scada_protocol_has_no_product_search(qloop, qtbot, stock_runtime):
    from hmi.odoo import AsyncOdooClient

    service = stock_runtime.silo_assignment
    stock, service.odoo = service.odoo, AsyncOdooClient("http://127.0.0.1:9", "db", "u", "p")
    try:
        dialog, _tasks = _open(qloop, qtbot, stock_runtime)
        assert not dialog.search_button.isEnabled() and "stock Odoo protocol" in dialog.search_button.toolTip()
    finally:
        run(qloop, service.odoo.close())
        service.odoo = stock
