"""The machine must find a defect planted into the stack within the CI budget.

The defect: Clear deletes the dispatch ledger rows of the MOs it puts on the Held list (the kind of
shortcut the ledger exists to forbid), so those MOs, which the PLC took, could be fetched and dosed
again. The machine here is the CI machine on one line with Clear that says the PLC was not reset,
so that every Clear holds what it clears.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import rule

from sqlalchemy import delete

from hmi.store.models import mo_dispatch
from hmi.store.repository import BatchStore
from tests.explore.machine import LINE, ExactlyOnceMachine, _tracked
from tests.explore.runner import Budget, explore

TIMEOUT = Budget.pytest_timeout_from_environment()


class OneLineHoldingClears(ExactlyOnceMachine):
    """One line; every Clear says the PLC was not reset."""

    def open_second_line(self):  # not a rule here
        raise AssertionError("one line only")

    @rule(line=LINE, plc_was_reset=st.just(False))
    @_tracked
    def clear(self, line, plc_was_reset):
        ExactlyOnceMachine.clear(self, line=line, plc_was_reset=plc_was_reset)


def _clear_deleting_ledger_rows(original):
    def clear(self, actor, line=None, notes="Cleared by operator", plc_was_reset=False, mo_ids=None,
              hold_reason=None):
        result = original(self, actor, line, notes, plc_was_reset, mo_ids, hold_reason)
        with self.engine.begin() as conn:  # the planted defect: the held MOs lose their ledger rows
            conn.execute(delete(mo_dispatch).where(mo_dispatch.c.mo_id.in_(list(result.held))))
        return result

    return clear


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("EXPLORE_PLANTED"), reason="takes minutes per backend: make explore-planted")
@pytest.mark.timeout(TIMEOUT)
def test_the_machine_finds_clear_deleting_ledger_rows(explore_env, monkeypatch, capsys):
    monkeypatch.setattr(BatchStore, "clear", _clear_deleting_ledger_rows(BatchStore.clear))
    with pytest.raises(AssertionError) as found:
        budget = Budget.from_environment(explore_env.backend)
        explore(explore_env, OneLineHoldingClears, Budget(budget.examples, budget.steps, None),
                database=False, write_found=False)
    message = str(found.value)
    assert "mo_dispatch rows deleted" in message or "but operators released it 0 time(s)" in message, message
    printed = "\n".join(getattr(found.value, "__notes__", []))
    # The Clear is a step of its own, or the one a crash point at clear.* runs before the restart.
    assert "state.clear(" in printed or "point='clear." in printed, printed
    with capsys.disabled():
        print(f"\nPlanted defect found ({explore_env.backend}): {message}\n{printed}")
