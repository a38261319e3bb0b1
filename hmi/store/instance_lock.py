"""One instance per line: a second Batch HMI for the same line and database refuses to start.

The lock itself is one the operating system or the database server releases when its holder
dies, so a crashed instance (power cut, SIGKILL) never blocks the next start:

- PostgreSQL: a session-level advisory lock, keyed by the line, held on a dedicated connection
  for the life of the process. The server drops it when that session ends; server-side TCP
  keepalives (set on every connection, see hmi.store.database) end the session of a PC that
  vanished from the network within about a minute.
- SQLite: an exclusive OS lock (flock / LockFileEx) on a small file beside the database file,
  held open for the life of the process; the kernel drops it when the process ends.

The ``line_instances`` table says who holds the lock (host, PID, start, heartbeat), so the
refusal can name the other instance. The row is written only by the lock's holder, so a row
left behind by a crashed instance is simply overwritten by the next one.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import zlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.engine import make_url

from hmi.store.database import DatabaseError
from hmi.store.models import line_instances
from hmi.store.repository import utc_now

log = logging.getLogger("hmi.store")

#: First key of pg_try_advisory_lock(int4, int4): "BHMI" in ASCII; the second is the line's CRC-32.
ADVISORY_NAMESPACE = 0x42484D49


class InstanceConflict(DatabaseError):
    """Another instance serves this line on this database; the message names it."""


def describe_line(line: str) -> str:
    return f"line {line}" if line else "the whole mo_batch table (LINE_EQUIPMENT_CODE empty)"


def _int4(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


class LineInstanceLock:
    def __init__(self, engine: Engine, line: str | None) -> None:
        self.engine = engine
        self.line = line or ""
        self.host = socket.gethostname()[:255]
        self.pid = os.getpid()
        self._connection: Connection | None = None
        self._file: IO | None = None
        self.held = False

    # ------------------------------------------------------------------ public

    def acquire(self) -> None:
        """Take the line or raise :class:`InstanceConflict` naming the instance that has it."""
        if not self._take():
            raise InstanceConflict(self._conflict_message())
        self.held = True
        now = utc_now()
        with self.engine.begin() as conn:
            conn.execute(delete(line_instances).where(line_instances.c.line == self.line))
            conn.execute(insert(line_instances).values(line=self.line, host=self.host, pid=self.pid,
                                                       started_at=now, heartbeat_at=now))
        log.info("Serving %s on this database (host %s, PID %d)", describe_line(self.line), self.host, self.pid)

    def holder(self) -> str | None:
        """Who serves the line right now (the refusal's text), or None if nobody does; takes nothing."""
        if self._take():
            self.release()
            return None
        return self._conflict_message()

    def heartbeat(self) -> None:
        """Refresh heartbeat_at; on PostgreSQL also take the lock again if its session was lost."""
        if not self.held:
            return
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
            except Exception as exc:  # noqa: BLE001 - the session (and with it the lock) is gone
                log.warning("The database session holding the line lock was lost (%s); taking the lock again",
                            str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                self._drop_connection()
                if not self._take():
                    log.error("%s", self._conflict_message())
                    return
                log.info("Line lock taken again for %s", describe_line(self.line))
        with self.engine.begin() as conn:
            conn.execute(update(line_instances)
                         .where(line_instances.c.line == self.line, line_instances.c.pid == self.pid,
                                line_instances.c.host == self.host)
                         .values(heartbeat_at=utc_now()))

    def release(self) -> None:
        """Give the line up (never blocks on the database: the lock goes with its session or file)."""
        self.held = False
        self._drop_connection()
        if self._file is not None:
            self._file.close()
            self._file = None

    # ------------------------------------------------------------------ the lock

    def _take(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._take_advisory_lock()
        return self._take_file_lock()

    def _take_advisory_lock(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        key = _int4(zlib.crc32(self.line.encode("utf-8")))
        try:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:namespace, :key)"),
                                       {"namespace": ADVISORY_NAMESPACE, "key": key}).scalar()
        except BaseException:
            connection.invalidate()
            connection.close()
            raise
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def _drop_connection(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                # Closed for good, not returned to the pool: the session, and the lock with it, ends.
                connection.invalidate()
                connection.close()
            except Exception:  # noqa: BLE001 - the session is gone either way
                pass

    def lock_file_path(self) -> Path | None:
        database = make_url(str(self.engine.url)).database
        if not database or database == ":memory:":
            return None
        suffix = f".instance-{re.sub(r'[^A-Za-z0-9_-]', '_', self.line)}.lock" if self.line else ".instance.lock"
        path = Path(database).expanduser()
        return path.with_name(path.name + suffix)

    def _take_file_lock(self) -> bool:
        path = self.lock_file_path()
        if path is None:
            return True  # an in-memory database cannot be shared
        handle = open(path, "a+b")  # noqa: SIM115 - held open for the life of the process
        try:
            if os.name == "nt":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    # ------------------------------------------------------------------ the refusal

    def _conflict_message(self) -> str:
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(line_instances).where(line_instances.c.line == self.line)).first()
        except Exception:  # noqa: BLE001 - the refusal must still be said
            row = None
        head = f"Another Batch HMI instance serves {describe_line(self.line)} on this database"
        if row is None:
            return f"{head} (host and PID not recorded yet); stop it first"
        started = row.started_at
        if started.tzinfo is not None:
            started = started.astimezone(utc_now().tzinfo)
        return (f"{head}: host {row.host}, PID {row.pid} (started {started:%Y-%m-%d %H:%M} UTC); "
                f"stop it first")
