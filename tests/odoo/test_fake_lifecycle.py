"""Both fake Odoos run the same way (hmi.sim.loopback_http): start on a free loopback port, stop without
waiting for a delayed answer, start again on the same port, and switch faults the same way."""

from __future__ import annotations

import time
from typing import Callable

import pytest
import requests

from hmi.sim.odoo import FakeOdoo
from hmi.sim.stock_http import FakeStockOdoo

GRT_SCADA_LOGIN = ("/web/session/authenticate",
                   {"jsonrpc": "2.0", "method": "call", "id": 1,
                    "params": {"db": "feedmill", "login": "admin", "password": "admin"}})
STOCK_VERSION = ("/jsonrpc",
                 {"jsonrpc": "2.0", "method": "call", "id": 1,
                  "params": {"service": "common", "method": "version", "args": []}})

FAKES: list[tuple[Callable[[], FakeOdoo | FakeStockOdoo], tuple[str, dict]]] = [
    (lambda: FakeOdoo(port=0, mo_count=3), GRT_SCADA_LOGIN),
    (lambda: FakeStockOdoo(port=0, version=18, mo_count=3), STOCK_VERSION),
]
IDS = ["grt_scada", "stock"]


@pytest.mark.parametrize(("make", "request_"), FAKES, ids=IDS)
def test_start_answer_stop_and_start_again_on_the_same_port(make, request_) -> None:
    path, body = request_
    fake = make()
    assert not fake.running
    with pytest.raises(RuntimeError, match=f"{type(fake).__name__} is not running"):
        fake.port
    with fake:
        port = fake.start()  # a second start keeps serving where it is
        assert fake.running and port == fake.port > 0
        assert fake.base_url == f"http://127.0.0.1:{port}"
        assert requests.post(fake.base_url + path, json=body, timeout=5).status_code == 200
    assert not fake.running
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"http://127.0.0.1:{port}{path}", json=body, timeout=5)
    fake.requested_port = port  # as the exploration machine brings an Odoo back where the clients look
    fake.start()
    try:
        assert fake.port == port
        assert requests.post(fake.base_url + path, json=body, timeout=5).status_code == 200
    finally:
        fake.stop()


@pytest.mark.parametrize(("make", "request_"), FAKES, ids=IDS)
def test_stop_drops_an_answer_held_by_a_delay_fault(make, request_) -> None:
    path, body = request_
    fake = make()
    fake.start()
    try:
        fake.set_faults(delay_seconds=30)
        with pytest.raises(requests.exceptions.Timeout):
            requests.post(fake.base_url + path, json=body, timeout=0.3)
    finally:
        started = time.monotonic()
        fake.stop()
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("make", "request_"), FAKES, ids=IDS)
def test_faults_are_checked_snapshotted_and_cleared(make, request_) -> None:
    fake = make()
    with pytest.raises(TypeError, match="delay_seconds"):
        fake.set_faults(delay_seconds="slow")
    with pytest.raises(TypeError):
        fake.set_faults(no_such_fault=True)
    assert fake.faults_snapshot() == type(fake.faults)()  # the refused changes left nothing behind
    returned = fake.set_faults(http_500=True)
    returned.http_500 = False  # a copy: changing it changes nothing on the fake
    assert fake.faults_snapshot().http_500 is True
    fake.clear_faults()
    assert fake.faults_snapshot() == type(fake.faults)()
