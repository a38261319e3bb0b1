"""Figures of the packaged executable: size on disk and cold-start times (printed, not asserted).

    python bench/bench_bundle.py [--bundle dist/batch-hmi] [--runs 5]

Builds dist/batch-hmi/ first when it is missing (the same command as `make package`). Every
run starts the executable as a new process with empty per-user folders, i.e. as on a fresh
machine: `--self-check` then seeds the settings file, creates the SQLite database and migrates
it. The window figure is the time until the window is shown (its "window open" log line) with
QT_QPA_PLATFORM=offscreen and no PLC, Odoo or API, cold (a new home each run) and warm (the
home of an earlier start, database already there). Medians of --runs runs; the first run is
also reported separately because it alone may read the files from disk rather than from the
page cache. Writes bench/results-bundle.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results-bundle.json"
EXE_NAME = "batch-hmi.exe" if sys.platform == "win32" else "batch-hmi"
WINDOW_OPEN = "Batch HMI window open"


def build(dist: Path) -> None:
    print(f"building the bundle into {dist} ...", flush=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(ROOT / "build"),
                    str(ROOT / "packaging" / "batch-hmi.spec")],
                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)


def size_on_disk(folder: Path) -> dict:
    """Bytes of the regular files (symlinks not followed), in total and for the biggest parts."""
    total = 0
    files = 0
    parts: dict[str, int] = {}
    contents = folder / "_internal"
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        files += 1
        relative = path.relative_to(contents) if contents in path.parents else Path(path.name)
        key = relative.parts[0] if len(relative.parts) > 1 else "(top-level libraries and executable)"
        parts[key] = parts.get(key, 0) + size
    biggest = sorted(parts.items(), key=lambda item: -item[1])[:8]
    return {"total_mb": round(total / 1e6, 1), "files": files,
            "largest_parts_mb": {name: round(size / 1e6, 1) for name, size in biggest}}


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    prefixes = ("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_", "DATA_DIR", "LOG_LEVEL", "PYTHON")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                "APPDATA": str(home / "Roaming"), "LOCALAPPDATA": str(home / "Local"),
                "QT_QPA_PLATFORM": "offscreen", "DATA_DIR": str(home / "data" / "batch-hmi")})
    env.update(extra)
    return env


def time_to_exit(exe: Path, args: list[str], ok_codes: tuple[int, ...]) -> float:
    with tempfile.TemporaryDirectory(prefix="batch-hmi-bench-") as home:
        started = time.perf_counter()
        result = subprocess.run([str(exe), *args], cwd=home, env=fresh_env(Path(home)), capture_output=True,
                                text=True, timeout=120)
        elapsed = time.perf_counter() - started
    if result.returncode not in ok_codes:
        raise RuntimeError(f"{exe.name} {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return elapsed


def time_to_window(exe: Path, home: Path | None = None) -> float:
    """Start to "window open": in a new empty home (cold: settings seeded, database created and
    migrated), or in ``home`` kept from an earlier start (warm: the database is there)."""
    with tempfile.TemporaryDirectory(prefix="batch-hmi-bench-") as fresh:
        home = home or Path(fresh)
        env = fresh_env(Path(home), PLC_ENABLED="false", API_ENABLED="false", ENABLE_AUTO_SYNC="false")
        started = time.perf_counter()
        process = subprocess.Popen([str(exe)], cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        seen = []
        try:
            for line in process.stdout:
                seen.append(line)
                if WINDOW_OPEN in line:
                    elapsed = time.perf_counter() - started
                    break
            else:
                raise RuntimeError(f"the window never opened:\n{''.join(seen)}")
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM if sys.platform != "win32" else signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return elapsed


def summarise(samples: list[float]) -> dict:
    return {"runs": len(samples), "median_s": round(statistics.median(samples), 3),
            "first_s": round(samples[0], 3), "min_s": round(min(samples), 3), "max_s": round(max(samples), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "batch-hmi", help="bundle folder")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median reported)")
    args = parser.parse_args(argv)

    exe = args.bundle / EXE_NAME
    if not exe.is_file():
        build(args.bundle.parent)
    results: dict = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "bundle": str(args.bundle),
        "size": size_on_disk(args.bundle),
    }
    print(f"bundle size: {results['size']['total_mb']} MB in {results['size']['files']} files")
    for name, size in results["size"]["largest_parts_mb"].items():
        print(f"  {size:7.1f} MB  {name}")

    # A self-check fails only its resources line until the window's theme is merged; still timed.
    figures = {
        "version": lambda: time_to_exit(exe, ["--version"], (0,)),
        "self_check": lambda: time_to_exit(exe, ["--self-check"], (0, 1)),
    }
    warm_home = Path(tempfile.mkdtemp(prefix="batch-hmi-bench-warm-"))
    if (ROOT / "hmi" / "app" / "gui.py").is_file():
        figures["window"] = lambda: time_to_window(exe)
        time_to_window(exe, warm_home)  # seeds settings and database; not timed
        figures["window_warm"] = lambda: time_to_window(exe, warm_home)
    else:
        results["window"] = {"skipped": "hmi.app.gui is not in this checkout (the operator window is built "
                                        "on another branch); rebuild the bundle after merging it"}
    for name, measure in figures.items():
        samples = [measure() for _ in range(args.runs)]
        results[name] = summarise(samples)
        figure = results[name]
        print(f"cold start {name:<10}: median {figure['median_s']:.2f} s (first {figure['first_s']:.2f} s, "
              f"min {figure['min_s']:.2f}, max {figure['max_s']:.2f}, {figure['runs']} runs)")
    if "skipped" in results.get("window", {}):
        print(f"cold start window    : skipped - {results['window']['skipped']}")

    import shutil

    shutil.rmtree(warm_home, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
