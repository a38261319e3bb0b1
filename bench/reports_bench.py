"""Figures of the reports work: the production report over many history rows, a poll round with and
without recording dosing samples, the Trends tab's first paint.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python -m bench.reports_bench
    BENCH_HISTORY_ROWS=100000 BENCH_ONLY=report,poll,trends ...   (knobs)

Prints a table and writes bench/results-reports.json. Figures, not tests: nothing is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.run import _stats, machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-reports.json"


# ------------------------------------------------------------------------------------------ report


def _time_reports(engine, repeats: int) -> dict:
    from hmi.clock import PlantClock
    from hmi.services.reports import ReportService

    reports = ReportService(engine, None, PlantClock("Asia/Jakarta"))
    first = datetime(2024, 1, 1, tzinfo=timezone.utc)
    ranges = {
        "all_rows": (first, datetime(2031, 1, 1, tzinfo=timezone.utc)),
        "one_month": (first + timedelta(days=400), first + timedelta(days=430)),
        "one_day": (first + timedelta(days=400), first + timedelta(days=401)),
    }
    out = {}
    for name, (start, end) in ranges.items():
        time_range = reports.range_for(start=start, end=end)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            report = reports.report_blocking(time_range)
            times.append(time.perf_counter() - started)
        out[name] = {**_stats(times), "batches": report.total_batches}
    return out


def bench_report(rows: int, repeats: int) -> dict:
    from bench.history_data import load_postgres, load_sqlite
    from hmi.store import create_database_engine, migrate

    result: dict = {"rows": rows}
    workdir = Path(tempfile.mkdtemp(prefix="bench-report-"))
    path = workdir / "history.db"
    engine = create_database_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    load_sqlite(str(path), rows)
    engine = create_database_engine(f"sqlite:///{path}")
    result["sqlite"] = _time_reports(engine, repeats)
    engine.dispose()
    path.unlink()
    try:
        from tools.support import pick_free_port
        from tools.support.postgres import PostgresServer
        server = PostgresServer(pick_free_port()).start()
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        result["postgresql"] = f"not measured: {exc}"
        return result
    try:
        engine = create_database_engine(server.create_database("bench_report"))
        migrate(engine)
        load_postgres(engine, rows)
        result["postgresql"] = _time_reports(engine, repeats)
        engine.dispose()
    finally:
        server.stop()
    return result


# -------------------------------------------------------------------------------------------- poll


async def bench_poll(rounds: int) -> dict:
    """Poll rounds of a Runtime against the PLC simulator (its own process) dosing 10 batches, with
    dosing samples recorded and without, interleaved (on, off, on, off...) so both see the same load.
    The simulator runs fast enough that every silo of the dosing batch changes between two rounds:
    the worst case for recording (a write every round)."""
    from hmi.app.runtime import Runtime
    from hmi.config import load_settings
    from tools.support import pick_free_port
    from tools.support.service_process import clean_env, spawn, stop

    workdir = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    plc_port, odoo_port = pick_free_port(), pick_free_port()
    env = clean_env()
    sims = [spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "0.05"], env, workdir, "plc.log"),
            spawn(["-m", "hmi.sim.odoo", "--port", str(odoo_port), "--mos", "100"], env, workdir, "odoo.log")]
    ini = workdir / "settings.ini"
    ini.write_text("")
    runtime = Runtime(load_settings(ini, environ={
        "DATABASE_URL": f"sqlite:///{workdir / 'poll.db'}", "DATA_DIR": str(workdir / "data"),
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill", "ODOO_USERNAME": "admin",
        "ODOO_PASSWORD": "admin", "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port), "API_ENABLED": "false",
        "SYNC_BATCH_LIMIT": "10",
    }))
    times: dict[str, list[float]] = {"recording": [], "not_recording": []}
    try:
        await asyncio.sleep(1.5)
        await runtime.start()
        await runtime.plc.connection.wait_connected(timeout=10)
        outcome = await runtime.sync.sync("manual")
        if outcome.outcome != "synced":
            return {"error": f"sync {outcome.outcome}: {outcome.message}"}
        recorder = runtime.poll.recorder
        for _ in range(20):  # warm up
            await runtime.poll.poll()
        for index in range(2 * rounds):
            recording = index % 2 == 0
            runtime.poll.recorder = recorder if recording else None
            await asyncio.sleep(0.02)  # the PLC moves on
            started = time.perf_counter()
            await runtime.poll.poll()
            times["recording" if recording else "not_recording"].append(time.perf_counter() - started)
        samples = await runtime.db(runtime.readings.count)
    finally:
        await runtime.stop()
        for process in sims:
            stop(process)
    on, off = _stats(times["recording"]), _stats(times["not_recording"])
    return {"rounds": rounds, "recording": on, "not_recording": off, "samples_written": samples,
            "median_added_ms": round(on["median_ms"] - off["median_ms"], 2)}


# ------------------------------------------------------------------------------------------ trends


def bench_trends(repeats: int) -> dict:
    """Trends tab first paint (query + curves + a painted frame) for the last 24 h and 30 days of a
    line archiving a batch every 3 minutes (480 and 14,400 history rows)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from hmi.domain import ALL_SILOS
    from hmi.clock import PlantClock
    from hmi.services.reports import ReportService
    from hmi.store import create_database_engine, migrate
    from hmi.clock import utc_now
    from hmi.ui.trends_tab import TrendsTab
    from tools.support.history_rows import history_row, write_history

    workdir = Path(tempfile.mkdtemp(prefix="bench-trends-"))
    engine = create_database_engine(f"sqlite:///{workdir / 'trends.db'}")
    migrate(engine)
    now = utc_now()
    dosing = {silo: (100.0 + i, 99.5 + i) for i, silo in enumerate(ALL_SILOS)}
    rows = [history_row(f"MO/{n:06d}", "GROWER", "completed", now - timedelta(minutes=3 * n), dosing, 1500.0)
            for n in range(1, 30 * 480 + 1)]
    for chunk in range(0, len(rows), 2000):
        write_history(engine, rows[chunk:chunk + 2000])
    app = QApplication.instance() or QApplication(["bench"])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from hmi.store.runner import DbRunner

    out: dict = {"history_rows": len(rows)}

    async def measure() -> None:
        db = DbRunner()
        reports = ReportService(engine, db, PlantClock("Asia/Jakarta"))
        for index, name in ((0, "last_24_h"), (2, "last_30_days")):
            times = []
            for _ in range(repeats):
                tab = TrendsTab(reports, asyncio.ensure_future)
                tab.resize(1366, 560)
                tab.show()
                tab.range_combo.blockSignals(True)
                tab.range_combo.setCurrentIndex(index)
                tab.range_combo.blockSignals(False)
                started = time.perf_counter()
                tab.ensure_chart()
                await tab.load()
                tab.grab()  # lays out and paints one frame, as the screen would
                times.append(time.perf_counter() - started)
                tab.close()
                tab.deleteLater()
                await asyncio.sleep(0.05)
            out[name] = _stats(times)
        await db.stop()

    with loop:
        loop.run_until_complete(measure())
    engine.dispose()
    return out


