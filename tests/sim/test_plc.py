"""The PLC simulator, driven by a plain Modbus client that follows docs/plc-register-map.md only."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pymodbus.client import AsyncModbusTcpClient

from hmi.domain import Silo
from hmi.sim.plc import PlcSimulator
from tests.plc.conftest import wait_until

logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
REPO = Path(__file__).resolve().parents[2]


def mo_words(text: str) -> list[int]:
    data = text.encode("ascii").ljust(16, b"\0")
    return [(data[i] << 8) | data[i + 1] for i in range(0, 16, 2)]


def recipe_words(batch_no: int, mo: str, targets_centikg: dict[int, int]) -> list[int]:
    """A WRITE slot built from the documented offsets, without the project's codec."""
    words = [0] * 77
    words[0] = batch_no
    words[1:9] = mo_words(mo)
    words[17:25] = mo_words("FEED")
    total = sum(targets_centikg.values())
    words[25:27] = [total >> 16, total & 0xFFFF]
    for silo_id in range(101, 116):
        offset = 27 + 3 * (silo_id - 101)
        value = targets_centikg.get(silo_id, 0)
        words[offset : offset + 3] = [silo_id, value >> 16, value & 0xFFFF]
    return words


def real(words: list[int]) -> float:
    return ((words[0] << 16) | words[1]) / 100


@pytest.fixture
async def sim(free_port):
    simulator = PlcSimulator("127.0.0.1", free_port, batch_seconds=0.3, scan_interval=0.01, seed=3)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def client(sim):
    modbus = AsyncModbusTcpClient("127.0.0.1", port=sim.port, timeout=1, retries=0)
    assert await modbus.connect()
    yield modbus
    modbus.close()


async def read(client, address: int, count: int) -> list[int]:
    response = await client.read_holding_registers(address, count=count, device_id=1)
    assert not response.isError(), response
    return list(response.registers)


async def write(client, address: int, values: list[int]) -> None:
    response = await client.write_registers(address, values, device_id=1)
    assert not response.isError(), response


async def test_recipe_in_slot_1_runs_to_done(client, sim):
    assert await read(client, 7076, 1) == [1]  # ready for a download
    # 200.00 kg from silo A (101), 50.00 kg from LQ114
    await write(client, 7000, recipe_words(1, "WH/MO/00042", {101: 20000, 114: 5000})[:76])
    await write(client, 7076, [0])
    await wait_until(lambda: sim.read_registers(7076) == [1])  # PLC took the recipe
    await wait_until(lambda: sim.read_registers(6072) == [1], timeout=5)
    slot = await read(client, 6000, 77)
    assert slot[0] == 1 and slot[1:9] == mo_words("WH/MO/00042") and slot[17:25] == mo_words("FEED")
    assert real(slot[25:27]) == 250.0
    assert slot[27] == 101 and real(slot[28:30]) == pytest.approx(200.0, rel=0.02)
    assert slot[66] == 114 and real(slot[67:69]) == pytest.approx(50.0, rel=0.02)
    assert real(slot[31:33]) == 0.0  # silo B not used
    assert slot[72:74] == [1, 0]  # done, not failed
    assert real(slot[74:76]) == pytest.approx(real(slot[28:30]) + real(slot[67:69]), abs=0.02)


async def test_batches_run_in_slot_order_and_failing_mo_stops(client, sim):
    sim.fail_mo.add("WH/MO/2")
    for n in (1, 2, 3):
        await write(client, 7000 + 100 * (n - 1), recipe_words(n, f"WH/MO/{n}", {102: 1000}))
    await write(client, 7076, [0])
    await wait_until(lambda: sim.finished_slots == [1, 2, 3], timeout=5)
    assert sim.read_slot(1).status_manufacturing
    failed = sim.read_slot(2)
    assert failed.status_operation and not failed.status_manufacturing
    assert 0 < failed.actual_kg[Silo.B] < 10.0
    assert sim.read_slot(3).status_manufacturing
    assert sim.read_slot(4).is_empty


async def test_recipes_written_while_running_wait_for_the_queue(client, sim):
    await write(client, 7000, recipe_words(1, "WH/MO/A", {101: 1000}))
    await write(client, 7076, [0])
    await wait_until(lambda: sim.downloads_taken == 1)
    await write(client, 7000, recipe_words(1, "WH/MO/B", {101: 1000}))
    await write(client, 7076, [0])
    await asyncio.sleep(0.05)
    assert sim.busy and sim.read_registers(7076) == [0]  # not taken while batch A runs
    await wait_until(lambda: sim.downloads_taken == 2, timeout=5)
    assert sim.read_slot(1).mo_id == "WH/MO/B"  # READ area reset for the new queue


async def test_done_slot_is_left_as_it_is(client, sim):
    await write(client, 7000, recipe_words(1, "WH/MO/A", {101: 1000}))
    await write(client, 7076, [0])
    await wait_until(lambda: sim.finished_slots == [1], timeout=5)
    sim.set_field("read", 1, "consumption_101", 999.99)  # a fault a test injects
    await asyncio.sleep(0.05)
    assert sim.read_slot(1).actual_kg[Silo.A] == 999.99


async def test_pause_freezes_the_plc(client, sim):
    sim.pause()
    await write(client, 7000, recipe_words(1, "WH/MO/A", {101: 1000}))
    await write(client, 7076, [0])
    await asyncio.sleep(0.1)
    assert sim.downloads_taken == 0 and sim.read_registers(7076) == [0]
    sim.resume()
    await wait_until(lambda: sim.downloads_taken == 1)


async def test_outside_the_image_answers_illegal_address(client):
    response = await client.read_holding_registers(100, count=2, device_id=1)
    assert response.isError() and response.exception_code == 2


def test_cli_help():
    result = subprocess.run(
        [sys.executable, "-m", "hmi.sim.plc", "--help"], cwd=REPO, capture_output=True, text=True, timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0
    assert "--fail-mo" in result.stdout and "--slots" in result.stdout and "--speed" in result.stdout


def _ctrl_c_at_listening(ignore_sigint: bool = False) -> tuple[int | None, str, str]:
    """Start the simulator CLI, send SIGINT the moment it says "listening", return (code, stdout, stderr)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hmi.sim.plc", "--port", "0", "--slots", "4"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        # A child of a non-interactive shell's background job (or of some CI runners) starts with
        # SIGINT ignored; Python then installs no KeyboardInterrupt handler and asyncio.run none either.
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None,
    )
    try:
        line = process.stdout.readline()
        assert "listening on 127.0.0.1:" in line
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, line + stdout, stderr


def test_cli_runs_and_stops_cleanly_on_ctrl_c():
    code, stdout, stderr = _ctrl_c_at_listening()
    assert code == 0
    assert "Traceback" not in stderr
    assert "PLC simulator stopped" in stdout


@pytest.mark.parametrize("ignore_sigint", [False, True], ids=["default", "sigint-ignored-by-parent"])
def test_cli_stops_on_ctrl_c_sent_the_moment_it_listens_every_time(ignore_sigint):
    # The "listening" line is the earliest moment the CLI promises to take Ctrl+C; the handler is
    # installed before it is printed, whatever SIGINT disposition the simulator inherited.
    for attempt in range(8):
        code, stdout, stderr = _ctrl_c_at_listening(ignore_sigint)
        assert (code, "Traceback" in stderr) == (0, False), (attempt, stdout, stderr)
        assert "PLC simulator stopped" in stdout, (attempt, stdout, stderr)
