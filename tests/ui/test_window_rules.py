"""The window's rules without a window: the banner and idle text per plant state (hmi.ui.window_status)
and the gate table per role and state (hmi.ui.gate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from hmi.domain import BatchState
from hmi.services.access import Action, Role
from hmi.services.health import LinkQuality, OdooHealth, PlcHealth, SyncRecord
from hmi.ui import gate as gate_module
from hmi.ui.gate import GATES, GateState, gate, held_action_text, needs_text, pause_action_text
from hmi.ui.window_status import (
    StatusSnapshot,
    banner_lines,
    banner_severity,
    countdown_text,
    describe_outcome,
    first_sentence,
    idle_reason,
    idle_shown,
)

pytestmark = pytest.mark.ui

NOW = datetime(2024, 5, 6, 8, 0, tzinfo=timezone.utc)
PLC_OK = PlcHealth(LinkQuality.GOOD, endpoint="10.0.0.5:502", link_state="CONNECTED", last_good_read=NOW)
ODOO_OK = OdooHealth("OK", last_contact=NOW)


@pytest.fixture(autouse=True)
def _english(qapp):
    """The rules speak the window's language; these tests read the English source texts."""
    from hmi.ui.i18n import install_language

    install_language(qapp, "en")


@dataclass(frozen=True)
class _Row:
    """A batch as the banner reads it (hmi.domain.Batch derives its state from the stored flags)."""

    batch_no: int
    mo_id: str
    state: BatchState


def _batch(no: int, state: BatchState) -> _Row:
    return _Row(no, f"WH/MO/{no:05d}", state)


def _snapshot(**changes) -> StatusSnapshot:
    values = dict(now=NOW, plc=PLC_OK, odoo=ODOO_OK, db_checked=True, auto_sync_enabled=True, next_sync_in=125.0)
    values.update(changes)
    return StatusSnapshot(**values)


@dataclass
class _Failure:
    equipment_code: str = "MIXER01"
    info: str = "MOTOR OVERLOAD"
    failure_time_text: str = "07:58:12"


# ---------------------------------------------------------------------- banner


def test_all_well_has_no_banner_and_an_amber_default():
    assert banner_lines(_snapshot()) == []
    assert banner_severity([]) == "warning"


def test_plc_offline_comes_first_and_is_a_fault():
    plc = PlcHealth(LinkQuality.OFFLINE, endpoint="10.0.0.5:502", link_state="RECONNECTING",
                    last_good_read=NOW - timedelta(minutes=3))
    lines = banner_lines(_snapshot(plc=plc, db_error="database is locked"))
    assert lines[0].startswith("PLC OFFLINE: PLC at 10.0.0.5:502, last reading ")
    assert "NOT CURRENT" in lines[0]
    assert lines[1].startswith("DATABASE FAULT: the batch table cannot be read")
    assert banner_severity(lines) == "fault"


def test_plc_stale_without_a_reading_is_amber():
    plc = PlcHealth(LinkQuality.STALE, endpoint="10.0.0.5:502", link_state="CONNECTED")
    lines = banner_lines(_snapshot(plc=plc))
    assert lines == ["PLC STALE: PLC at 10.0.0.5:502, no reading since start-up. Batch states and values below are "
                     "the last ones read, NOT CURRENT. Check the PLC and its network; the link reconnects by itself."]
    assert banner_severity(lines) == "warning"


def test_without_alarms_the_sync_alert_attention_and_held_batches_are_named():
    batches = tuple(_batch(n, BatchState.ATTENTION) for n in range(1, 6)) + (_batch(9, BatchState.HELD),)
    lines = banner_lines(_snapshot(sync_alert="Three syncs in a row failed", batches=batches))
    assert lines[0] == "SYNC ALERT: Three syncs in a row failed. Next sync in 2:05; Trigger sync tries now."
    assert lines[1].startswith("ATTENTION: Odoo did not take the report of batch 1 (MO WH/MO/00001), batch 2 "
                               "(MO WH/MO/00002), batch 3 (MO WH/MO/00003) and 2 more.")
    assert lines[2].startswith("HELD: the PLC has not confirmed the download of 1 batch (MO WH/MO/00009)")
    assert banner_severity(lines) == "fault"


def test_with_alarms_the_alarm_list_speaks_instead():
    batches = (_batch(1, BatchState.ATTENTION), _batch(2, BatchState.HELD))
    lines = banner_lines(_snapshot(sync_alert="failing", batches=batches, alarm_lines=("HIGH: Sync failed",)))
    assert lines == ["HIGH: Sync failed"]
    assert banner_severity(lines) == "fault"
    assert banner_lines(_snapshot(alarm_lines=())) == []


def test_unacknowledged_equipment_failures_close_the_banner():
    lines = banner_lines(_snapshot(alarm_lines=(), failures=2, newest_failure=_Failure()))
    assert lines == ["EQUIPMENT FAILURE: MIXER01 - MOTOR OVERLOAD (PLC time 07:58:12); 2 unacknowledged; "
                     "acknowledge it in the Equipment failures tab"]
    assert banner_severity(lines) == "warning"


