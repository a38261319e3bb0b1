"""Start-up failures an operator can act on.

Said in this order, in the log and in the GUI's dialog: first one line naming what failed
("Cannot connect to the database at 127.0.0.1:1: connection refused"), then the details
(the driver's own words, without SQL or links), then that Batch HMI has stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hmi.api.errors import ApiStartError
from hmi.odoo import OdooError
from hmi.plc import RegisterMapError
from hmi.store import DatabaseError
from hmi.store.instance_lock import InstanceConflict

STARTUP_ERRORS = (DatabaseError, ApiStartError, RegisterMapError, OdooError)

STOPPED_LINE = "Batch HMI stopped."

#: Driver texts that carry nothing for an operator (SQLAlchemy's help links, the SQL itself).
_NOISE = (re.compile(r"^\(Background on this error at: .*\)$"), re.compile(r"^\[SQL: .*"),
          re.compile(r"^\[parameters: .*"))
_DRIVER_PREFIX = re.compile(r"^\((?:psycopg2|sqlite3|sqlalchemy)[\w.]*\)\s*")
_REASONS = (
    ("connection refused", "connection refused"),
    ("could not translate host name", "unknown host name"),
    ("name or service not known", "unknown host name"),
    ("timeout expired", "no answer (timeout)"),
    ("password authentication failed", "the user name or password was refused"),
    ("does not exist", "the database does not exist"),
    ("unable to open database file", "the database file cannot be opened"),
    ("database is locked", "the database file is locked by another program"),
)


@dataclass(frozen=True)
class StartupFailure:
    headline: str
    details: list[str]

    def lines(self) -> list[str]:
        return [self.headline, *self.details, STOPPED_LINE]

    def text(self) -> str:
        return "\n".join(self.lines())


def describe_startup_error(exc: BaseException, database_url: str | None = None) -> StartupFailure:
    """What failed (one line), then the details, for any of STARTUP_ERRORS."""
    if isinstance(exc, InstanceConflict):
        return StartupFailure(str(exc), [])  # already the one line: who serves the line, and what to do
    if isinstance(exc, DatabaseError):
        return _database_failure(exc, database_url)
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return StartupFailure(f"Cannot start: {type(exc).__name__}", [])
    return StartupFailure(f"Cannot start: {lines[0]}", lines[1:])


def _database_failure(exc: DatabaseError, database_url: str | None) -> StartupFailure:
    driver = exc.__cause__
    original = getattr(driver, "orig", None) or driver
    raw = str(original) if original is not None else str(exc)
    details = []
    for line in raw.strip().splitlines():
        line = _DRIVER_PREFIX.sub("", line.strip())
        if line and not any(pattern.match(line) for pattern in _NOISE):
            details.append(line)
    lowered = raw.lower()
    reason = next((word for needle, word in _REASONS if needle in lowered), None)
    where = _where(database_url)
    headline = f"Cannot connect to the database{where}"
    if reason is None:
        headline = f"Cannot open the database{where}"
        reason = details[0] if details else str(exc)
    return StartupFailure(f"{headline}: {reason}", details)


def _where(database_url: str | None) -> str:
    if not database_url:
        return ""
    try:
        from sqlalchemy.engine import make_url

        url = make_url(database_url)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is named by the details instead
        return ""
    if url.get_backend_name() == "sqlite":
        return f" file {url.database}" if url.database else ""
    host = url.host or "localhost"
    port = url.port or 5432
    return f" at {host}:{port}"
