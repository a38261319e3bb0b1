"""--self-check: prove an installation can run, one line per check, exit 0 only if all pass.

A check may also warn ("WARN" line): the installation runs, but something should be fixed.
Warnings do not fail the self-check.
"""

from __future__ import annotations

import sys
from typing import Callable

from hmi import __version__
from hmi.config import Settings, mask_url_password
from hmi.resources import resource_path

Check = Callable[[], str]


class CheckWarning(Exception):
    """Raised by a check that passes with a warning: printed as a WARN line, not a failure."""


def _database(settings: Settings) -> str:
    from hmi.store import create_database_engine, migrate
    from hmi.store.database import current_revision, head_revision

    url = settings.resolved_database_url
    engine = create_database_engine(url)
    try:
        migrate(engine)
        revision = current_revision(engine)
        if revision != head_revision():
            raise RuntimeError(f"schema at {revision}, expected {head_revision()}")
    finally:
        engine.dispose()
    return f"{mask_url_password(url)} at schema revision {revision}"


def _durability(settings: Settings) -> str:
    from hmi.store import create_database_engine
    from hmi.store.database import check_durability, durability_settings

    engine = create_database_engine(settings.resolved_database_url)
    try:
        problems = check_durability(engine)
        shown = durability_settings(engine)
    finally:
        engine.dispose()
    if problems:
        raise CheckWarning("; ".join(problems))
    backend = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine.dialect.name, engine.dialect.name)
    settings_shown = ", ".join(f"{name}={value}" for name, value in shown.items())
    return f"{backend} {settings_shown}; a commit is on disk before the PLC is written"


def _data_folder(settings: Settings) -> str:
    where = "from DATA_DIR" if settings.data_dir else "machine-wide"
    if settings.data_dir_warning:
        where = f"per-user fallback: {settings.data_dir_warning}"
    database = "" if settings.database_url else f"; SQLite database {settings.data_path / 'batch_hmi.db'}"
    return f"{settings.data_path} ({where}){database}; logs in {settings.log_path}"


def _line(settings: Settings) -> str:
    from hmi.store import LineInstanceLock, create_database_engine
    from hmi.store.instance_lock import describe_line

    engine = create_database_engine(settings.resolved_database_url)
    try:
        holder = LineInstanceLock(engine, settings.line_filter).holder()
    finally:
        engine.dispose()
    line = describe_line(settings.line_filter or "")
    return f"{line}: no instance serves it now" if holder is None else holder.replace("; stop it first", "")


def _register_map(settings: Settings) -> str:
    from hmi.plc import load_register_map

    register_map = load_register_map(settings.plc_register_map or None)
    return (f"{settings.plc_register_map or 'built-in map'}: {register_map.slot_count} slots, "
            f"REAL {register_map.real_encoding.value}")


def _resources() -> str:
    required = ["theme.qss", "plc_register_map.json"]
    missing = [name for name in required if not resource_path(name).is_file()]
    if missing:
        raise FileNotFoundError(f"missing in {resource_path('')}: {', '.join(missing)}")
    icons = sorted(p.name for p in resource_path("icons").glob("*.svg")) if resource_path("icons").is_dir() else []
    return f"{resource_path('')} (theme, register map, {len(icons)} icons)"


def _qt() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication  # noqa: F401 - proves the Qt libraries load

    return f"PySide6 {pyside_version}"


def run_self_check(settings: Settings) -> int:
    checks: list[tuple[str, Check]] = [
        ("settings", lambda: f"{settings.config_path or 'built-in defaults'}"),
        ("data folder", lambda: _data_folder(settings)),
        ("database", lambda: _database(settings)),
        ("durability", lambda: _durability(settings)),
        ("line", lambda: _line(settings)),
        ("register map", lambda: _register_map(settings)),
        ("resources", _resources),
        ("qt", _qt),
    ]
    print(f"Batch HMI {__version__} self-check")
    failed = warned = 0
    for name, check in checks:
        try:
            detail = check()
        except CheckWarning as warning:
            warned += 1
            print(f"WARN {name}: {warning}")
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line
            failed += 1
            print(f"FAIL {name}: {exc}")
        else:
            print(f"ok   {name}: {detail}")
    if failed:
        print(f"self-check FAILED ({failed} of {len(checks)})")
    else:
        print("self-check passed" + (f" with {warned} warning(s)" if warned else ""))
    sys.stdout.flush()
    return 0 if not failed else 1


__all__ = ["run_self_check"]
