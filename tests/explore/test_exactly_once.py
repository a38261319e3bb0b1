"""The exactly-once rule, proved by exploration (docs/reliability.md, "Proved by exploration").

CI runs a bounded budget per backend; ``make explore EXPLORE_SECONDS=1800`` explores for longer.
A failure found is replayed from tests/explore/examples/ by every later run, and its steps are
written to tests/explore/found/ as a ready-to-run test.
"""

from __future__ import annotations

import pytest

from tests.explore.machine import ExactlyOnceMachine
from tests.explore.runner import Budget, explore

TIMEOUT = Budget.pytest_timeout_from_environment()


class ExactlyOnceSqlite(ExactlyOnceMachine):
    """The machine on a SQLite file (its own key in the example database)."""


class ExactlyOncePostgres(ExactlyOnceMachine):
    """The machine on the throwaway PostgreSQL (its own key in the example database)."""


@pytest.mark.timeout(TIMEOUT)
def test_exactly_once_by_exploration(explore_env):
    machine = ExactlyOnceSqlite if explore_env.backend == "sqlite" else ExactlyOncePostgres
    explore(explore_env, machine, Budget.from_environment(explore_env.backend))
