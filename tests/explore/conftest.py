"""The exploration's environment: one event loop, one fake Odoo and one migrated template database
per test, on SQLite or the throwaway PostgreSQL (tests/explore/found/ replays use it too)."""

from __future__ import annotations

import pytest

from tests.explore.machine import ExploreEnv


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def explore_env(request, tmp_path):
    postgres = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    env = ExploreEnv(request.param, tmp_path, postgres)
    yield env
    env.close()
