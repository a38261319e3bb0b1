"""A logging handler that stores records in system_log without blocking the caller.

Records are queued and written in batches by a background thread. Nothing about it can
grow without bound or stop the audit trail for good:

- the queue between the callers and the writer is bounded (``max_queue``); a record that
  finds it full is dropped and counted;
- while the database is unreachable (a PostgreSQL restart, a SQLite file locked), records
  wait in a bounded outage buffer (``max_buffer``) and are written once it is back; past
  the bound the oldest are dropped and counted;
- a batch the database refuses (e.g. a NUL character in a message on PostgreSQL) is
  written again record by record, and only the refused record is dropped: it goes to the
  console and file log through the ``hmi.system_log`` logger (which this handler ignores,
  so a refusal can never feed itself), and is counted.

The counts are in :meth:`SystemLogHandler.stats`; drops are also reported in the file log,
at most once per ``report_interval`` seconds.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError

from hmi.store.log_records import LogRecordStore

#: Records of these loggers are not stored: library noise, and this handler's own reports.
IGNORED_LOGGERS = ("sqlalchemy", "uvicorn.access", "alembic", "asyncio", "pymodbus", "hmi.system_log")

#: Reports about system_log itself (refused records, drops): console and file log only.
report_log = logging.getLogger("hmi.system_log")


def _database_away(exc: BaseException) -> bool:
    """The database (not the record) is the problem: keep the records and try again later.

    Connection and lock trouble (OperationalError, InterfaceError, a dropped connection) and
    a schema not (yet) there (ProgrammingError: a table missing) concern every record alike.
    Anything else (DataError, IntegrityError, a value the driver cannot send) is about the
    records of this batch.
    """
    if isinstance(exc, (OperationalError, InterfaceError, ProgrammingError)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class SystemLogHandler(logging.Handler):
    def __init__(self, store: LogRecordStore, level: int = logging.INFO, max_buffer: int = 10_000,
                 flush_interval: float = 0.5, max_queue: int = 10_000, report_interval: float = 60.0,
                 line: str | None = None) -> None:
        super().__init__(level)
        self._store = store
        #: Every record says which line's instance wrote it ('' = the whole table).
        self._line = line
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=max_queue)
        self._pending: deque[dict[str, Any]] = deque(maxlen=max_buffer)
        self._flush_interval = flush_interval
        self._report_interval = report_interval
        self._counts_lock = threading.Lock()
        self.dropped_queue_full = 0
        self.dropped_buffer_full = 0
        self.dropped_refused = 0
        self.written = 0
        self._reported_dropped = 0
        self._last_report = 0.0
        self._stop_requested = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hmi-system-log", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ counts

    @property
    def dropped(self) -> int:
        """Records that never reached system_log (queue full, outage buffer full, refused)."""
        return self.dropped_queue_full + self.dropped_buffer_full + self.dropped_refused

    def stats(self) -> dict[str, int]:
        """What the audit trail lost and holds back; for health and --self-check."""
        return {
            "written": self.written,
            "dropped": self.dropped,
            "dropped_queue_full": self.dropped_queue_full,
            "dropped_buffer_full": self.dropped_buffer_full,
            "dropped_refused": self.dropped_refused,
            "waiting": self._queue.qsize() + len(self._pending),
        }

    # ------------------------------------------------------------------ callers

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(IGNORED_LOGGERS):
            return
        try:
            item = {
                "timestamp": datetime.fromtimestamp(record.created, timezone.utc),
                "level": record.levelname,
                "module": record.name[:255],
                "message": record.getMessage(),
                "batch_no": _text(getattr(record, "batch_no", None)),
                "mo_id": _text(getattr(record, "mo_id", None)),
                "actor": _text(getattr(record, "actor", None)),
                "line": self._line,
            }
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self.handleError(record)
            return
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            with self._counts_lock:
                self.dropped_queue_full += 1

    # ------------------------------------------------------------------ writer thread

    def _run(self) -> None:
        stopping = False
        while not stopping:
            deadline = time.monotonic() + self._flush_interval
            while True:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    item = self._queue.get(timeout=timeout)
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                if len(self._pending) == self._pending.maxlen:
                    self.dropped_buffer_full += 1
                self._pending.append(item)
            self._flush()
            self._report_drops(force=stopping)

    def _flush(self) -> None:
        if not self._pending:
            return
        batch = list(self._pending)
        try:
            self._store.write_log_records(batch)
        except Exception as exc:  # noqa: BLE001 - decide below: database away, or a record refused
            if _database_away(exc):
                return  # keep the records, try again next round
            self._write_one_by_one(len(batch))
            return
        for _ in batch:
            self._pending.popleft()
        self.written += len(batch)

    def _write_one_by_one(self, count: int) -> None:
        """The batch was refused: write each record alone; drop only those refused themselves."""
        for _ in range(count):
            record = self._pending[0]
            try:
                self._store.write_log_records([record])
            except Exception as exc:  # noqa: BLE001
                if _database_away(exc):
                    return  # the rest waits for the database
                self._pending.popleft()
                self.dropped_refused += 1
                report_log.error("system_log refused a record; it is kept only in this log: %s %s %s: %r (%s)",
                                 record["timestamp"].isoformat(), record["level"], record["module"],
                                 record["message"], _first_line(exc))
                continue
            self._pending.popleft()
            self.written += 1

    def _report_drops(self, force: bool = False) -> None:
        """Say in the file log how many records were lost since the last report (at most once per interval)."""
        unreported = self.dropped_queue_full + self.dropped_buffer_full - self._reported_dropped
        now = time.monotonic()
        if unreported <= 0 or (not force and now - self._last_report < self._report_interval):
            return
        self._reported_dropped += unreported
        self._last_report = now
        report_log.warning("system_log: %d record(s) dropped because the database could not keep up or was "
                           "away too long (%d in total; written to the file log only)",
                           unreported, self.dropped)

    # ------------------------------------------------------------------ stop

    def request_stop(self) -> None:
        """Write what is queued, then end the writer thread; returns at once."""
        if not self._stop_requested.is_set():
            self._stop_requested.set()
            while True:
                try:
                    self._queue.put(None, timeout=0.1)
                    return
                except queue.Full:
                    try:  # make room for the stop mark: the oldest record is lost, and counted
                        self._queue.get_nowait()
                        with self._counts_lock:
                            self.dropped_queue_full += 1
                    except queue.Empty:
                        pass

    @property
    def stopped(self) -> bool:
        return not self._thread.is_alive()

    def close(self, timeout: float = 5.0) -> None:
        self.request_stop()
        self._thread.join(timeout=timeout)
        super().close()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:64]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
