"""Fenced line ownership: the epoch an instance got with its line's lock, checked on every write.

Taking the line's lock (hmi.store.instance_lock) adds one to ``line_instances.epoch``: the
epoch only grows. The instance keeps its number in a :class:`LineFence`; every transaction
that writes the line's rows (a :class:`FencedStore`: hmi.store.repository, hmi.store.outbox,
hmi.store.ledger) first reads the stored epoch (on PostgreSQL
``FOR SHARE``, so a take-over waits for the write, or the write for the take-over) and is
refused with :class:`FencedOut` when a newer one exists or when this instance knows it lost
its lock (``lost``, set from any thread by the heartbeat). So an instance whose lock
went away can never again change what the instance now serving the line relies on.

``previous`` remembers who held the line before: rows an earlier epoch left unconfirmed may
still be in that instance's hands (its database session died, the process did not), so they
are not settled as "not on the PLC" until that instance cannot be writing any more
(:meth:`LineFence.previous_may_write`).
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from hmi.clock import utc_now
from hmi.domain import FencedOut
from hmi.store.models import line_instances

#: How long after a take-over an instance that lost the line may still finish a PLC write it had
#: started (the PLC write timeout, 60 s, plus the heartbeat that makes it notice, 30 s).
PREVIOUS_HOLDER_QUIET = timedelta(seconds=90)


@dataclass(frozen=True)
class PreviousHolder:
    epoch: int
    host: str
    pid: int
    taken_over_at: datetime
    #: The lock was an OS file lock: getting it proves the previous process has ended.
    proven_gone: bool


class LineFence:
    def __init__(self, key: str, epoch: int, previous: PreviousHolder | None = None,
                 quiet: timedelta = PREVIOUS_HOLDER_QUIET) -> None:
        self.key = key
        self.epoch = epoch
        self.previous = previous
        self.quiet = quiet
        #: Why this instance does not own its line any more (None: it does). Set from any thread.
        self.lost: str | None = None

    def lose(self, reason: str) -> None:
        if self.lost is None:
            self.lost = reason

    def regained(self, epoch: int, previous: PreviousHolder | None) -> None:
        self.epoch, self.previous, self.lost = epoch, previous, None

    def check(self, conn: Connection) -> None:
        """Raise FencedOut unless this instance still owns the line (inside the writing transaction)."""
        if self.lost is not None:
            raise FencedOut(self.lost)
        query = select(line_instances.c.epoch, line_instances.c.host, line_instances.c.pid).where(
            line_instances.c.line == self.key)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(read=True)
        row = conn.execute(query).first()
        if row is None or row.epoch != self.epoch:
            who = f"host {row.host}, PID {row.pid}, epoch {row.epoch}" if row is not None else "nobody recorded"
            self.lose(f"another instance took the line over ({who}; this one had epoch {self.epoch})")
            raise FencedOut(self.lost)

    def previous_may_write(self, epoch: int, now: datetime | None = None) -> bool:
        """Can rows of ``epoch`` still be in the hands of a running instance?"""
        if epoch == self.epoch or self.previous is None or epoch > self.previous.epoch:
            return False
        previous = self.previous
        if previous.proven_gone:
            return False
        if previous.host == socket.gethostname()[:255] and previous.pid != os.getpid() and not _running(previous.pid):
            return False
        return (now or utc_now()) - previous.taken_over_at < self.quiet


class FencedStore:
    """What every store that writes the line's rows shares: its engine, its fence and the one way
    it writes (:meth:`_writing`). Stores of one instance share one fence, so all of them stop
    writing at the same moment the instance loses its line."""

    def __init__(self, engine: Engine, fence: LineFence | None = None) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"
        #: This instance's claim on its line; None when it claims none (tools, some tests).
        self.fence = fence

    @property
    def epoch(self) -> int:
        return self.fence.epoch if self.fence is not None else 0

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One transaction that changes the line's rows: refused (FencedOut) when this instance
        no longer owns its line."""
        with self.engine.begin() as conn:
            if self.fence is not None:
                self.fence.check(conn)
            yield conn


def _running(pid: int) -> bool:
    if os.name == "nt":
        return True  # cannot tell cheaply; wait for the quiet time
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
