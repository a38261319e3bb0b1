"""What a durable commit costs: one sync cycle on a SQLite file, synchronous=NORMAL against FULL (WAL both).

    PYTHONPATH=. python -m bench.durability          # BENCH_CYCLES (200), BENCH_DIR (a folder on the
                                                     # disk to measure; default: the system temp folder)

A cycle is what one fill of 10 MOs costs the store, as the product does it: the 10 rows stored as
``pending`` in one transaction (``BatchStore.insert_batches(download_state=PENDING)``, before the
sync writes the PLC), ``mark_downloaded``, 10 PLC readings applied (each batch done), 10 archived
as completed: 22 transactions, each one commit. NORMAL and FULL cycles alternate on two database
files in the same folder, so both see the same machine load. The product runs FULL
(``hmi.store.database.SQLITE_SYNCHRONOUS``); NORMAL is set here by the benchmark only.

Prints a table and writes bench/results-durability.json. Figures, not tests: nothing is asserted.
A folder on tmpfs would measure nothing (no disk): the file system is recorded with the figures.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.run import _stats, machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-durability.json"
MODES = ("NORMAL", "FULL")
BATCHES_PER_CYCLE = 10
#: Transactions (commits) per cycle: insert, mark_downloaded, one per reading, one per archive.
COMMITS_PER_CYCLE = 2 + 2 * BATCHES_PER_CYCLE
WARM_UP_CYCLES = 5


def _engine(path: Path, synchronous: str):
    from sqlalchemy import event

    from hmi.store import create_database_engine, migrate
    from hmi.store.database import SQLITE_SYNCHRONOUS, durability_settings

    engine = create_database_engine(f"sqlite:///{path}")
    if synchronous != SQLITE_SYNCHRONOUS:
        @event.listens_for(engine, "connect")
        def _override(dbapi_connection, _record) -> None:  # after the product's own tuning
            dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")
    migrate(engine)
    shown = durability_settings(engine)
    if shown != {"synchronous": synchronous, "journal_mode": "WAL"}:
        raise RuntimeError(f"{path.name}: expected synchronous={synchronous} with WAL, the engine has {shown}")
    return engine


def _cycle(store, first_number: int) -> float:
    """One sync cycle of BATCHES_PER_CYCLE MOs; returns its seconds."""
    from hmi.domain import DownloadState, HistoryStatus
    from tools.support.factories import make_mo, make_reading

    orders = [make_mo(first_number + index, silos=8) for index in range(BATCHES_PER_CYCLE)]
    readings = [make_reading(mo, batch_no, fraction=1.0, done=True) for batch_no, mo in enumerate(orders, start=1)]
    started = time.perf_counter()
    store.insert_batches(orders, "PLC01", require_empty=True, download_state=DownloadState.PENDING)
    store.mark_downloaded([mo.mo_id for mo in orders])
    for reading in readings:
        result = store.apply_plc_reading(reading, max_kg_per_silo=10_000.0)
        if not result.became_done:
            raise RuntimeError(f"reading of {reading.mo_id} not applied: {result}")
    for mo in orders:
        if not store.archive(mo.mo_id, HistoryStatus.COMPLETED):
            raise RuntimeError(f"{mo.mo_id} not archived")
    return time.perf_counter() - started


def _filesystem(path: Path) -> str:
    """'ext4 on /dev/vda' for the mount holding ``path`` (Linux), else ''."""
    best = ("", "", "")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, fstype = line.split()[:3]
            if str(path.resolve()).startswith(mount.rstrip("/") + "/") and len(mount) > len(best[1]):
                best = (device, mount, fstype)
    except OSError:
        return ""
    return f"{best[2]} on {best[0]} (mounted at {best[1]})" if best[1] else ""


def _fsync_ms(folder: Path, repeats: int = 200) -> dict:
    """What the disk under ``folder`` takes to sync a 4 KiB append: the unit FULL pays once per commit."""
    path = folder / "fsync.probe"
    times = []
    with open(path, "ab") as probe:
        for _ in range(repeats):
            probe.write(b"\0" * 4096)
            probe.flush()
            started = time.perf_counter()
            os.fsync(probe.fileno())
            times.append(time.perf_counter() - started)
    path.unlink()
    return _stats(times)


def run(cycles: int, folder: Path | None = None) -> dict:
    from hmi.store import BatchStore

    workdir = Path(tempfile.mkdtemp(prefix="bench-durability-", dir=folder))
    engines = {mode: _engine(workdir / f"sync-{mode.lower()}.db", mode) for mode in MODES}
    stores = {mode: BatchStore(engine) for mode, engine in engines.items()}
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    try:
        fsync = _fsync_ms(workdir)
        for cycle in range(WARM_UP_CYCLES + cycles):
            for mode in (MODES if cycle % 2 == 0 else MODES[::-1]):  # alternate which goes first
                seconds = _cycle(stores[mode], 1 + cycle * BATCHES_PER_CYCLE)
                if cycle >= WARM_UP_CYCLES:
                    times[mode].append(seconds)
    finally:
        for engine in engines.values():
            engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
    result: dict = {"cycles": cycles, "batches_per_cycle": BATCHES_PER_CYCLE, "commits_per_cycle": COMMITS_PER_CYCLE,
                    "folder": str(workdir.parent), "filesystem": _filesystem(workdir.parent),
                    "fsync_4kib": fsync}
    for mode in MODES:
        stats = _stats(times[mode])
        stats["per_commit_median_ms"] = round(stats["median_ms"] / COMMITS_PER_CYCLE, 3)
        result[mode.lower()] = stats
    normal, full = result["normal"], result["full"]
    result["full_minus_normal_median_ms"] = round(full["median_ms"] - normal["median_ms"], 2)
    result["full_over_normal_median"] = round(full["median_ms"] / normal["median_ms"], 2)
    return result


def table(result: dict) -> str:
    lines = [f"| SQLite file, WAL, one sync cycle ({result['batches_per_cycle']} MOs: store pending, mark downloaded, "
             f"{result['batches_per_cycle']} readings, {result['batches_per_cycle']} archives = "
             f"{result['commits_per_cycle']} commits) | median | p95 | max | per commit (median) |",
             "|---|---|---|---|---|"]
    for mode in MODES:
        f = result[mode.lower()]
        lines.append(f"| synchronous={mode}{' (the product)' if mode == 'FULL' else ''} | {f['median_ms']} ms | "
                     f"{f['p95_ms']} ms | {f['max_ms']} ms | {f['per_commit_median_ms']} ms |")
    lines.append(f"| FULL - NORMAL | {result['full_minus_normal_median_ms']} ms per cycle "
                 f"(x{result['full_over_normal_median']}) | | | |")
    f = result["fsync_4kib"]
    lines.append(f"| the disk: fsync of a 4 KiB append | {f['median_ms']} ms | {f['p95_ms']} ms | {f['max_ms']} ms | |")
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    folder = Path(os.environ["BENCH_DIR"]) if os.environ.get("BENCH_DIR") else None
    cycles = int(os.environ.get("BENCH_CYCLES", 200))
    started = time.perf_counter()
    result = run(cycles, folder)
    results = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
               "sync_cycle": result, "seconds": round(time.perf_counter() - started, 1)}
    results["table"] = table(result)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{cycles} cycles per mode on {result['filesystem'] or result['folder']}")
    print(results["table"])
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
