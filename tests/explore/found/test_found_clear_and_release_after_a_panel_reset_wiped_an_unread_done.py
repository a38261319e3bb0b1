"""The PLC finishes a batch and is reset at its panel before any poll read the DONE; the operator then
clears with "Clear and release - the PLC was reset". The HMI never saw the batch start, so the Clear
releases it with the others, and the next sync downloads it again: the PLC doses it a second time.

Open finding of tests/explore (SQLite, while checking the Clear cut off before blanking the WRITE
slots; it fails the same way before that change), kept as a regression test: xfail while it is open;
strict, so it turns red when it is settled. Open question, product or model: the product cannot tell
a batch the PLC took, finished and lost at the panel from one it never took (the reset wipes both),
so either "Clear and release" must hold every batch whose download the PLC may have taken (the
safe side), or the model must count the operator's release of a run lost at the panel before any
poll read it as the operator's (as it already excuses such runs from being reported to Odoo).
Found as printed below (``line_lock_session_killed`` is a no-op on SQLite; the refused Retry too).
"""

import pytest

from tests.explore.machine import machine_for

pytestmark = [pytest.mark.slow]


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="open: Clear and release re-doses a batch whose DONE a panel reset wiped "
                                       "before any poll read it")
@pytest.mark.parametrize("explore_env", ["sqlite"], indirect=True)
def test_clear_and_release_after_a_panel_reset_wiped_an_unread_done(explore_env):
    state = machine_for(explore_env)
    state.check_all()
    state.line_lock_session_killed(line=1)
    state.check_all()
    state.sync(line=0)
    state.check_all()
    state.plc_runs(line=0, run='one batch')
    state.check_all()
    state.plc_reset_at_panel(line=0)
    state.check_all()
    state.batch_action(action='retry_push', line=0, which=0)
    state.check_all()
    state.clear(line=0, plc_was_reset=True)
    state.check_all()
    state.sync(line=0)
    state.check_all()
    state.teardown()
