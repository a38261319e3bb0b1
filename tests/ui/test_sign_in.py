"""Sign-in, roles and audit in the window: what an operator sees and may do, signed in or not."""

from __future__ import annotations

import pytest
from shiboken6 import isValid

from hmi.services.access import Role
from hmi.ui import dialogs
from tests.ui.conftest import TEST_ACTOR

pytestmark = pytest.mark.ui


def _type_pin(dialog, pin: str) -> None:
    for digit in pin:
        dialog.keypad.buttons[digit].click()


def _sign_in_with_keypad(ui, name: str, pin: str):
    window = ui.window
    window.sign_action.trigger()
    ui.run_until(lambda: window.window_dialogs.sign_in_dialog is not None and window.window_dialogs.sign_in_dialog.isVisible())
    dialog = window.window_dialogs.sign_in_dialog
    items = [dialog.names.item(i).text() for i in range(dialog.names.count())]
    dialog.names.setCurrentRow(items.index(name))
    _type_pin(dialog, pin)
    dialog.ok_button.click()
    return dialog


def _fill_table(ui) -> None:
    ui.run(ui.runtime.sync.sync("manual"))
    ui.refresh()


def _actions(window) -> dict:
    return {"Trigger sync": window.trigger_sync_action, "Clear": window.clear_action,
            "Pause auto-sync": window.pause_action, "Held MOs": window.held_action,
            "Settings": window.settings_action, "Silos": window.silos_action, "Details": window.details_action}


def test_nobody_signed_in_sees_everything_live_and_every_action_is_disabled_with_its_reason(live_ui):
    with live_ui(sign_in=None) as ui:
        window = ui.window
        _fill_table(ui)
        window.batch_view.selectRow(0)
        assert window.batch_model.rowCount() == 3  # the table stays visible and live
        assert window.operator_label.text() == "Not signed in — view only"
        assert window.sign_action.text() == "Sign in"
        needs = {"Trigger sync": "Operator", "Clear": "Operator", "Pause auto-sync": "Operator",
                 "Held MOs": "Supervisor", "Settings": "Engineer", "Silos": "Supervisor", "Details": "Operator"}
        for label, action in _actions(window).items():
            assert not action.isEnabled(), label
            assert action.toolTip() == f"Needs {needs[label]}: sign in first (view only)", label
        assert not window.idle_sync_button.isEnabled()
        menu = window.workflows.batch_menu(window.batch_model.batches[0])
        for action in menu.actions()[2:]:
            assert not action.isEnabled() and action.toolTip() == "Needs Supervisor: sign in first (view only)"
        # A shortcut that reaches the slot anyway does nothing and says why.
        window.sync.trigger_sync()
        assert not window.sync.sync_running
        assert window.statusBar().currentMessage() == "Needs Operator: sign in first (view only)"
        assert window.plc_badge.isVisible() and window.log_dock.isVisible()


@pytest.mark.parametrize("role, allowed, refused", [
    (Role.OPERATOR, {"Trigger sync", "Clear", "Pause auto-sync", "Details"},
     {"Held MOs": "Supervisor", "Silos": "Supervisor", "Settings": "Engineer"}),
    (Role.SUPERVISOR, {"Trigger sync", "Clear", "Pause auto-sync", "Details", "Held MOs", "Silos"},
     {"Settings": "Engineer"}),
    (Role.ENGINEER, {"Trigger sync", "Clear", "Pause auto-sync", "Details", "Held MOs", "Silos", "Settings"}, {}),
])
def test_each_role_may_do_its_actions_and_is_told_which_role_the_others_need(live_ui, role, allowed, refused):
    with live_ui(sign_in=role) as ui:
        window = ui.window
        _fill_table(ui)
        window.batch_view.selectRow(0)
        assert window.operator_label.text() == f"{TEST_ACTOR} · {role.label.capitalize()}"
        for label, action in _actions(window).items():
            if label in allowed:
                assert action.isEnabled(), label
            else:
                assert not action.isEnabled(), label
                assert action.toolTip() == (f"Needs {refused[label]}; signed in: {TEST_ACTOR} "
                                            f"({role.label.capitalize()})"), label
        batch_actions = window.workflows.batch_menu(window.batch_model.batches[0]).actions()[2:]
        window.workflows.show_selected_detail()
        detail_buttons = [(b.isEnabled(), b.toolTip()) for b in window.workflows.detail_dialog.action_buttons.values()]
        window.workflows.detail_dialog.close()
        if role is Role.OPERATOR:
            assert all("Needs Supervisor" in a.toolTip() for a in batch_actions)
            assert detail_buttons and all(not enabled and tip == f"Needs Supervisor; signed in: {TEST_ACTOR} (Operator)"
                                          for enabled, tip in detail_buttons)
        else:
            assert all("Needs" not in a.toolTip() for a in batch_actions)


