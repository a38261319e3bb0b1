"""SIGINT/SIGTERM while Qt's event loop runs.

Python runs signal handlers only when the interpreter gets control, which a Qt loop
waiting for events may not give it for a long time. ``signal.set_wakeup_fd`` makes the C
handler write a byte to a socket that a ``QSocketNotifier`` watches, so Qt wakes up,
Python runs the handler, and the service stops within a fraction of a second.
"""

from __future__ import annotations

import signal
import socket
from typing import Callable

from PySide6.QtCore import QObject, QSocketNotifier


class SignalBridge(QObject):
    def __init__(self, on_signal: Callable[[int], None]) -> None:
        super().__init__()
        self._on_signal = on_signal
        self._closed = False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)

    def _drain(self, *_args) -> None:
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _handle(self, signum: int, _frame) -> None:
        self._on_signal(signum)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._notifier.setEnabled(False)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
