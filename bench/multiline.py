"""N lines on one PostgreSQL: what each line gets done, and what the database sees.

    PYTHONPATH=. python -m bench.multiline              # N = 1, 5, 10, 20, 60 s each
    BENCH_LINES=1,5,10 BENCH_LINE_SECONDS=90 PYTHONPATH=. python -m bench.multiline

For each N: a fresh throwaway PostgreSQL, one fake Odoo dealing its MOs to N lines, and per
line a PLC simulator and a `python main.py --headless` process (tools/support/lines.py), all
on this machine. Once every instance answers, the run is measured for BENCH_LINE_SECONDS:

- batches per minute per line: completed batches archived during the window, per line;
- sync latency: from a line's last batch archived (its table empty) to its next fill stored,
  both as the instance stamped them in the database (mo_histories.archived_at, mo_batch.created_at;
  fills seen by sampling mo_batch every 100 ms, one query for every line) — the Odoo fetch, the
  mapping, the PLC download and the commits;
- PostgreSQL connections of the instances (application_name batch-hmi): max and median,
  and how many were active at once;
- lock waits: sessions seen waiting on a lock (wait_event_type = 'Lock') in the samples;
- rows/s and commits/s at the database (pg_stat_database deltas over the window).

Writes the figures into bench/results.json under "multiline" (other sections are kept).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"

#: Per line: a sync every 3 s when the table is empty anyway (SYNC_ON_EMPTY), 4 MOs a fill,
#: the PLC simulator at 20x, the poll at 1 Hz (the shipped default is 2 s).
LINE_SETTINGS = {"sync_interval_minutes": 0.05, "batch_limit": 4, "poll_seconds": 1.0, "plc_speed": 20.0}


def _pct(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, int(round(len(ordered) * share)) - 1)], 3)


def _database_stats(database) -> dict:
    row = database.rows("SELECT tup_inserted + tup_updated + tup_deleted, xact_commit, deadlocks"
                        " FROM pg_stat_database WHERE datname = current_database()")
    rows, commits, deadlocks = row[0] if row else (0, 0, 0)
    return {"rows": int(rows), "commits": int(commits), "deadlocks": int(deadlocks)}


def run_lines(count: int, seconds: float) -> dict:
    import httpx

    from tools.support import pick_free_port, wait_until
    from tools.support.lines import LinePlant, PlantDatabase
    from tools.support.postgres import PostgresServer

    server = PostgresServer(pick_free_port()).start()
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-lines-{count}-"))
    url = server.create_database("plant")
    plant = LinePlant(url, workdir, count=count, mos=max(2000, count * 400), **LINE_SETTINGS)
    database = PlantDatabase(url)
    started = time.perf_counter()
    try:
        plant.start()

        def all_answer() -> bool:
            for line in plant.lines:
                try:
                    httpx.get(f"http://127.0.0.1:{line.api_port}/api/health", timeout=2)
                except httpx.HTTPError:
                    return False
            return True

        wait_until(all_answer, 60 + 6 * count, f"{count} instances answering")
        startup_s = time.perf_counter() - started
        time.sleep(5)  # first fills
        before_completed = database.completed_per_line()
        before = _database_stats(database)
        fills: set[tuple[str, datetime]] = set()
        connections: list[int] = []
        active: list[int] = []
        lock_waits = 0
        samples = 0
        window_start = time.perf_counter()
        while time.perf_counter() - window_start < seconds:
            now = time.perf_counter()
            fills.update(database.rows("SELECT equipment_id_batch, min(created_at) FROM mo_batch GROUP BY 1"))
            activity = database.rows(
                "SELECT count(*), count(*) FILTER (WHERE state = 'active'),"
                " count(*) FILTER (WHERE wait_event_type = 'Lock')"
                " FROM pg_stat_activity WHERE application_name = 'batch-hmi'")
            if activity:
                total, busy, waiting = activity[0]
                connections.append(int(total))
                active.append(int(busy))
                lock_waits += int(waiting)
            samples += 1
            time.sleep(max(0.0, 0.1 - (time.perf_counter() - now)))
        elapsed = time.perf_counter() - window_start
        after = _database_stats(database)
        after_completed = database.completed_per_line()
        latencies = []
        for line, filled_at in fills:
            previous = database.rows("SELECT max(archived_at) FROM mo_histories WHERE equipment_id_batch = :line"
                                     " AND archived_at < :filled_at", line=line, filled_at=filled_at)
            if previous and previous[0][0] is not None:
                latencies.append((filled_at - previous[0][0]).total_seconds())
        per_line = [(after_completed.get(line.code, 0) - before_completed.get(line.code, 0)) / elapsed * 60
                    for line in plant.lines]
        logs = plant.service_logs()
        return {
            "lines": count,
            "seconds": round(elapsed, 1),
            "startup_s": round(startup_s, 1),
            "batches_per_min_per_line": {"median": round(statistics.median(per_line), 2),
                                         "min": round(min(per_line), 2), "max": round(max(per_line), 2)},
            "batches_per_min_total": round(sum(per_line), 1),
            "sync_latency_s": {"n": len(latencies), "p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95)},
            "pg_connections": {"max": max(connections, default=0),
                               "median": statistics.median(connections) if connections else 0,
                               "active_max": max(active, default=0), "per_line_max": round(
                                   max(connections, default=0) / count, 2)},
            "lock_waits": {"sessions_waiting_seen": lock_waits, "samples": samples,
                           "deadlocks": after["deadlocks"] - before["deadlocks"]},
            "db_rows_per_s": round((after["rows"] - before["rows"]) / elapsed, 1),
            "db_commits_per_s": round((after["commits"] - before["commits"]) / elapsed, 1),
            "tracebacks_in_logs": sum(1 for text in logs.values() if "Traceback" in text),
        }
    finally:
        plant.stop()
        database.close()
        server.stop()


def main() -> int:
    import signal
    import sys

    # Stopped from outside: end the run's processes and server on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    counts = [int(n) for n in os.environ.get("BENCH_LINES", "1,5,10,20").split(",") if n.strip()]
    seconds = float(os.environ.get("BENCH_LINE_SECONDS", 60))
    from bench.run import machine

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    section = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "per_line_settings": LINE_SETTINGS, "runs": []}
    for count in counts:
        print(f"[multiline] N={count} ...", flush=True)
        try:
            figures = run_lines(count, seconds)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next N
            figures = {"lines": count, "error": f"not measured: {type(exc).__name__}: {exc}"}
        print(json.dumps(figures), flush=True)
        section["runs"].append(figures)
        results["multiline"] = section
        results["multiline_machine"] = machine()
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
