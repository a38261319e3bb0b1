"""Run every benchmark, print a table, write bench/results.json.

    make bench                      # or: python -m bench
    BENCH_HISTORY_ROWS=100000 make bench   # a quicker run (the figure reports the N used)
    BENCH_ONLY=plc,sync make bench  # some sections only: plc, gui, sync, history, memory

Knobs (environment): BENCH_REPEATS (50), BENCH_HISTORY_ROWS (1,000,000), BENCH_GUI_SECONDS (20),
BENCH_GUI_HISTORY_ROWS (100,000), BENCH_POLL_CYCLES (10,000).

Every figure is measured on loopback against our own simulators: it says what the software costs,
not what a real PLC or Odoo server on a plant network will add.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from bench import plc_protocols

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _stats(samples_s: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples_s)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[max(0, int(round(len(ms) * 0.95)) - 1)], 2), "max_ms": round(ms[-1], 2)}


def machine() -> dict:
    packages = {}
    for name in ("pymodbus", "PySide6-Essentials", "qasync", "SQLAlchemy", "psycopg2-binary", "requests", "psutil"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil
        memory_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        memory_gb = None
    return {"platform": platform.platform(), "cpu": cpu, "cpu_count": os.cpu_count(), "memory_gb": memory_gb,
            "python": platform.python_version(), "packages": packages, "postgresql": _pg_version()}


def _pg_version() -> str | None:
    try:
        from tools.support.postgres import find_pg_bin
        out = subprocess.run([str(find_pg_bin() / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()
    except Exception:  # noqa: BLE001 - only a description
        return None


# ---------------------------------------------------------------------------------------------- PLC


def _recipes(count: int = 10):
    from hmi.services.sync import recipe_for
    from tools.support.factories import make_mo

    return [recipe_for(make_mo(n, silos=15, kg=100.0), n) for n in range(1, count + 1)]


async def bench_plc(repeats: int) -> dict:
    from hmi.plc import PlcLink
    from hmi.plc.codec import encode_recipe
    from hmi.sim.plc import PlcSimulator

    sim = PlcSimulator(port=0, batch_seconds=1000, scan_interval=0.05)
    await sim.start()
    sim.pause()  # the PLC never takes the recipes, so the same download can be repeated
    link = PlcLink("127.0.0.1", sim.port, timeout=2)
    connection = link.connection
    await connection.start()
    assert await connection.wait_connected(5)
    m = link.register_map
    recipes = _recipes()
    fields = sorted(m.field_offsets.items(), key=lambda item: item[1])

    async def measure(work, prepare=None):
        times, requests = [], []
        for _ in range(repeats):
            if prepare:
                prepare()
            before = connection.request_count
            started = time.perf_counter()
            await work()
            times.append(time.perf_counter() - started)
            requests.append(connection.request_count - before)
        return {"requests": max(requests), **_stats(times)}

    def ready() -> None:
        sim.write_registers(m.write_ready_address, [1])

    async def scan_by_field():
        async with link._io_lock:
            for slot in m.slots:
                for name, _offset in fields:
                    await connection.read(m.read_field_address(slot, name), m.field_width(name))

    async def download_by_field():
        async with link._io_lock:
            for slot, recipe in enumerate(recipes, start=1):
                words = encode_recipe(recipe, m)
                start = m.write_slot_start(slot)
                for name, offset in fields:
                    if start + offset == m.write_ready_address:
                        continue
                    await connection.write(start + offset, words[offset:offset + m.field_width(name)])
            await connection.write(m.write_ready_address, [0])

    try:
        scan = await measure(link.read_all_slots)
        scan_fields = await measure(scan_by_field)
        download = await measure(lambda: plc_protocols.must_download(link, recipes), ready)
        download_fields = await measure(download_by_field, ready)
    finally:
        await connection.stop()
        await sim.stop()
    return {
        "scan_10_slots": scan, "scan_10_slots_field_by_field": scan_fields,
        "scan_ratio_median": round(scan_fields["median_ms"] / scan["median_ms"], 1),
        "download_10_recipes": download, "download_10_recipes_field_by_field": download_fields,
        "download_ratio_median": round(download_fields["median_ms"] / download["median_ms"], 1),
        "fields_per_slot": len(fields),
    }


# --------------------------------------------------------------------------------------- sync latency


async def bench_sync_latency(repeats: int) -> dict:
    import sqlalchemy

    from hmi.app.runtime import Runtime
    from hmi.config import load_settings
    from hmi.domain import Silo
    from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
    from hmi.sim.odoo_catalogue import SILO_INGREDIENTS, FakeMove
    from hmi.sim.plc import PlcSimulator

    odoo = FakeOdoo(port=0, mo_count=10)
    for number, mo in enumerate(odoo.orders.fake_mos()):  # 15 components each: every silo and both tanks
        mo.moves = [FakeMove(90_000 + number * 100 + i, 300 + i, SILO_INGREDIENTS[silo], 100.0 + i, silo.odoo_code)
                    for i, silo in enumerate(Silo)]
        mo.product_qty = sum(move.bom_qty for move in mo.moves)
    odoo.start()
    sim = PlcSimulator(port=0, batch_seconds=1000)
    await sim.start()
    sim.pause()
    workdir = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    url = f"sqlite:///{workdir / 'sync.db'}"
    ini = workdir / "settings.ini"
    ini.write_text("")
    runtime = Runtime(load_settings(ini, environ={
        "DATABASE_URL": url, "DATA_DIR": str(workdir / "data"), "ODOO_BASE_URL": odoo.base_url,
        "ODOO_DB": odoo.db, "ODOO_USERNAME": odoo.login, "ODOO_PASSWORD": DEFAULT_PASSWORD,
        "PLC_HOST": "127.0.0.1", "PLC_PORT": str(sim.port), "API_ENABLED": "false", "SYNC_BATCH_LIMIT": "10",
    }))
    await runtime.start()
    observer = sqlalchemy.create_engine(url)  # another connection: "visible" means committed
    times = []
    try:
        assert await runtime.plc.connection.wait_connected(5)
        for _ in range(repeats):
            sim.write_registers(runtime.plc.register_map.write_ready_address, [1])
            started = time.perf_counter()
            outcome = await runtime.sync.sync("manual")
            while True:
                with observer.connect() as conn:
                    if conn.exec_driver_sql("SELECT count(*) FROM mo_batch").scalar_one() == 10:
                        break
                await asyncio.sleep(0.001)
            times.append(time.perf_counter() - started)
            assert outcome.outcome == "synced" and outcome.count == 10, outcome
            await runtime.admin.clear("bench")
    finally:
        observer.dispose()
        await runtime.stop()
        await sim.stop()
        odoo.stop()
    return {"mos": 10, "components_per_mo": 15, **_stats(times)}


# -------------------------------------------------------------------------------------------- history


#: Every history query the window and GET /api/admin/history make (both call BatchStore.history.page).
HISTORY_QUERIES: tuple[tuple[str, str, dict], ...] = (
    ("page_unfiltered", "first page, no filter", {}),
    ("page_unfiltered_later", "page 201 by cursor, no filter", {"cursor": "@10000"}),
    ("page_by_status_completed", "first page by status (completed, 90%)", {"status": "completed"}),
    ("page_by_status_completed_later", "page 201 by cursor, completed", {"status": "completed", "cursor": "@10000"}),
    ("page_by_status_cancelled", "first page by status (cancelled, 5%)", {"status": "cancelled"}),
    ("page_by_status_cleared", "first page by status (cleared, 5%)", {"status": "cleared"}),
    ("page_by_status_failed", "first page by status (failed, none)", {"status": "failed"}),
    ("page_by_date_range", "first page, 30-day range (local midnights)", {"range_days": 30}),
    ("page_by_date_range_completed", "first page, 30-day range + completed", {"range_days": 30, "status": "completed"}),
    ("page_by_mo_text", "MO search '12345' (20 matches)", {"mo_text": "12345"}),
    ("page_by_mo_text_prefix", "MO search 'WH/MO/00123' (100 matches)", {"mo_text": "WH/MO/00123"}),
    ("page_by_mo_text_broad", "MO search 'MO/0' (every row: estimated total)", {"mo_text": "MO/0"}),
    ("page_by_offset_10000", "page 201 by offset (old clients)", {"offset": 10_000}),
)


def _time_queries(store, repeats: int = 15) -> dict:
    from datetime import timedelta

    newest = store.history.page(limit=1).entries[0].archived_at
    out = {"search": " / ".join(store.history.search_mode())}
    for name, _label, spec in HISTORY_QUERIES:
        kwargs = {k: v for k, v in spec.items() if k != "range_days"}
        if "range_days" in spec:  # a range the window would send: 30 local days ending a week ago
            until = (newest - timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)
            until = until + timedelta(hours=7)  # Asia/Jakarta midnight, not a UTC day boundary
            kwargs.update(since=until - timedelta(days=spec["range_days"]), until=until)
        if kwargs.get("cursor") == "@10000":  # walk there once (not timed), as an operator paging would
            cursor, pages = None, 0
            while pages < 200:
                cursor = store.history.page(limit=50, cursor=cursor, status=kwargs.get("status")).next_cursor
                pages += 1
            kwargs["cursor"] = cursor
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            page = store.history.page(limit=50, **kwargs)
            times.append(time.perf_counter() - started)
        out[name] = {**_stats(times), "total": page.total, "estimate": page.total_is_estimate,
                     "returned": len(page.entries)}
    return out


def bench_history(rows: int) -> dict:
    from bench.history_data import load_postgres, load_sqlite
    from hmi.store import BatchStore, create_database_engine, migrate

    result: dict = {"rows": rows}
    workdir = Path(tempfile.mkdtemp(prefix="bench-history-"))
    path = workdir / "history.db"
    engine = create_database_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    started = time.perf_counter()
    load_sqlite(str(path), rows)
    result["sqlite_load_s"] = round(time.perf_counter() - started, 1)
    engine = create_database_engine(f"sqlite:///{path}")
    result["sqlite"] = _time_queries(BatchStore(engine))
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
        engine = create_database_engine(server.create_database("bench_history"))
        migrate(engine)
        started = time.perf_counter()
        load_postgres(engine, rows)
        result["postgresql_load_s"] = round(time.perf_counter() - started, 1)
        result["postgresql"] = _time_queries(BatchStore(engine))
        engine.dispose()
    finally:
        server.stop()
    return result


# --------------------------------------------------------------------------------------------- memory


async def bench_memory(cycles: int) -> dict:
    """RSS of a Runtime (the headless service's object graph) after 100 and after N poll rounds.

    The PLC simulator and the fake Odoo run as separate processes, so the RSS is the service's own.
    The rounds are run back to back (no timer wait): poll + completion, and a sync whenever the table
    is empty, so batches are fetched, dosed, pushed and archived during the run.
    """
    import psutil

    from hmi.app.runtime import Runtime
    from hmi.config import load_settings
    from tools.support import pick_free_port
    from tools.support.service_process import clean_env, spawn, stop

    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    plc_port, odoo_port = pick_free_port(), pick_free_port()
    env = clean_env()
    sims = [spawn(["-m", "hmi.sim.plc", "--port", str(plc_port), "--speed", "20"], env, workdir, "plc.log"),
            spawn(["-m", "hmi.sim.odoo", "--port", str(odoo_port), "--mos", "3000"], env, workdir, "odoo.log")]
    ini = workdir / "settings.ini"
    ini.write_text("")
    runtime = Runtime(load_settings(ini, environ={
        "DATABASE_URL": f"sqlite:///{workdir / 'mem.db'}", "DATA_DIR": str(workdir / "data"),
        "ODOO_BASE_URL": f"http://127.0.0.1:{odoo_port}", "ODOO_DB": "feedmill", "ODOO_USERNAME": "admin",
        "ODOO_PASSWORD": "admin", "PLC_HOST": "127.0.0.1", "PLC_PORT": str(plc_port), "API_ENABLED": "false",
        "SYNC_BATCH_LIMIT": "10",
    }))
    process = psutil.Process()
    marks: dict[int, float] = {}
    try:
        await asyncio.sleep(1.0)
        await runtime.start()
        assert await runtime.plc.connection.wait_connected(10)
        started = time.perf_counter()
        for round_no in range(1, cycles + 1):
            if round_no % 25 == 1 and await runtime.db(runtime.store.count_batches) == 0:
                await runtime.sync.sync("timer")
            await runtime.poll_and_complete()
            if round_no in (100, 1000, cycles):
                marks[round_no] = process.memory_info().rss / 2**20
        elapsed = time.perf_counter() - started
        completed = (await runtime.admin.history(status="completed")).total
    finally:
        await runtime.stop()
        for sim in sims:
            stop(sim)
    return {"poll_cycles": cycles, "rss_mb_after_100": round(marks[100], 1),
            f"rss_mb_after_{cycles}": round(marks[cycles], 1),
            "growth_mb": round(marks[cycles] - marks[100], 1), "batches_completed": completed,
            "ms_per_poll_round": round(elapsed / cycles * 1000, 2), "in_process": True}


# ---------------------------------------------------------------------------------------------- main


def bench_gui(seconds: float, history_rows: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.gui_loop", str(seconds), str(history_rows)],
                         cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    if out.returncode != 0:
        return {"error": f"not measured: exit {out.returncode}: {out.stderr.strip()[-300:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results: dict) -> str:
    lines = ["| Benchmark | Figure |", "|---|---|"]
    plc = results.get("plc")
    if plc:
        for key, label in (("scan_10_slots", "PLC READ scan, 10 slots (block reads)"),
                           ("scan_10_slots_field_by_field", "PLC READ scan, 10 slots, one request per field"),
                           ("download_10_recipes", "PLC download, 10 recipes (one write per slot)"),
                           ("download_10_recipes_field_by_field",
                            "PLC download, 10 recipes, one write per field (origin)")):
            f = plc[key]
            lines.append(f"| {label} | {f['requests']} requests, median {f['median_ms']} ms, p95 {f['p95_ms']} ms |")
        lines.append(f"| Field-by-field / block, median | scan x{plc['scan_ratio_median']}, "
                     f"download x{plc['download_ratio_median']} |")
    gui = results.get("gui")
    if gui:
        if "error" in gui:
            lines.append(f"| GUI-loop heartbeat | {gui['error']} |")
        else:
            lines.append(f"| GUI-loop 10 ms heartbeat gap (Odoo answers after 2 s, {gui['history_rows']:,} "
                         f"history rows, poll 1 Hz, {gui['seconds']:g} s, {gui['syncs']} syncs) | "
                         f"max {gui['gap_max_ms']} ms, p99 {gui['gap_p99_ms']} ms, median {gui['gap_median_ms']} ms |")
    sync = results.get("sync")
    if sync:
        lines.append(f"| Sync trigger -> 10 rows visible (10 MOs x 15 components, PLC download included) | "
                     f"median {sync['median_ms']} ms, p95 {sync['p95_ms']} ms (n={sync['n']}) |")
    history = results.get("history")
    if history:
        for backend in ("sqlite", "postgresql"):
            figures = history.get(backend)
            if isinstance(figures, str):
                lines.append(f"| History, {backend} | {figures} |")
                continue
            lines.append(f"| History {backend}: MO search | {figures.get('search', '?')} |")
            for key, label, _spec in HISTORY_QUERIES:
                f = figures.get(key)
                if not f:
                    continue
                total = f"about {f['total']:,}" if f.get("estimate") else f"{f['total']:,}"
                lines.append(f"| History {backend}, {history['rows']:,} rows: {label} | median {f['median_ms']} ms, "
                             f"p95 {f['p95_ms']} ms (total {total}) |")
    memory = results.get("memory")
    if memory:
        n = memory["poll_cycles"]
        lines.append(f"| Service RSS after 100 / {n:,} poll rounds | {memory['rss_mb_after_100']} MB / "
                     f"{memory[f'rss_mb_after_{n}']} MB (growth {memory['growth_mb']} MB, "
                     f"{memory['batches_completed']} batches completed) |")
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    only = {s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()}
    repeats = _env_int("BENCH_REPEATS", 50)
    # Sections not run this time keep their last figures (each section carries its own date).
    results: dict = json.loads(RESULTS.read_text()) if RESULTS.exists() and only else {}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results.update({"date": now, "machine": machine()})

    def want(name: str) -> bool:
        return not only or name in only

    def section(name: str, run) -> None:
        if not want(name):
            return
        print(f"[bench] {name} ...", flush=True)
        started = time.perf_counter()
        try:
            results[name] = run()
            if isinstance(results[name], dict):
                results[name]["measured_at"] = now
        except Exception as exc:  # noqa: BLE001 - one failed section must not lose the others
            results[name + "_error"] = f"not measured: {type(exc).__name__}: {exc}"
            print(f"[bench] {name} failed: {exc}", flush=True)
        print(f"[bench] {name} done in {time.perf_counter() - started:.0f} s", flush=True)

    section("plc", lambda: asyncio.run(bench_plc(repeats)))
    section("protocols", lambda: plc_protocols.run(repeats))
    section("gui", lambda: bench_gui(float(os.environ.get("BENCH_GUI_SECONDS", 20)),
                                     _env_int("BENCH_GUI_HISTORY_ROWS", 100_000)))
    section("sync", lambda: asyncio.run(bench_sync_latency(min(repeats, 30))))
    section("history", lambda: bench_history(_env_int("BENCH_HISTORY_ROWS", 1_000_000)))
    section("memory", lambda: asyncio.run(bench_memory(_env_int("BENCH_POLL_CYCLES", 10_000))))

    results["table"] = table(results)
    if "protocols" in results:
        results["table"] += "\n\n" + plc_protocols.table(results["protocols"])
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(results["table"])
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0
