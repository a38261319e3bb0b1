"""Who may press what, and when: one table for the window's actions.

Each row names a window action, the permission (hmi.services.access.Action) whose role it needs,
when it is enabled for someone who has that role, and its tooltip. :func:`gate` turns the table into
enabled/tooltip per action for one (role, state), without a window. The role gates first: an action
the role may not do is disabled and its tooltip names the role needed. The table, the states, the
log and the badges stay live for everybody.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hmi.services.access import Action, Role, can, required_role

translate = QCoreApplication.translate

TIP_SYNC = QT_TRANSLATE_NOOP("MainWindow", "Check the batch table now; fetch MOs from Odoo if it is empty (F5)")
TIP_SYNC_RUNNING = QT_TRANSLATE_NOOP("MainWindow", "A sync is running")
TIP_CLEARING = QT_TRANSLATE_NOOP("MainWindow", "The table is being cleared")
TIP_CLEAR = QT_TRANSLATE_NOOP("MainWindow", "Move every batch to the history as CLEARED and empty the table; "
                                           "the MOs are held until released (asks first)")
TIP_NOTHING_TO_CLEAR = QT_TRANSLATE_NOOP("MainWindow", "Nothing to clear")
TIP_CLEAR_WAITS_FOR_SYNC = QT_TRANSLATE_NOOP("MainWindow", "A sync is running; clear when it has finished")
TIP_DETAILS = QT_TRANSLATE_NOOP("MainWindow", "Every silo of the selected batch: component, target, actual, "
                                             "progress or deviation")
TIP_DETAILS_NONE = QT_TRANSLATE_NOOP("MainWindow", "Select a batch first (tap a row)")
TIP_HELD = QT_TRANSLATE_NOOP("MainWindow", "MOs that reached the PLC and left the table unfinished; release them here")
TIP_SETTINGS = QT_TRANSLATE_NOOP("MainWindow", "Connections, sync and line settings; test each connection (Ctrl+,)")
TIP_SILOS = QT_TRANSLATE_NOOP("MainWindow", "Which product is in which silo and tank (stock Odoo)")
TIP_PAUSE = QT_TRANSLATE_NOOP("MainWindow", "Stop the sync timer (manual Trigger sync still works) (F6)")
TIP_RESUME = QT_TRANSLATE_NOOP("MainWindow", "Start the sync timer again (F6)")


@dataclass(frozen=True)
class GateState:
    """What the actions depend on besides the role."""

    role: Role | None = None
    #: The name of who is signed in (for "Needs …; signed in: …").
    name: str = ""
    sync_running: bool = False
    clear_running: bool = False
    #: A row of the batch table is selected.
    selected: bool = False
    rows: int = 0
    auto_sync_enabled: bool = True


@dataclass(frozen=True)
class Gate:
    #: The window's action ("sync", "clear", …).
    action: str
    #: The permission whose role the action needs.
    needs: str
    enabled: Callable[[GateState], bool]
    tip: Callable[[GateState], str]


def _t(text: str) -> str:
    return translate("MainWindow", text)


def _clear_tip(s: GateState) -> str:
    if s.clear_running:
        return _t(TIP_CLEARING)
    if s.sync_running:
        return _t(TIP_CLEAR_WAITS_FOR_SYNC)
    if s.rows == 0:
        return _t(TIP_NOTHING_TO_CLEAR)
    if s.role is not None and not can(s.role, Action.CLEAR_TABLE):
        # An operator may start a Clear; a supervisor then approves it (two-person override).
        return _t(TIP_CLEAR) + " — " + translate("MainWindow", "a {role} approves with their PIN").format(
            role=role_name(required_role(Action.CLEAR_TABLE)))
    return _t(TIP_CLEAR)


def _sync_tip(s: GateState) -> str:
    if s.clear_running:
        return _t(TIP_CLEARING)
    return _t(TIP_SYNC_RUNNING) if s.sync_running else _t(TIP_SYNC)


#: action -> permission needed -> when enabled -> tooltip.
GATES: tuple[Gate, ...] = (
    Gate("held", Action.RELEASE_HELD, lambda s: True, lambda s: _t(TIP_HELD)),
    Gate("settings", Action.EDIT_SETTINGS, lambda s: True, lambda s: _t(TIP_SETTINGS)),
    Gate("silos", Action.EDIT_SILO_ASSIGNMENT, lambda s: True, lambda s: _t(TIP_SILOS)),
    Gate("pause", Action.TOGGLE_AUTO_SYNC, lambda s: True,
         lambda s: _t(TIP_PAUSE) if s.auto_sync_enabled else _t(TIP_RESUME)),
    Gate("sync", Action.TRIGGER_SYNC, lambda s: not (s.clear_running or s.sync_running), _sync_tip),
    Gate("details", Action.OPEN_DETAILS, lambda s: s.selected,
         lambda s: _t(TIP_DETAILS) if s.selected else _t(TIP_DETAILS_NONE)),
    Gate("clear", Action.REQUEST_CLEAR, lambda s: not (s.clear_running or s.sync_running) and s.rows > 0, _clear_tip),
)


def role_name(role: Role) -> str:
    return {Role.OPERATOR: translate("MainWindow", "Operator"), Role.SUPERVISOR: translate("MainWindow", "Supervisor"),
            Role.ENGINEER: translate("MainWindow", "Engineer")}[role]


def needs_text(action: str, role: Role | None, name: str = "") -> str:
    """Why an action is disabled for who is signed in (``role`` None: nobody)."""
    needed = role_name(required_role(action))
    if role is None:
        return translate("MainWindow", "Needs {role}: sign in first (view only)").format(role=needed)
    return translate("MainWindow", "Needs {role}; signed in: {name} ({current})").format(
        role=needed, name=name, current=role_name(role))


def gate(state: GateState) -> dict[str, tuple[bool, str]]:
    """Enabled and tooltip of every action in :data:`GATES` for ``state``."""
    result = {}
    for row in GATES:
        if can(state.role, row.needs):
            result[row.action] = (row.enabled(state), row.tip(state))
        else:
            result[row.action] = (False, needs_text(row.needs, state.role, state.name))
    return result


def held_action_text(held: int) -> str:
    return translate("MainWindow", "&Held MOs ({count})").format(count=held) if held \
        else translate("MainWindow", "&Held MOs")


def pause_action_text(auto_sync_enabled: bool) -> str:
    return translate("MainWindow", "&Pause auto-sync") if auto_sync_enabled \
        else translate("MainWindow", "&Resume auto-sync")
