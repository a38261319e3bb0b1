"""A logging handler that stores records in system_log without blocking the caller.

Records are queued and written in batches by a background thread. If the database is
unreachable (a PostgreSQL restart), records wait in a bounded buffer and are written
once it is back; past the bound the oldest are dropped and the drop is counted, so a
long outage can never exhaust memory on a PC that runs for weeks.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from datetime import datetime, timezone
from typing import Any

from hmi.store.repository import BatchStore

IGNORED_LOGGERS = ("sqlalchemy", "uvicorn.access", "alembic", "asyncio", "pymodbus")


class SystemLogHandler(logging.Handler):
    def __init__(self, store: BatchStore, level: int = logging.INFO, max_buffer: int = 10_000,
                 flush_interval: float = 0.5) -> None:
        super().__init__(level)
        self._store = store
        self._queue: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._pending: deque[dict[str, Any]] = deque(maxlen=max_buffer)
        self._flush_interval = flush_interval
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="hmi-system-log", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(IGNORED_LOGGERS):
            return
        try:
            self._queue.put({
                "timestamp": datetime.fromtimestamp(record.created, timezone.utc),
                "level": record.levelname,
                "module": record.name[:255],
                "message": record.getMessage(),
                "batch_no": _text(getattr(record, "batch_no", None)),
                "mo_id": _text(getattr(record, "mo_id", None)),
                "actor": _text(getattr(record, "actor", None)),
            })
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self.handleError(record)

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
                    self.dropped += 1
                self._pending.append(item)
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        batch = list(self._pending)
        try:
            self._store.write_log_records(batch)
        except Exception:  # noqa: BLE001 - database away: keep the records, try again next round
            return
        for _ in batch:
            self._pending.popleft()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)
        super().close()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:64]