def test_an_operators_clear_is_approved_by_a_supervisor_pin_and_logged_with_both_names(live_ui, monkeypatch):
    with live_ui(sign_in=Role.OPERATOR) as ui:
        window = ui.window
        ui.run(ui.runtime.operators.add("Wati", Role.SUPERVISOR, "1357", TEST_ACTOR))
        _fill_table(ui)
        assert "a Supervisor approves with their PIN" in window.clear_action.toolTip()
        monkeypatch.setattr(dialogs, "ask_clear_choice", lambda *args: dialogs.CLEAR_AND_HOLD)
        window.clear_action.trigger()
        ui.run_until(lambda: window.workflows.approval_dialog is not None
                     and window.workflows.approval_dialog.isVisible())
        dialog = window.workflows.approval_dialog
        assert [dialog.names.item(i).text() for i in range(dialog.names.count())] == ["Wati"]
        _type_pin(dialog, "0000")
        dialog.ok_button.click()
        ui.run_until(lambda: dialog.message.text().startswith("Wrong PIN"))
        assert window.batch_model.rowCount() == 3  # nothing cleared
        _type_pin(dialog, "1357")
        dialog.ok_button.click()
        ui.run_until(lambda: window.batch_model.rowCount() == 0, timeout=15)
        page = ui.run(ui.runtime.admin.history("cleared"))
        assert {e.actor for e in page.entries} == {f"{TEST_ACTOR}+Wati"}
        ui.run_until(lambda: f"Clear of the batch table approved by Wati (supervisor) for {TEST_ACTOR}"
                     in window.log_panel.shown_text())


def test_five_wrong_pins_on_the_keypad_lock_the_account_for_a_minute(live_ui):
    with live_ui(sign_in=None) as ui:
        window = ui.window
        ui.run(ui.runtime.operators.add("Siti", Role.OPERATOR, "2468", "test"))
        dialog = _sign_in_with_keypad(ui, "Siti", "1111")
        ui.run_until(lambda: dialog.message.text() == "Wrong PIN: 4 more tries before the account is locked for 60 s")
        for left in (3, 2, 1):
            _type_pin(dialog, "1111")
            dialog.ok_button.click()
            ui.run_until(lambda left=left: f"{left} more" in dialog.message.text())
        _type_pin(dialog, "1111")
        dialog.ok_button.click()
        ui.run_until(lambda: dialog.message.text() == "Wrong PIN. Account locked for 60 s after 5 wrong PINs")
        _type_pin(dialog, "2468")  # the right PIN, but locked
        dialog.ok_button.click()
        ui.run_until(lambda: "Account locked after 5 wrong PINs: try again in" in dialog.message.text())
        assert window.session.operator is None and dialog.isVisible()
        ui.run_until(lambda: "Operator Siti locked for 60 s after 5 wrong PINs" in window.log_panel.shown_text())


