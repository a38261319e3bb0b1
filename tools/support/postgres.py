"""A throwaway PostgreSQL server for tests and benchmarks.

``initdb`` refuses to run as root, so when we are root (CI is) the server runs as the
``postgres`` system user via ``runuser`` on a data directory that user owns. Trust auth on
127.0.0.1 only, a free port, and the directory is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy


class PostgresUnavailable(RuntimeError):
    pass


def find_pg_bin() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if not candidates:
        raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql")
    return Path(candidates[0]).parent


class PostgresServer:
    """``fsync=False`` (the default) is for speed: nothing here must survive a power cut. A test
    of the product's durability check starts one with ``fsync=True``, PostgreSQL's own default."""

    def __init__(self, port: int, fsync: bool = False) -> None:
        self.port = port
        self.fsync = fsync
        self.bin = find_pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="batch-hmi-pg-"))
        self.datadir = self.root / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    def start(self) -> "PostgresServer":
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        result = self._run(str(self.bin / "initdb"), "-D", str(self.datadir), "-U", "postgres",
                           "--auth=trust", "-E", "UTF8", "--no-locale")
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()}")
        options = self._options()
        result = self._run(str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-o", options,
                           "-l", str(self.root / "server.log"), "-w", "-t", "30", "start")
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr.strip()} {log[-500:]}")
        return self

    def _options(self) -> str:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        return options if self.fsync else f"{options} -c fsync=off"

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        engine = sqlalchemy.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)

    def restart(self) -> None:
        """Stop and start again on the same port (fault tests)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        options = self._options()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "30", "start")

    def stop(self) -> None:
        if self.datadir.exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
