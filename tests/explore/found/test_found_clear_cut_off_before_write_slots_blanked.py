"""A Clear cut off between its commit and the blanking of the PLC's WRITE slots (crash point
``clear.after_archive``) while the PLC, still dosing its queue, had not taken the download waiting
there: after the restart nothing blanked the slots, so once its queue was done the PLC took and dosed
the MOs the operator had cleared before it took them. Their DONE readings matched no row (ignored by
the poll), so a batch the PLC finished was archived as cleared and never reached Odoo.

A product defect, not one of the model: the model counts an operator's clear as the runs the PLCs
had taken of the MO when the Clear archived it (here none), and the Clear means to withdraw what the
PLC has not taken. Fixed by the sync: before anything else it blanks WRITE slots holding a recipe the
PLC has not taken (handshake word 0) that no row of the line's table accounts for (``SyncService.
_withdraw_orphaned_recipes``), so the first sync after the restart finishes the Clear.

Found by tests/explore on PostgreSQL (35 steps, not shrunk: ``test_as_found``); the same happens on
SQLite. ``test_clear_cut_off_before_the_write_slots_were_blanked`` is the sequence shrunk by hand:
a download the PLC takes and doses, a Clear, the next download waiting in the WRITE slots, the
Clear cut off. (docs/reliability.md, "Proved by exploration".)
"""

import pytest

from tests.explore.machine import machine_for

pytestmark = [pytest.mark.slow]


def test_clear_cut_off_before_the_write_slots_were_blanked(explore_env):
    state = machine_for(explore_env)
    state.check_all()
    state.sync(line=0)  # the PLC takes the first download at its next scan and doses it
    state.check_all()
    state.clear(line=0, plc_was_reset=False)
    state.check_all()
    state.sync(line=0)  # the next download waits in the WRITE slots: the PLC is still busy
    state.check_all()
    state.crash_then_restart(line=0, point='clear.after_archive')
    state.check_all()
    state.teardown()  # the PLC finishes its queue; it must not take the cleared MOs then


@pytest.mark.parametrize("explore_env", ["postgresql"], indirect=True)
def test_as_found(explore_env):
    state = machine_for(explore_env)
    state.check_all()
    state.crash_then_restart(line=1, point='failures.after_report')
    state.check_all()
    state.crash_then_restart(line=0, point='sync.after_mark_downloaded')
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.crash_then_restart(line=0, point='sync.after_mark_downloaded')
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.crash_then_restart(line=0, point='clear.after_archive')
    state.check_all()
    state.crash_then_restart(line=0, point='sync.after_mark_downloaded')
    state.check_all()
    state.crash_then_restart(line=0, point='completion.after_reported')
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.crash_then_restart(line=0, point='clear.after_archive')
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.crash_then_restart(line=1, point='sync.after_store')
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.crash_then_restart(line=0, point='sync.after_plc_write')
    state.check_all()
    state.crash_then_restart(line=1, point='completion.after_push')
    state.check_all()
    state.crash_then_restart(line=1, point='completion.after_push')
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.poll_and_complete(line=1)
    state.check_all()
    state.crash_then_restart(line=0, point='completion.after_mark_done')
    state.check_all()
    state.crash_then_restart(line=1, point='completion.after_mark_done')
    state.check_all()
    state.crash_then_restart(line=1, point='sync.after_mark_downloaded')
    state.check_all()
    state.poll_and_complete(line=0)
    state.check_all()
    state.crash_then_restart(line=1, point='sync.after_mark_downloaded')
    state.check_all()
    state.crash_then_restart(line=1, point='sync.after_mark_downloaded')
    state.check_all()
    state.teardown()
