"""The command line as a plant script or a new user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hmi import __version__

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_"))}
    env.update({"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "QT_QPA_PLATFORM": "offscreen",
                # The default data folder is machine-wide: a test must not share it with the machine.
                "DATA_DIR": str(tmp_path / "data")})
    env.update(extra)
    return env


def test_version():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"batch-hmi {__version__}"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_headless_with_defaults_creates_database_and_stops_on_signal(tmp_path, signum, free_port):
    # Default settings, except: a port for the admin API that is surely free here, and the data
    # folder (the default one is machine-wide, shared with anything else running on this machine).
    env = _env(tmp_path, API_PORT=str(free_port), DATA_DIR=str(tmp_path / "machine-data"))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--headless"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    database = tmp_path / "machine-data" / "batch_hmi.db"
    seen: list[str] = []
    try:
        # Up: started (database, scheduler, API) and now waiting for its stop; the pytest timeout
        # guards a service that neither says so nor exits.
        while not any("Batch HMI running headless" in line for line in seen):
            line = process.stdout.readline()
            assert line, "".join(seen)  # it exited instead
            seen.append(line)
        assert database.exists()
        assert process.poll() is None
        process.send_signal(signum)
        started = time.monotonic()
        code = process.wait(timeout=10)
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    output = "".join(seen) + process.stdout.read()
    assert code == 0, output
    assert stopped_after < 5.0, output
    assert "Traceback" not in output
    assert "Batch HMI stopped" in output
    assert "Auto-sync scheduler STARTED: interval=5 minutes, batch_limit=10" in output


def test_sim_option_runs_the_plc_simulator_alone(tmp_path, free_port):
    env = _env(tmp_path, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--sim", "plc", "--port", str(free_port)],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first_line = process.stdout.readline()
        assert f"PLC simulator listening on 127.0.0.1:{free_port}" in first_line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("argv", [["--sim"], ["--sim", "modbus"], ["--headless", "--sim", "plc"]])
def test_sim_option_misuse_is_a_usage_error(argv):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "--sim" in result.stderr


@pytest.mark.parametrize("mode", [[], ["--headless"]])
def test_start_up_failure_is_one_clear_line_and_exit_1(tmp_path, free_port, mode):
    import socket

    blocker = socket.socket()
    blocker.bind(("127.0.0.1", free_port))
    blocker.listen()
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *mode],
            env=_env(tmp_path, API_PORT=str(free_port), PLC_ENABLED="false"),
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )
    finally:
        blocker.close()
    assert result.returncode == 1
    assert f"Cannot start: admin API cannot listen on 127.0.0.1:{free_port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_self_check_says_where_the_database_is_and_who_serves_the_line(tmp_path):
    data = tmp_path / "plant-data"
    env = _env(tmp_path, DATA_DIR=str(data), LINE_EQUIPMENT_CODE="LINE-1", PLC_ENABLED="false")
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-check"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    assert (f"ok   data folder: {data} (from DATA_DIR); SQLite database {data / 'batch_hmi.db'}; "
            f"logs in {data / 'logs'}") in lines, result.stdout
    assert "ok   line: line LINE-1: no instance serves it now" in lines, result.stdout
    assert ("ok   durability: SQLite synchronous=FULL, journal_mode=WAL; a commit is on disk before the PLC "
            "is written") in lines, result.stdout
    assert (data / "batch_hmi.db").is_file()


@pytest.mark.postgres
def test_self_check_warns_about_a_postgres_database_that_may_lose_commits_and_still_passes(tmp_path,
                                                                                           postgres_server):
    import sqlalchemy

    url = postgres_server.create_database("self_check_async_commit")
    admin = sqlalchemy.create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql('ALTER DATABASE "self_check_async_commit" SET synchronous_commit = off')
    admin.dispose()
    env = _env(tmp_path, DATABASE_URL=url, PLC_ENABLED="false")
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-check"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    warned = [line for line in lines if line.startswith("WARN durability: ")]
    assert len(warned) == 1, result.stdout
    # The test server also runs fsync=off (for speed): both settings are named on the one line.
    assert ("PostgreSQL synchronous_commit=off (set by ALTER DATABASE): a commit the service relies on before "
            "writing the PLC may be lost in a server crash; set synchronous_commit=on") in warned[0]
    assert "PostgreSQL fsync=off" in warned[0]
    assert lines[-1] == "self-check passed with 1 warning(s)", result.stdout
