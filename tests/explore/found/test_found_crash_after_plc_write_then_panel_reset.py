"""A crash right after the PLC took the recipes (before the download was recorded), then a reset at the
PLC's panel wipes every trace of them: the restarted service must not take "the PLC shows nothing" as
"never written" and download the MOs again.

Found by tests/explore on SQLite (docs/reliability.md, "Proved by exploration"), shrunk by Hypothesis.
"""

import pytest

from tests.explore.machine import machine_for

pytestmark = [pytest.mark.slow]


def test_crash_after_the_plc_write_then_a_panel_reset(explore_env):
    state = machine_for(explore_env)
    state.check_all()
    state.crash_then_restart(line=0, point='sync.after_plc_write')
    state.check_all()
    state.plc_reset_at_panel(line=1)
    state.check_all()
    state.teardown()
