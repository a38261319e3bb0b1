"""GUI-loop responsiveness, run in its own process (python -m bench.gui_loop SECONDS HISTORY_ROWS).

The operator window is built on another branch; this measures the same thing the window would
feel: the loop the window runs on (QCoreApplication + qasync), with the real Runtime and the real
Scheduler (sync timer, poll timer at 1 Hz), 100,000 rows in history, and a fake Odoo that answers
every request after 2 s. A 10 ms heartbeat QTimer records when it actually fires; the gap between
ticks is how long the loop was blocked. Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(seconds: float, history_rows: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import QCoreApplication, QTimer

    from bench.history_data import load_sqlite
    from hmi.app.runtime import Runtime
    from hmi.app.scheduler import Scheduler
    from hmi.config import load_settings
    from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
    from hmi.sim.plc import PlcSimulator
    from hmi.store import create_database_engine, migrate

    workdir = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    url = f"sqlite:///{workdir / 'gui.db'}"
    engine = create_database_engine(url)
    migrate(engine)
    engine.dispose()
    load_sqlite(str(workdir / "gui.db"), history_rows)

    odoo = FakeOdoo(port=0, mo_count=400)
    odoo.start()
    odoo.set_faults(delay_seconds=2.0)
    app = QCoreApplication.instance() or QCoreApplication(["bench"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    result: dict = {}

    async def run() -> None:
        plc = PlcSimulator(port=0, batch_seconds=0.5, scan_interval=0.05, seed=1)
        await plc.start()
        ini = workdir / "settings.ini"
        ini.write_text("")
        settings = load_settings(ini, environ={
            "DATABASE_URL": url, "DATA_DIR": str(workdir / "data"),
            "ODOO_BASE_URL": odoo.base_url, "ODOO_DB": odoo.db, "ODOO_USERNAME": odoo.login,
            "ODOO_PASSWORD": DEFAULT_PASSWORD, "ODOO_TIMEOUT_SECONDS": "10",
            "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc.port), "PLC_POLL_INTERVAL_SECONDS": "1",
            "SYNC_INTERVAL_MINUTES": "0.05", "SYNC_BATCH_LIMIT": "10", "API_ENABLED": "false",
        })
        runtime = Runtime(settings)
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=100)
        syncs: list[str] = []
        scheduler.sync_finished.connect(lambda outcome: syncs.append(outcome.outcome))
        ticks: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
        heartbeat.start()
        scheduler.start()
        await asyncio.sleep(seconds)
        heartbeat.stop()
        await scheduler.stop()
        await runtime.stop()
        await plc.stop()
        gaps = sorted((b - a) * 1000 for a, b in zip(ticks, ticks[1:]))
        result.update(
            seconds=seconds, history_rows=history_rows, heartbeat_ms=10, ticks=len(ticks),
            gap_max_ms=round(gaps[-1], 1), gap_p99_ms=round(gaps[int(len(gaps) * 0.99) - 1], 1),
            gap_median_ms=round(statistics.median(gaps), 1),
            syncs=len(syncs), syncs_synced=syncs.count("synced"), odoo_delay_s=2.0, poll_hz=1,
            pushes=len(odoo.pushes),
        )

    with loop:
        loop.run_until_complete(run())
    odoo.stop()
    return result


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]), int(sys.argv[2]))))
