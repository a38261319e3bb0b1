"""The hand-added checklist in the batch details, on the real window, Runtime, PLC simulator and fake Odoo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from hmi.services.health import LinkQuality
from hmi.ui.batch_model import DONE_HAND_ADD_OPEN, BatchTableModel, Column, hand_add_text, state_text
from hmi.ui.hand_add_panel import CONFIRMED_WORD, OPEN_WORD
from tests.ui.conftest import TEST_ACTOR
from tests.ui.test_main_window import _sync

pytestmark = pytest.mark.ui


def test_operator_confirms_hand_added_components_in_the_batch_details(live_ui, qtbot):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        window, model = ui.window, ui.window.batch_model
        batch = model.batch_at(0)
        assert batch.hand_added, "the fake Odoo's MOs carry additives on PLC01"
        count = len(batch.hand_added)
        # The table marks the batch in words and with a shape; its target counts what is confirmed, with what
        # is still open by hand under it: together the MO's quantity.
        assert model.index(0, Column.HAND_ADD).data() == f"{count} OPEN"
        assert model.index(0, Column.HAND_ADD).data(Qt.ItemDataRole.DecorationRole) is not None
        odoo_quantity = ui.odoo.mo(batch.mo_id)["quantity"]
        counted, open_part = model.index(0, Column.TARGET_KG).data().split("\n")
        assert open_part.startswith("+") and open_part.endswith(" OPEN")
        assert float(counted.replace(",", "")) + float(open_part[1:-5].replace(",", "")) == pytest.approx(
            odoo_quantity, abs=0.1)

        window.workflows.show_batch_detail(model.index(0, 0))
        dialog = window.workflows.detail_dialog
        checklist = dialog.checklist
        assert checklist is not None and checklist.isVisible()
        first, *others = batch.hand_added
        assert checklist.state_labels[first.product_id].text() == f"<b>{OPEN_WORD}</b>"

        # A typo is refused with the reason; nothing is stored.
        checklist.inputs[first.product_id].setText(str(first.target_kg * 10))
        qtbot.mouseClick(checklist.confirm_buttons[first.product_id], Qt.MouseButton.LeftButton)
        ui.run_until(lambda: "NOT STORED" in checklist.message.text())
        assert "implausible" in checklist.message.text()

        weighed = round(first.target_kg + 0.05, 2)
        checklist.inputs[first.product_id].setText(f"{weighed}")
        qtbot.mouseClick(checklist.confirm_buttons[first.product_id], Qt.MouseButton.LeftButton)
        ui.run_until(lambda: checklist.state_labels[first.product_id].text() == CONFIRMED_WORD)
        assert f"by {TEST_ACTOR}" in checklist.detail_labels[first.product_id].text()
        assert checklist.confirm_buttons[first.product_id].text() == "Correct"
        for other in others:
            qtbot.mouseClick(checklist.accept_buttons[other.product_id], Qt.MouseButton.LeftButton)
            ui.run_until(lambda o=other: checklist.state_labels[o.product_id].text() == CONFIRMED_WORD)
        assert "all" in checklist.title() and "confirmed" in checklist.title()

        ui.refresh()
        assert model.index(0, Column.HAND_ADD).data() == "confirmed"
        stored = {line.product_id: line for line in model.batch_at(0).hand_added}
        assert stored[first.product_id].actual_kg == weighed
        assert stored[first.product_id].confirmed_by == TEST_ACTOR
        assert all(stored[o.product_id].actual_kg == o.target_kg for o in others)
        dialog.close()


def test_done_batch_with_open_hand_added_lines_says_so():
    from tests.services.test_hand_add import _mo_with_premix
    from hmi.domain import Batch, HandAddLine, SiloLine

    mo = _mo_with_premix(1)
    batch = Batch(1, mo.mo_id, mo.product_name, mo.quantity, "PLC01",
                  tuple(SiloLine(s, t.component_name, t.target_kg, t.target_kg) for s, t in mo.targets.items()),
                  True, False, 400.0, None, None,
                  hand_added=(HandAddLine(mo.mo_id, 901, "PREMIX LAYER", 2.5),))
    assert state_text(batch) == DONE_HAND_ADD_OPEN
    assert hand_add_text(batch) == "1 OPEN"
    # In the table the words sit under "DONE (locked)" on the cell's second line, even while the PLC is lost
    # (a locked batch keeps its values), so the State column needs no extra width.
    model = BatchTableModel()
    model.apply([batch])
    model.set_plc_quality(LinkQuality.OFFLINE)
    assert model.index(0, Column.STATE).data() == "DONE (locked)\nhand-add open"


def test_a_refused_weight_is_explained_in_indonesian_and_logged_in_english(live_ui, qtbot):
    with live_ui(start_scheduler=False) as ui:
        _sync(ui)
        window, model = ui.window, ui.window.batch_model
        batch = model.batch_at(0)
        first = batch.hand_added[0]
        window.set_language("id")
        try:
            window.workflows.show_batch_detail(model.index(0, 0))
            checklist = window.workflows.detail_dialog.checklist
            checklist.inputs[first.product_id].setText(str(first.target_kg * 10))
            qtbot.mouseClick(checklist.confirm_buttons[first.product_id], Qt.MouseButton.LeftButton)
            ui.run_until(lambda: "TIDAK TERSIMPAN" in checklist.message.text())
            text = checklist.message.text()
            assert "tidak masuk akal untuk target" in text and "timbang ulang" in text, text
            assert first.product_name in text
            stored = {line.product_id: line for line in ui.run(ui.runtime.admin.hand_add.lines(batch.mo_id))}
            assert stored[first.product_id].actual_kg is None  # nothing stored
            window.workflows.detail_dialog.close()
        finally:
            window.set_language("en")
