"""Who may do what: the three operator roles and the one table of actions they unlock.

The window, the admin API and the CLI ask the same question through :func:`can`; a new
action (alarms, reports, FINS settings, ...) plugs in by adding one line to ``REQUIRED``.
Nobody signed in (``None``) may look at everything and do nothing: an HMI never hides the
process, it only gates the buttons.
"""

from __future__ import annotations

import enum


class Role(enum.IntEnum):
    """Each role includes everything the one before may do."""

    OPERATOR = 1
    SUPERVISOR = 2
    ENGINEER = 3

    @property
    def label(self) -> str:
        """The role's name as stored and logged ("operator", "supervisor", "engineer")."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Role":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {text!r}: operator, supervisor or engineer") from None


class Action(str, enum.Enum):
    # Operator
    VIEW = "view"  # the API's reading endpoints; the window shows everything to everybody
    TRIGGER_SYNC = "trigger_sync"
    TOGGLE_AUTO_SYNC = "toggle_auto_sync"
    ACKNOWLEDGE = "acknowledge"
    CONFIRM_HAND_ADD = "confirm_hand_add"  # the weighed amount of a hand-added component
    OPEN_DETAILS = "open_details"
    REQUEST_CLEAR = "request_clear"  # an operator starts a Clear; a supervisor approves it with their PIN
    # Supervisor
    CLEAR_TABLE = "clear_table"
    BATCH_ACTION = "batch_action"  # Retry / Cancel in Odoo / Archive as failed
    RELEASE_HELD = "release_held"
    SHELVE_ALARM = "shelve_alarm"
    EDIT_SILO_ASSIGNMENT = "edit_silo_assignment"
    # Engineer
    EDIT_SETTINGS = "edit_settings"
    MANAGE_OPERATORS = "manage_operators"
    EDIT_REGISTER_MAP = "edit_register_map"
    SHOW_API_TOKEN = "show_api_token"


REQUIRED: dict[str, Role] = {
    Action.VIEW: Role.OPERATOR,
    Action.TRIGGER_SYNC: Role.OPERATOR,
    Action.TOGGLE_AUTO_SYNC: Role.OPERATOR,
    Action.ACKNOWLEDGE: Role.OPERATOR,
    Action.CONFIRM_HAND_ADD: Role.OPERATOR,
    Action.OPEN_DETAILS: Role.OPERATOR,
    Action.REQUEST_CLEAR: Role.OPERATOR,
    Action.CLEAR_TABLE: Role.SUPERVISOR,
    Action.BATCH_ACTION: Role.SUPERVISOR,
    Action.RELEASE_HELD: Role.SUPERVISOR,
    Action.SHELVE_ALARM: Role.SUPERVISOR,
    Action.EDIT_SILO_ASSIGNMENT: Role.SUPERVISOR,
    Action.EDIT_SETTINGS: Role.ENGINEER,
    Action.MANAGE_OPERATORS: Role.ENGINEER,
    Action.EDIT_REGISTER_MAP: Role.ENGINEER,
    Action.SHOW_API_TOKEN: Role.ENGINEER,
}


def register(action: str, role: Role) -> None:
    """Add an action defined elsewhere (e.g. ``"alarm_shelve"``) with the role it needs."""
    REQUIRED[action] = role


def required_role(action: str) -> Role:
    """The lowest role allowed to do ``action``; an unknown action needs an engineer."""
    return REQUIRED.get(action, Role.ENGINEER)


def can(role: Role | None, action: str) -> bool:
    """May someone with ``role`` (None = nobody signed in) do ``action``?"""
    return role is not None and role >= required_role(action)