def test_sign_in_with_the_keypad_then_automatic_sign_out_after_quiet_minutes(live_ui):
    with live_ui(sign_in=None, UI_AUTO_SIGNOUT_MINUTES="0.01") as ui:  # 0.6 s
        window = ui.window
        ui.run(ui.runtime.operators.add("Siti", Role.OPERATOR, "2468", "test"))
        dialog = _sign_in_with_keypad(ui, "Siti", "2468")
        ui.run_until(lambda: window.session.operator is not None)
        ui.run_until(lambda: not isValid(dialog) or not dialog.isVisible())
        assert window.operator_label.text() == "Siti · Operator" and window.sign_action.text() == "Sign out"
        assert window.trigger_sync_action.isEnabled()
        ui.run_until(lambda: window.session.operator is None, timeout=5)
        assert window.operator_label.text() == "Not signed in — view only"
        assert not window.trigger_sync_action.isEnabled()
        ui.run_until(lambda: "Siti signed out (automatic, no input for 0.01 min)" in window.log_panel.shown_text())


def test_first_start_asks_for_the_first_engineer_who_is_then_signed_in(live_ui):
    with live_ui(sign_in=None) as ui:
        window = ui.window
        ui.run(window.window_dialogs.check_first_start())
        dialog = window.window_dialogs.first_engineer_dialog
        assert dialog.isVisible()
        dialog.name.setText("Budi")
        dialog.pin.setFocus()
        _type_pin(dialog, "4711")
        dialog.repeat.setFocus()
        ui.run_until(lambda: dialog._pin_target is dialog.repeat)
        _type_pin(dialog, "4712")
        dialog.ok_button.click()
        assert dialog.message.text() == "The two PINs differ."
        dialog.pin.setFocus()
        ui.run_until(lambda: dialog._pin_target is dialog.pin)
        _type_pin(dialog, "4711")
        dialog.repeat.setFocus()
        ui.run_until(lambda: dialog._pin_target is dialog.repeat)
        _type_pin(dialog, "4711")
        dialog.ok_button.click()
        ui.run_until(lambda: window.session.operator is not None)
        assert window.operator_label.text() == "Budi · Engineer"
        assert window.settings_action.isEnabled()
        accounts = ui.run(ui.runtime.operators.list())
        assert [(a.name, a.role, a.created_by) for a in accounts] == [("Budi", Role.ENGINEER, "first start")]
        # With an engineer in place, the next start does not ask again.
        window.window_dialogs.first_engineer_dialog = None
        ui.run(window.window_dialogs.check_first_start())
        assert window.window_dialogs.first_engineer_dialog is None


def test_the_audit_tab_shows_who_did_what(live_ui):
    with live_ui(sign_in=None) as ui:
        window = ui.window
        ui.run(ui.runtime.operators.add(TEST_ACTOR, Role.OPERATOR, "2468", "test"))
        _sign_in_with_keypad(ui, TEST_ACTOR, "2468")
        ui.run_until(lambda: window.session.operator is not None)
        window.sync.trigger_sync()
        ui.run_until(lambda: not window.sync.sync_running, timeout=15)
        window.sync.toggle_auto_sync()
        window.session.sign_out()
        window.tabs.setCurrentWidget(window.audit_tab)

        def rows():
            return [(r.actor, r.message) for r in window.audit_tab.model.records]

        def signed_out_listed() -> bool:
            window.audit_tab.reload()  # the record reaches system_log within a flush interval
            return (TEST_ACTOR, f"{TEST_ACTOR} signed out") in rows()

        ui.run_until(signed_out_listed, timeout=10)
        assert (TEST_ACTOR, f"Trigger sync by {TEST_ACTOR}") in rows()
        assert (TEST_ACTOR, f"{TEST_ACTOR} signed in as operator") in rows()
        assert ("test", f"Operator account {TEST_ACTOR} (operator) created by test") in rows()
        window.audit_tab.action_filter.setText("Trigger sync")
        window.audit_tab.reload()
        ui.run_until(lambda: rows() == [(TEST_ACTOR, f"Trigger sync by {TEST_ACTOR}")])
        assert window.audit_tab.page_label.text() == "1–1 of 1"
        window.audit_tab.action_filter.clear()
        window.audit_tab.actor_filter.setText("nobody-here")
        window.audit_tab.reload()
        ui.run_until(lambda: window.audit_tab.page_label.text() == "No records match")
