"""The engineer's PLC Test button (hmi.plc.probe, hmi.services.connection_check.check_plc): one line,
in the configured protocol, against real servers on 127.0.0.1; the plant's log does not hear of it."""

from __future__ import annotations

import logging
import pickle

import pytest

from hmi.config import load_settings
from hmi.operator_text import OperatorText
from hmi.plc.probe import probe_plc
from hmi.services.connection_check import check_plc
from hmi.sim.plc import PlcSimulator
from tests.conftest import pick_free_port


@pytest.fixture(params=["modbus", "fins-udp", "fins-tcp"])
async def sim(request):
    simulator = PlcSimulator("127.0.0.1", 0, protocol=request.param, batch_seconds=0.3, scan_interval=0.01, seed=3)
    await simulator.start()
    yield simulator
    await simulator.stop()


async def test_each_protocol_answers_with_the_handshake_word_and_the_plant_log_stays_quiet(sim, caplog):
    caplog.set_level(logging.DEBUG, logger="hmi.plc")
    ok, line = await probe_plc("127.0.0.1", sim.port, 1, 1.0, protocol=sim.protocol)
    assert ok, line
    assert line.startswith(f"PLC 127.0.0.1:{sim.port}") and "answered" in line and "handshake word" in line
    if sim.protocol != "modbus":
        assert ("FINS/UDP" if sim.protocol == "fins-udp" else "FINS/TCP") in line and " D" in line
    assert isinstance(line, OperatorText) and "{where}" in line.template
    # The test's own connection is not the plant's PLC link coming and going.
    assert not [r for r in caplog.records if r.name == "hmi.plc"], [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("protocol", ["modbus", "fins-tcp"])
async def test_nothing_listening_is_a_refused_connection_naming_the_port(protocol):
    port = pick_free_port()
    ok, line = await probe_plc("127.0.0.1", port, 1, 1.0, protocol=protocol)
    assert not ok
    assert "refused the connection" in line and f"port {port}" in line


async def test_fins_udp_to_a_port_nothing_listens_on_says_no_fins_session():
    port = pick_free_port()
    ok, line = await probe_plc("127.0.0.1", port, 1, 0.5, protocol="fins-udp")
    assert not ok
    assert line.startswith(f"PLC 127.0.0.1:{port} (FINS/UDP) did not open a FINS session:")


async def test_the_settings_test_uses_the_configured_protocol(tmp_path):
    simulator = PlcSimulator("127.0.0.1", 0, protocol="fins-udp", batch_seconds=0.3, scan_interval=0.01)
    await simulator.start()
    try:
        ini = tmp_path / "settings.ini"
        ini.write_text("")
        settings = load_settings(ini, environ={"PLC_PROTOCOL": "fins-udp", "PLC_HOST": "127.0.0.1",
                                               "PLC_PORT": str(simulator.port), "PLC_TIMEOUT_SECONDS": "1"})
        ok, line = await check_plc(settings)
        assert ok and "(FINS/UDP) answered: handshake word D" in line, line
        # The same address spoken to as Modbus TCP is refused: the Test says so, not "answered".
        modbus = load_settings(ini, environ={"PLC_HOST": "127.0.0.1", "PLC_PORT": str(simulator.port),
                                             "PLC_TIMEOUT_SECONDS": "0.5"})
        ok, line = await check_plc(modbus)
        assert not ok and line.startswith(f"PLC 127.0.0.1:{simulator.port} ")
    finally:
        await simulator.stop()


def test_an_operator_text_is_its_english_sentence_with_template_and_values():
    inner = OperatorText("Odoo {version}", version="18.0")
    text = OperatorText("{name} answered; signed in as uid {uid}; 1 MO ready", name=inner, uid=7)
    assert text == "Odoo 18.0 answered; signed in as uid 7; 1 MO ready"
    assert text.template.startswith("{name} answered") and text.values["uid"] == 7
    again = pickle.loads(pickle.dumps(text))
    assert again == text and again.values["name"].template == "Odoo {version}"
