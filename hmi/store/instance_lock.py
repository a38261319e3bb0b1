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
left behind by a crashed instance is simply overwritten by the next one; its ``epoch`` only
grows: each take adds one, and the taker's :class:`~hmi.store.fencing.LineFence` carries it
into every write (see hmi.store.fencing).

**The whole table and the lines exclude each other.** An instance with LINE_EQUIPMENT_CODE
empty serves every line's rows, so it may not run beside a line instance on the same
database, nor a line instance beside it. After taking its own lock, an instance probes the
other kind (the whole-table lock for a line instance; every recorded line's lock for the
whole-table instance); if one is held, it gives its lock back and refuses to start. Two
starting at the same moment may both refuse, never both run.

**A lost lock is not taken again silently.** When the heartbeat finds the lock's session gone
(PostgreSQL), the fence is marked lost at once, so every write of this instance is refused
and its automation stops; :meth:`LineInstanceLock.reacquire` takes the lock with a new epoch
when nobody else has it, and the services reconcile with the PLC before they go on.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
import zlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.engine import make_url

from hmi.store.database import DatabaseError
from hmi.store.fencing import LineFence, PreviousHolder
from hmi.store.models import line_instances
from hmi.clock import utc_now
from hmi.operator_text import first_line

log = logging.getLogger("hmi.store")

#: First key of pg_try_advisory_lock(int4, int4): "BHMI" in ASCII; the second is the line's CRC-32.
ADVISORY_NAMESPACE = 0x42484D49

#: A line instance finding the whole-table lock taken looks again this often (another line
#: instance starting at the same moment holds it for an instant while it probes).
PROBE_ATTEMPTS = 5
PROBE_PAUSE_SECONDS = 0.05


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
        self.fence: LineFence | None = None

    # ------------------------------------------------------------------ public

    def acquire(self) -> LineFence:
        """Take the line or raise :class:`InstanceConflict` naming the instance that has it.

        Returns the fence with this take's epoch (one more than any before on this line)."""
        if not self._take():
            raise InstanceConflict(self._conflict_message())
        other = self._other_kind_serving()
        if other is not None:
            self.release()
            raise InstanceConflict(other)
        self.held = True
        self.fence = LineFence(self.line, *self._new_epoch())
        log.info("Serving %s on this database (host %s, PID %d, epoch %d)", describe_line(self.line), self.host,
                 self.pid, self.fence.epoch)
        return self.fence

    def reacquire(self) -> bool:
        """After the lock was lost: take it again with a new epoch if nobody else has it.

        True when taken (the fence carries the new epoch and is no longer lost)."""
        self._drop_connection()
        if not self._take():
            return False
        epoch, previous = self._new_epoch()
        if self.fence is None:
            self.fence = LineFence(self.line, epoch, previous)
        else:
            self.fence.regained(epoch, previous)
        self.held = True
        log.warning("Line lock taken again for %s with epoch %d", describe_line(self.line), epoch)
        return True

    def _new_epoch(self) -> tuple[int, PreviousHolder | None]:
        """One more than the stored epoch; this instance becomes the line's recorded holder."""
        now = utc_now()
        with self.engine.begin() as conn:
            query = select(line_instances).where(line_instances.c.line == self.line)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            epoch = (row.epoch if row is not None else 0) + 1
            values = dict(host=self.host, pid=self.pid, started_at=now, heartbeat_at=now, epoch=epoch)
            if row is None:
                conn.execute(insert(line_instances).values(line=self.line, **values))
            else:
                conn.execute(update(line_instances).where(line_instances.c.line == self.line).values(**values))
        previous = None
        if row is not None:
            previous = PreviousHolder(row.epoch, row.host, row.pid, now,
                                      proven_gone=self.engine.dialect.name != "postgresql")
        return epoch, previous

    def _other_kind_serving(self) -> str | None:
        """The refusal when the whole-table instance and a line instance would run side by side."""
        if self.line:
            others = [""]
        else:
            with self.engine.connect() as conn:
                others = [line for line in conn.execute(select(line_instances.c.line)).scalars() if line]
        for other in others:
            # Another line instance starting now probes the whole-table lock too, for an instant:
            # only a lock that stays held is an instance serving it.
            for attempt in range(PROBE_ATTEMPTS if self.line else 1):
                message = LineInstanceLock(self.engine, other).holder()
                if message is None:
                    break
                time.sleep(PROBE_PAUSE_SECONDS * (attempt + 1))
            else:
                return (f"{message}. The whole-table instance (LINE_EQUIPMENT_CODE empty) and line instances "
                        "may not serve one database at the same time")
        return None

    def holder(self) -> str | None:
        """Who serves the line right now (the refusal's text), or None if nobody does; takes nothing."""
        if self._take():
            self.release()
            return None
        return self._conflict_message()

    def heartbeat(self) -> bool:
        """Refresh heartbeat_at; False when the lock is lost (then the fence says why, and nothing is written).

        On PostgreSQL the lock lives in a session: if that session is gone, so is the lock, and
        another instance may hold the line already. The lock is not taken again here."""
        if not self.held:
            return False
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
            except Exception as exc:  # noqa: BLE001 - the session (and with it the lock) is gone
                reason = first_line(exc)
                self.held = False
                if self.fence is not None:
                    self.fence.lose(f"the database session holding the line lock was lost ({reason})")
                log.critical("The database session holding the line lock for %s was lost (%s): this instance "
                             "stops syncing, downloading and completing until it holds the line again",
                             describe_line(self.line), reason)
                return False
        with self.engine.begin() as conn:
            beat = conn.execute(update(line_instances)
                                .where(line_instances.c.line == self.line, line_instances.c.pid == self.pid,
                                       line_instances.c.host == self.host,
                                       line_instances.c.epoch == (self.fence.epoch if self.fence else 0))
                                .values(heartbeat_at=utc_now())).rowcount
        if beat == 0 and self.fence is not None:
            self.held = False
            self.fence.lose("another instance is recorded as serving the line")
            log.critical("Another instance is recorded as serving %s: this instance stops syncing, downloading "
                         "and completing", describe_line(self.line))
            return False
        return True

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
