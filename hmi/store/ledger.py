"""DispatchLedger: the dispatch ledger's reads and the operator's release, each call one transaction.

The ledger itself, its states and the moves it allows are hmi.store.dispatch (functions on an open
connection). This store is what the services ask: which MOs the sync must leave out, which PLC keys
earlier downloads used, the Held list, and releasing MOs from it (a fenced write, hmi.store.fencing,
recorded with who and why).
"""

from __future__ import annotations

from typing import Sequence

from hmi.domain import DispatchState
from hmi.records import HeldMo
from hmi.store import dispatch
from hmi.store.dispatch import DispatchRow
from hmi.store.fencing import FencedStore


class DispatchLedger(FencedStore):
    def dispatched_mo_ids(self, mo_ids: Sequence[str]) -> dict[str, str]:
        """Which of these MOs the sync must leave out, with their ledger state: every MO with a
        dispatch ledger row that is not released (hmi.store.dispatch)."""
        with self.engine.connect() as conn:
            return dispatch.blocked_ids(conn, mo_ids)

    def dispatch_states(self, mo_ids: Sequence[str]) -> dict[str, DispatchState]:
        with self.engine.connect() as conn:
            return dispatch.states_of(conn, mo_ids)

    def dispatch_rows(self, line: str | None = None,
                      states: Sequence[DispatchState] | None = None) -> list[DispatchRow]:
        with self.engine.connect() as conn:
            return dispatch.rows(conn, line, states)

    def list_held(self, line: str | None = None) -> list[HeldMo]:
        """The Held list: the ledger's MOs in state ``held`` (of one line when given)."""
        with self.engine.connect() as conn:
            return dispatch.list_held(conn, line)

    def earlier_plc_keys(self, mo_ids: Sequence[str]) -> set[str]:
        """Every PLC key of these MOs' earlier downloads that may have reached a PLC (hmi.store.dispatch)."""
        with self.engine.connect() as conn:
            return dispatch.keys_of_released(conn, mo_ids)

    def release(self, mo_ids: Sequence[str], reason: str, actor: str, line: str | None = None) -> list[str]:
        """Take these MOs off the Held list (the sync may fetch them again); returns those released.

        ``line``: only MOs held on that line."""
        with self._writing() as conn:
            return sorted(dispatch.move(conn, mo_ids, DispatchState.RELEASED, epoch=self.epoch, actor=actor,
                                        reason=reason, line=line)
                          if mo_ids else [])
