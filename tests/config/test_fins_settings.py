"""PLC_PROTOCOL and the PLC_FINS_* settings: defaults, the protocol's port, every rejection."""

from __future__ import annotations

import pytest

from hmi.config import SettingsError, load_settings


def _load(tmp_path, **env):
    ini = tmp_path / "s.ini"
    ini.write_text("")
    return load_settings(ini, environ={k: str(v) for k, v in env.items()})


def test_defaults_keep_modbus_on_502_and_fins_gets_9600(tmp_path):
    modbus = _load(tmp_path)
    assert (modbus.plc_protocol, modbus.plc_port) == ("modbus", 502)
    fins = _load(tmp_path, PLC_PROTOCOL="fins-udp", PLC_HOST="192.168.1.2")
    assert fins.plc_port == 9600
    assert (fins.plc_fins_node, fins.plc_fins_client_node, fins.plc_fins_network) == (None, None, 0)
    assert (fins.plc_fins_max_read_words, fins.plc_fins_local_port) == (999, 0)
    shown = {spec.env: display for spec, display, _ in fins.describe()}
    assert shown["PLC_FINS_NODE"] == "(automatic)" and shown["PLC_PORT"] == "9600"
    assert _load(tmp_path, PLC_PROTOCOL="fins-tcp", PLC_PORT="9601").plc_port == 9601


@pytest.mark.parametrize("env, fragment", [
    ({"PLC_PROTOCOL": "profinet"}, "PLC_PROTOCOL='profinet' (from environment) must be one of modbus, fins-udp, fins-tcp"),
    ({"PLC_FINS_NODE": "0"}, "PLC_FINS_NODE='0' (from environment) must be between 1 and 254"),
    ({"PLC_FINS_CLIENT_NODE": "255"}, "PLC_FINS_CLIENT_NODE='255' (from environment) must be between 1 and 254"),
    ({"PLC_FINS_NETWORK": "128"}, "PLC_FINS_NETWORK='128' (from environment) must be between 0 and 127"),
    ({"PLC_FINS_MAX_READ_WORDS": "1000"}, "PLC_FINS_MAX_READ_WORDS='1000' (from environment) must be between 1 and 999"),
    ({"PLC_FINS_LOCAL_PORT": "x"}, "PLC_FINS_LOCAL_PORT='x' (from environment) must be a whole number"),
    ({"PLC_PROTOCOL": "fins-udp", "PLC_HOST": "plc.local"},
     "PLC_FINS_NODE is empty and PLC_HOST='plc.local' (from environment) is not an IPv4 address"),
    ({"PLC_PROTOCOL": "fins-udp", "PLC_HOST": "192.168.1.2", "PLC_FINS_CLIENT_NODE": "2"},
     "PLC_FINS_CLIENT_NODE=2 (from environment) is the PLC's own FINS node"),
])
def test_bad_fins_settings_stop_start_up_with_one_line(tmp_path, env, fragment):
    with pytest.raises(SettingsError) as info:
        _load(tmp_path, **env)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_a_host_name_works_with_an_explicit_node(tmp_path):
    settings = _load(tmp_path, PLC_PROTOCOL="fins-udp", PLC_HOST="plc.local", PLC_FINS_NODE="2")
    assert settings.plc_fins_node == 2


def test_fins_tcp_takes_a_host_name_the_handshake_names_the_node(tmp_path):
    settings = _load(tmp_path, PLC_PROTOCOL="fins-tcp", PLC_HOST="plc.local")
    assert settings.plc_fins_node is None and settings.plc_port == 9600
