"""Run the real product as a process: `python main.py --headless` (and the simulators as processes),
on loopback, with its own data directory. Used by the kill/restart fault test, the soak and the
memory benchmark."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Environment names the product reads; a developer's own values must not leak into a test run.
_PRODUCT_PREFIXES = ("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_", "DATA_DIR", "LOG_", "MAX_PUSH")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PRODUCT_PREFIXES)}
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def spawn(args: list[str], env: dict[str, str], workdir: Path, log_name: str) -> subprocess.Popen:
    log = open(workdir / log_name, "a")  # noqa: SIM115 - the child keeps it; closed when we exit
    return subprocess.Popen([sys.executable, *args], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)


def spawn_service(workdir: Path, env_overrides: dict[str, str], log_name: str = "hmi.log") -> subprocess.Popen:
    env = clean_env()
    env.update({k: str(v) for k, v in env_overrides.items()})
    return spawn([str(ROOT / "main.py"), "--headless"], env, workdir, log_name)


def stop(process: subprocess.Popen, timeout: float = 15) -> int | None:
    """SIGTERM, wait, SIGKILL if it does not end; returns the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    return process.returncode


class SqliteView:
    """Read-only look at the service's SQLite file (WAL: readers never block the service)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _query(self, sql: str) -> list[tuple]:
        if not self.path.exists():
            return []
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []
            raise
        finally:
            conn.close()

    def batch_ids(self) -> list[str]:
        return [row[0] for row in self._query("SELECT mo_id FROM mo_batch ORDER BY batch_no")]

    def download_states(self) -> list[str]:
        return [row[0] for row in self._query("SELECT download_state FROM mo_batch ORDER BY batch_no")]

    def history(self) -> list[tuple[str, str]]:
        return self._query("SELECT mo_id, status FROM mo_histories ORDER BY archived_at")

    def completed_ids(self) -> list[str]:
        return [mo for mo, status in self.history() if status == "completed"]
