"""Fixtures for PLC-layer tests: a fast simulator and a link with short timeouts, all on 127.0.0.1."""

from __future__ import annotations

import logging
from typing import Callable

import pytest

from hmi.plc.link import PlcLink
from hmi.sim.plc import PlcSimulator
from tools.support.waiting import until

# pymodbus logs every refused connect/closed socket at ERROR with frame dumps; the tests provoke
# those on purpose.
logging.getLogger("pymodbus").setLevel(logging.CRITICAL)

FAST_LINK = dict(timeout=0.5, backoff_initial=0.05, backoff_cap=0.4, connection_check_interval=0.1)


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0, interval: float = 0.02) -> None:
    """The PLC tests' short default wait (tools.support.waiting.until)."""
    await until(condition, timeout, "the PLC condition", interval)


@pytest.fixture
async def sim(free_port):
    simulator = PlcSimulator("127.0.0.1", free_port, batch_seconds=0.3, scan_interval=0.01, seed=7)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def link(sim):
    plc_link = PlcLink("127.0.0.1", sim.port, **FAST_LINK)
    await plc_link.connection.start()
    assert await plc_link.connection.wait_connected(5)
    yield plc_link
    await plc_link.connection.stop()
