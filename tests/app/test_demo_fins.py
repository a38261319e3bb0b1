"""`python main.py --demo --headless --plc-protocol fins-…`: the demo's simulator and link speak FINS."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app.test_cli import _env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("protocol", ["fins-udp", "fins-tcp"])
def test_demo_runs_over_fins(tmp_path, free_port, protocol):
    env = _env(tmp_path, API_PORT=str(free_port))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--demo", "--headless", "--plc-protocol",
                                protocol], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "PLC simulator took" in line:  # the first download went over FINS
                break
        process.send_signal(signal.SIGTERM)
        lines += process.communicate(timeout=15)[0].splitlines()
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(lines)
    assert f"({protocol})" in output and "PLC connected to 127.0.0.1:" in output, output
    assert "PLC simulator took" in output and "Traceback" not in output


def test_plc_protocol_without_demo_is_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--plc-protocol", "fins-udp"],
                            capture_output=True, text=True, cwd=tmp_path, env=_env(tmp_path), timeout=60)
    assert result.returncode == 2
    assert "--plc-protocol goes with --demo" in result.stderr
