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


def test_tolerance_overrides_are_edited_with_the_silo_data(qloop, qtbot, stock_runtime):
    from hmi.ui.silos_dialog import TOL_KG, TOL_PERCENT, SilosDialog

    tasks: list[asyncio.Task] = []
    dialog = SilosDialog(stock_runtime.silo_assignment,
                         lambda coro: tasks.append(asyncio.ensure_future(coro, loop=qloop)) or tasks[-1],
                         lambda: "op-tester", tolerance=stock_runtime.tolerance)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qloop, tasks)
    assert dialog.table.horizontalHeaderItem(TOL_KG).text() == "Tolerance kg"
    assert "Blank = the default (2 kg, 2 %)" in dialog.tolerance_hint.text()
    dialog.table.item(0, TOL_KG).setText("5")
    dialog.table.item(13, TOL_PERCENT).setText("0,5")  # LQ114, a decimal comma as typed on the floor
    dialog.save()
    _settle(qloop, tasks)
    overrides = run(qloop, stock_runtime.tolerance.overrides())
    assert (overrides["A"].kg, overrides["A"].percent) == (5.0, None)
    assert (overrides["LQ114"].kg, overrides["LQ114"].percent) == (None, 0.5)
    assert "Saved by op-tester" in dialog.message.text()

    dialog.table.item(1, TOL_KG).setText("lots")
    dialog.save()
    assert "Not saved" in dialog.message.text() and "B" in dialog.message.text()
    dialog.close()
    again, again_tasks = _open(qloop, qtbot, stock_runtime)  # without a tolerance service: three columns
    assert again.table.columnCount() == 3


def test_silos_dialog_in_indonesian_follows_a_switch_while_open(qloop, qtbot, stock_runtime):
    from PySide6.QtWidgets import QApplication

    from hmi.ui import i18n

    dialog, tasks = _open(qloop, qtbot, stock_runtime)
    try:
        i18n.install_language(QApplication.instance(), "id")  # Qt's LanguageChange reaches the open dialog
        run_until(qloop, lambda: dialog.windowTitle() == "Silo — bahan di setiap silo dan tangki")
        assert [dialog.table.horizontalHeaderItem(c).text() for c in range(3)] == ["Silo", "Kode internal", "Produk"]
        assert dialog.search_button.text() == "&Cari di Odoo" and dialog.save_button.text() == "&Simpan"
        assert dialog.close_button.text() == "Tutup"
        dialog.save()
        _settle(qloop, tasks)
        assert dialog.message.text() == "Disimpan: tidak ada perubahan"
        dialog.table.item(1, 1).setText(dialog.table.item(0, 1).text() or "RM-X")  # one product in two silos
        dialog.table.item(0, 1).setText(dialog.table.item(1, 1).text())
        dialog.save()
        assert dialog.message.text().startswith("⚠ Tidak disimpan: ")
    finally:
        i18n.install_language(QApplication.instance(), "en")
    run_until(qloop, lambda: dialog.windowTitle() == "Silos — product in each silo and tank")
    assert dialog.message.text().startswith("⚠ Not saved: ")
