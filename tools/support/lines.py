"""Several lines on one PostgreSQL, as real processes: one fake Odoo serving the MOs of every line,
one PLC simulator per line and one `python main.py --headless` per line (its own
LINE_EQUIPMENT_CODE, API port and data folder). Used by the multi-line end-to-end test and
bench/multiline.py."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy

from tools.support import pick_free_port
from tools.support.service_process import clean_env, spawn, spawn_service, stop


def line_code(number: int) -> str:
    return f"PLC{number:02d}"


#: The engineer token every test line is started with.
API_TOKEN = "lines-test-token"

@dataclass
class Line:
    code: str
    plc_port: int
    api_port: int
    workdir: Path
    plc: subprocess.Popen | None = None
    service: subprocess.Popen | None = None

    @property
    def api(self) -> httpx.Client:
        """The line's admin API with the engineer's token (the API refuses requests without one)."""
        return httpx.Client(base_url=f"http://127.0.0.1:{self.api_port}", timeout=10,
                            headers={"Authorization": f"Bearer {API_TOKEN}"})


@dataclass
class LinePlant:
    database_url: str
    workdir: Path
    count: int
    sync_interval_minutes: float = 0.05
    batch_limit: int = 4
    poll_seconds: float = 0.3
    plc_speed: float = 20.0
    mos: int = 2000
    extra_env: dict[str, str] = field(default_factory=dict)
    odoo_port: int = 0
    odoo: subprocess.Popen | None = None
    lines: list[Line] = field(default_factory=list)

    def start(self) -> "LinePlant":
        env = clean_env()
        self.odoo_port = pick_free_port()
        codes = [line_code(n) for n in range(1, self.count + 1)]
        self.odoo = spawn(["-m", "hmi.sim.odoo", "--port", str(self.odoo_port), "--mos", str(self.mos),
                           "--lines", ",".join(codes)], env, self.workdir, "odoo.log")
        for number, code in enumerate(codes, start=1):
            folder = self.workdir / code
            folder.mkdir(parents=True, exist_ok=True)
            line = Line(code, pick_free_port(), pick_free_port(), folder)
            line.plc = spawn(["-m", "hmi.sim.plc", "--port", str(line.plc_port), "--speed", str(self.plc_speed),
                              "--seed", str(number)], env, folder, "plc.log")
            self.lines.append(line)
        for line in self.lines:
            self.start_service(line)
        return self

    def service_env(self, line: Line) -> dict[str, str]:
        return {
            "DATABASE_URL": self.database_url, "DATA_DIR": str(line.workdir / "data"),
            "LINE_EQUIPMENT_CODE": line.code,
            "SYNC_INTERVAL_MINUTES": str(self.sync_interval_minutes), "SYNC_BATCH_LIMIT": str(self.batch_limit),
            "PLC_HOST": "127.0.0.1", "PLC_PORT": str(line.plc_port),
            "PLC_POLL_INTERVAL_SECONDS": str(self.poll_seconds),
            "ODOO_BASE_URL": f"http://127.0.0.1:{self.odoo_port}", "ODOO_DB": "feedmill",
            "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "API_PORT": str(line.api_port),
            "API_TOKEN": API_TOKEN,
            **self.extra_env,
        }

    def start_service(self, line: Line) -> None:
        line.service = spawn_service(line.workdir, self.service_env(line), "hmi.log")

    def stop_service(self, line: Line) -> int | None:
        code = stop(line.service) if line.service else None
        line.service = None
        return code

    def stop(self) -> None:
        for line in self.lines:
            if line.service:
                stop(line.service)
        for line in self.lines:
            if line.plc:
                stop(line.plc)
        if self.odoo:
            stop(self.odoo)

    def odoo_json(self, path: str) -> dict:
        return httpx.get(f"http://127.0.0.1:{self.odoo_port}{path}", timeout=10).json()

    def service_logs(self) -> dict[str, str]:
        return {line.code: (line.workdir / "hmi.log").read_text(errors="replace")
                if (line.workdir / "hmi.log").exists() else "" for line in self.lines}


class PlantDatabase:
    """Read-only look at the shared database (a separate engine: not the instances' pools)."""

    def __init__(self, url: str) -> None:
        self.engine = sqlalchemy.create_engine(url, pool_pre_ping=True, pool_size=1, max_overflow=0)

    def rows(self, sql: str, **params) -> list[tuple]:
        try:
            with self.engine.connect() as conn:
                return [tuple(row) for row in conn.execute(sqlalchemy.text(sql), params)]
        except sqlalchemy.exc.OperationalError:
            return []  # the server is restarting; callers poll

    def completed_per_line(self) -> dict[str, int]:
        return dict(self.rows("SELECT equipment_id_batch, count(*) FROM mo_histories"
                              " WHERE status = 'completed' GROUP BY 1"))

    def close(self) -> None:
        self.engine.dispose()
