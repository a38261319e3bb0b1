"""A flapping PLC link: 1,000 alarm transitions in a burst while the window runs (printed, not asserted).

    python -m bench.alarm_burst [CYCLES]      (offscreen; default 250 cycles per condition)

The real window on the real Runtime (SQLite, PLC simulator, fake Odoo, scheduler polling at 5 Hz).
Two conditions flap as a failing link makes the poll see them: plc.offline and plc.stale are raised
and returned to normal CYCLES times each (4 × CYCLES transitions, each one transaction with its
system_log record). A 10 ms heartbeat QTimer records when it really fires; the largest gap between
ticks is how long the GUI thread was blocked. Prints one JSON object: the heartbeat figures, how long
the burst took, the alarms left (one per condition, with its count) and the rows the dock shows.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def flap(alarms, cycles: int) -> None:
    """What the poll does on a link that goes down and comes back ``cycles`` times."""
    for n in range(cycles):
        await alarms.raise_alarm("plc.offline", f"PLC offline: connection refused (flap {n})")
        await alarms.clear("plc.offline")
        await alarms.raise_alarm("plc.stale", f"PLC readings fail: timeout (flap {n})")
        await alarms.clear("plc.stale")


def main(cycles: int = 250) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from hmi.app.runtime import Runtime
    from hmi.app.scheduler import Scheduler
    from hmi.sim.odoo import FakeOdoo
    from hmi.sim.plc import PlcSimulator
    from hmi.ui.main_window import MainWindow
    from tools.support import settings_for

    work = Path(tempfile.mkdtemp(prefix="bench-alarms-"))
    app = QApplication.instance() or QApplication(["bench"])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    result: dict = {}

    async def run() -> None:
        odoo = FakeOdoo(port=0, mo_count=40)
        odoo.start()
        plc = PlcSimulator(port=0, batch_seconds=1.0, seed=1, scan_interval=0.05)
        await plc.start()
        runtime = Runtime(settings_for(work, f"sqlite:///{work / 'bench.db'}", odoo, plc,
                                       ENABLE_AUTO_SYNC="false", PLC_POLL_INTERVAL_SECONDS="0.2"))
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
        runtime.admin.scheduler = scheduler
        window = MainWindow(runtime, scheduler, actor=lambda: "bench",
                            window_settings=QSettings(str(work / "window.ini"), QSettings.Format.IniFormat))
        window.resize(1366, 768)
        window.show()
        scheduler.start()
        ticks: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
        try:
            await asyncio.sleep(0.5)
            heartbeat.start()
            started = time.perf_counter()
            await flap(runtime.alarms, cycles)
            took = time.perf_counter() - started
            await asyncio.sleep(0.5)  # the dock's last read
            heartbeat.stop()
            gaps = sorted((b - a) * 1000 for a, b in zip(ticks, ticks[1:]))
            left = [a for a in await runtime.alarms.open_alarms() if a.kind.startswith("plc.")]
            dock = window.alarm_views.dock
            result.update(
                transitions=4 * cycles,
                burst_seconds=round(took, 2),
                transitions_per_second=round(4 * cycles / took),
                heartbeats=len(ticks),
                heartbeat_gap_ms={"median": round(statistics.median(gaps), 1),
                                  "p99": round(gaps[int(len(gaps) * 0.99) - 1], 1), "max": round(gaps[-1], 1)},
                alarms_left={a.kind: {"count": a.count, "state": a.state.value} for a in left},
                dock_rows=dock.model.rowCount(),
                status_bar=window.alarm_views.counts.text(),
            )
        finally:
            window.close()
            await scheduler.stop()
            await window.wait_for_tasks()
            await runtime.stop()
            await plc.stop()
            odoo.stop()

    with loop:
        loop.run_until_complete(run())
    return result


if __name__ == "__main__":
    figures = main(int(sys.argv[1]) if len(sys.argv) > 1 else 250)
    print(json.dumps(figures, indent=2))