def table(results: dict) -> str:
    lines = ["| Benchmark | Figure |", "|---|---|"]
    report = results.get("report", {})
    for backend in ("sqlite", "postgresql"):
        figures = report.get(backend)
        if isinstance(figures, dict):
            for name, label in (("all_rows", "all rows"), ("one_month", "one month"), ("one_day", "one day")):
                f = figures[name]
                lines.append(f"| Production report {backend}, {report['rows']:,} history rows, range: {label} "
                             f"({f['batches']:,} batches) | median {f['median_ms']} ms, p95 {f['p95_ms']} ms |")
        elif figures:
            lines.append(f"| Production report {backend} | {figures} |")
    poll = results.get("poll")
    if poll and "recording" in poll:
        lines.append(f"| Poll round, 10 slots, batch dosing, without recording | median {poll['not_recording']['median_ms']}"
                     f" ms, p95 {poll['not_recording']['p95_ms']} ms (n={poll['rounds']}) |")
        lines.append(f"| Poll round, 10 slots, batch dosing, recording samples | median {poll['recording']['median_ms']}"
                     f" ms, p95 {poll['recording']['p95_ms']} ms ({poll['samples_written']:,} samples written) |")
    trends = results.get("trends")
    if trends and "last_24_h" in trends:
        for name, label in (("last_24_h", "24 h"), ("last_30_days", "30 days")):
            f = trends[name]
            lines.append(f"| Trends tab first paint, {label} ({trends['history_rows']:,} rows in the table) | "
                         f"median {f['median_ms']} ms, p95 {f['p95_ms']} ms |")
    return "\n".join(lines)


def main() -> int:
    only = {s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()}
    rows = int(os.environ.get("BENCH_HISTORY_ROWS", 1_000_000))
    results: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine()}
    if not only or "report" in only:
        results["report"] = bench_report(rows, repeats=int(os.environ.get("BENCH_REPEATS", 5)))
    if not only or "poll" in only:
        results["poll"] = asyncio.run(bench_poll(int(os.environ.get("BENCH_POLL_ROUNDS", 300))))
    if not only or "trends" in only:
        results["trends"] = bench_trends(repeats=int(os.environ.get("BENCH_REPEATS", 5)))
    results["table"] = table(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(results["table"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
