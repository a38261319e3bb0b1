"""A fake Odoo per test on a free loopback port, and a client pointed at it."""

from __future__ import annotations

from typing import Iterator

import pytest

from hmi.odoo.client import OdooClient
from hmi.sim.odoo import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, FakeOdoo


@pytest.fixture
def fake_odoo() -> Iterator[FakeOdoo]:
    fake = FakeOdoo(port=0, mo_count=42, seed=7)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def client(fake_odoo: FakeOdoo) -> Iterator[OdooClient]:
    odoo = OdooClient(fake_odoo.base_url, DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_PASSWORD, timeout=5.0)
    try:
        yield odoo
    finally:
        odoo.close()
