"""The FINS front end of the PLC simulator: end codes a CJ CPU gives, one image for both front
ends, failure records on demand (read with plain clients, not the project's driver)."""

from __future__ import annotations

import asyncio
import socket
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from pymodbus.client import AsyncModbusTcpClient

from hmi.plc import fins_codec as fins
from hmi.sim.plc import PlcSimulator

HEADER = bytes.fromhex("80 00 02 00 01 00 00 05 00 2a")  # DA1 1, SA1 5, SID 42


def _read(word: int, count: int, area: int = 0x82, bit: int = 0) -> bytes:
    return HEADER + bytes([1, 1, area]) + struct.pack(">HBH", word, bit, count)


@pytest.fixture
async def udp_sim():
    sim = PlcSimulator("127.0.0.1", 0, protocol="fins-udp", scan_interval=0.01)
    await sim.start()
    yield sim
    await sim.stop()


def _exchange(port: int, frame: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.sendto(frame, ("127.0.0.1", port))
        return sock.recv(4096)


@pytest.mark.parametrize("frame, end_code", [
    (_read(6000, 2, area=0xB0), 0x1101),            # no such area (CIO not simulated)
    (_read(6000, 2, bit=3), 0x1103),                # bit byte on a word read
    (_read(32767, 2), 0x1104),                      # runs past D32767
    (_read(0, 1000), 0x110B),                       # more than 999 words
    (HEADER + bytes([1, 2, 0x82, 0x1B, 0x58, 0, 0, 2, 0, 1]), 0x1003),  # 2 words announced, 1 sent
    (HEADER + bytes([1, 1, 0x82]), 0x1002),         # command too short
    (HEADER + bytes([0x26, 0x01]), 0x0401),         # a command the PLC does not have
])
async def test_bad_requests_get_the_cpu_end_code_with_sid_echoed(udp_sim, frame, end_code):
    reply = await asyncio.to_thread(_exchange, udp_sim.port, frame)
    assert reply[0] == 0xC0 and reply[9] == 42 and reply[4] == 5 and reply[7] == 1  # to our node, from the PLC
    assert struct.unpack(">H", reply[12:14])[0] == end_code


async def test_zero_words_is_a_normal_empty_reply(udp_sim):
    reply = await asyncio.to_thread(_exchange, udp_sim.port, _read(6000, 0))
    assert reply[12:] == b"\x00\x00"


async def test_cli_serves_fins_udp(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, str(root / "main.py"), "--sim", "plc", "--protocol", "fins-udp",
                                "--port", str(port)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert f"PLC simulator listening on 127.0.0.1:{port} (fins-udp)" in process.stdout.readline()
        reply = await asyncio.to_thread(_exchange, port, _read(7076, 1))
        assert reply[12:] == b"\x00\x00\x00\x01"  # ready for the first download
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("protocol", ["modbus", "fins-udp"])
async def test_failure_record_on_demand_in_each_protocols_addresses(protocol):
    sim = PlcSimulator("127.0.0.1", 0, protocol=protocol, scan_interval=0.01)
    await sim.start()
    try:
        sim.raise_failure("DRYER2", "HIGH TEMP", datetime(2026, 1, 2, 3, 4, 5))
        if protocol == "modbus":
            client = AsyncModbusTcpClient("127.0.0.1", port=sim.port)
            await client.connect()
            words = (await client.read_holding_registers(6977, count=23, device_id=1)).registers
            client.close()
        else:
            reply = await asyncio.to_thread(_exchange, sim.port, _read(8000, 23))
            words = fins.bytes_to_words(reply[14:])
        assert words[:4] == [0x4452, 0x5945, 0x5232, 0]  # "DRYER2"
        assert words[16:23] == [0x2026, 0x01, 0x02, 0x03, 0x04, 0x05, 0]
    finally:
        await sim.stop()