# ---------------------------------------------------------------------- idle panel and countdown


def test_idle_panel_only_for_an_empty_table_that_was_read():
    assert idle_shown(_snapshot())
    assert not idle_shown(_snapshot(db_checked=False))
    assert not idle_shown(_snapshot(db_error="gone"))
    assert not idle_shown(_snapshot(batches=(_batch(1, BatchState.QUEUED),)))


@pytest.mark.parametrize("changes, start", [
    ({"sync_running": True}, "A sync is running: asking Odoo for the next MOs."),
    ({"plc": PlcHealth(LinkQuality.OFFLINE)}, "Waiting for the PLC: it is OFFLINE"),
    ({"odoo": OdooHealth("FAULT")}, "Odoo unreachable: the last request failed. Next sync in 2:05;"),
    ({"auto_sync_enabled": False}, "Auto-sync is paused: press Trigger sync"),
    ({}, "Waiting for the next sync. Next sync in 2:05; Trigger sync tries now."),
    ({"last_sync": SyncRecord(NOW, "timer", "synced", "none", 0)},
     "Waiting for the next sync. Odoo had no MOs ready for this line at the last sync. Next sync in 2:05"),
])
def test_idle_reason_says_what_the_line_waits_for(changes, start):
    assert idle_reason(_snapshot(**changes)).startswith(start)


def test_countdown():
    assert countdown_text(_snapshot()) == "next sync in 2:05"
    assert countdown_text(_snapshot(next_sync_in=None)) == "auto-sync waiting"
    assert countdown_text(_snapshot(auto_sync_enabled=False)) == "auto-sync paused"
    assert countdown_text(_snapshot(sync_running=True)) == "sync running…"


@dataclass
class _Outcome:
    outcome: str
    message: str = ""
    count: int = 0


def test_sync_outcome_sentences():
    assert describe_outcome(_Outcome("synced", count=3)) == "Sync fetched 3 MOs from Odoo and wrote them to the PLC"
    assert describe_outcome(_Outcome("skipped", count=1)) == ("Sync skipped: 1 batch still in the table; new MOs are "
                                                              "fetched once the table is empty")
    assert describe_outcome(_Outcome("failed", "Odoo refused. Check the key."), english=True) == \
        "Sync failed: Odoo refused."
    assert first_sentence("One. Two.") == "One."


# ---------------------------------------------------------------------- the gate table


def test_every_window_action_has_one_row():
    assert [row.action for row in GATES] == ["held", "settings", "silos", "pause", "sync", "details", "clear"]


def test_nobody_signed_in_sees_every_action_disabled_with_the_role_it_needs():
    result = gate(GateState(role=None, rows=3, selected=True))
    assert all(not enabled for enabled, _tip in result.values())
    assert result["sync"][1] == "Needs Operator: sign in first (view only)"
    assert result["settings"][1] == "Needs Engineer: sign in first (view only)"


def test_an_operator_may_sync_and_ask_for_a_clear_but_not_edit_settings():
    state = GateState(role=Role.OPERATOR, name="Sari", rows=3, selected=True)
    result = gate(state)
    assert result["sync"] == (True, "Check the batch table now; fetch MOs from Odoo if it is empty (F5)")
    assert result["details"][0]
    enabled, tip = result["clear"]
    assert enabled and tip.endswith(" — a Supervisor approves with their PIN")
    assert result["settings"] == (False, "Needs Engineer; signed in: Sari (Operator)")
    assert needs_text(Action.EDIT_SETTINGS, Role.OPERATOR, "Sari") == result["settings"][1]


def test_an_engineer_is_gated_only_by_the_state():
    engineer = GateState(role=Role.ENGINEER, name="Budi")
    result = gate(engineer)
    assert result["clear"] == (False, "Nothing to clear")
    assert result["details"] == (False, "Select a batch first (tap a row)")
    assert result["held"][0] and result["settings"][0] and result["silos"][0]
    running = gate(GateState(role=Role.ENGINEER, sync_running=True, rows=2))
    assert running["sync"] == (False, "A sync is running")
    assert running["clear"] == (False, "A sync is running; clear when it has finished")
    clearing = gate(GateState(role=Role.ENGINEER, clear_running=True, rows=2))
    assert clearing["sync"] == (False, "The table is being cleared")
    assert clearing["clear"] == (False, "The table is being cleared")
    assert gate(GateState(role=Role.ENGINEER, rows=2))["clear"] == (True, gate_module.TIP_CLEAR)


def test_pause_and_held_texts():
    assert gate(GateState(role=Role.SUPERVISOR))["pause"][1].startswith("Stop the sync timer")
    assert gate(GateState(role=Role.SUPERVISOR, auto_sync_enabled=False))["pause"][1] == \
        "Start the sync timer again (F6)"
    assert pause_action_text(True) == "&Pause auto-sync" and pause_action_text(False) == "&Resume auto-sync"
    assert held_action_text(0) == "&Held MOs" and held_action_text(3) == "&Held MOs (3)"
