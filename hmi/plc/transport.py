"""A supervised word transport to the PLC: connection state, reconnect with backoff, typed errors.

One subclass per wire protocol (Modbus TCP, FINS/UDP, FINS/TCP) says how to open the way to the
PLC and how to carry one read or write of 16-bit words; this base owns everything they share:
the state machine (DISCONNECTED → CONNECTING → CONNECTED ⇄ FAULT), the supervisor task that
reconnects with capped exponential backoff (also when the very first connect fails), one log line
per outage ("PLC connected to …", "PLC connection lost: …", "PLC not answering: …", "PLC not
reachable at …") and the mapping of failures onto PlcError subclasses.

The batch protocol (slots, handshake) lives above it, in hmi.plc.link. Everything runs on the
caller's asyncio loop; no threads, no Qt.
"""

from __future__ import annotations

import abc
import asyncio
import logging
from typing import Awaitable, Callable, Sequence, TypeVar

from hmi.domain import ConnectionState
from hmi.plc.errors import PlcConnectionError, PlcProtocolError, PlcTimeoutError
from hmi.plc.read_plan import ReadRequest, plan_reads, slice_words

log = logging.getLogger("hmi.plc")

StateListener = Callable[[ConnectionState], None]
T = TypeVar("T")


class TransportLost(Exception):
    """Raised inside a transport when the way to the PLC is gone (socket closed, refused)."""


class NoAnswer(Exception):
    """Raised inside a transport when the PLC did not answer a request in time."""


class WordTransport(abc.ABC):
    """Reads and writes 16-bit words at PLC addresses, kept connected by a supervisor.

    Construct inside a running loop, ``await start()`` once, ``await stop()`` at the end. A request
    while not connected raises PlcConnectionError at once; the supervisor keeps reconnecting in the
    background, so a caller simply tries again at its next tick.
    """

    #: "modbus", "fins-udp" or "fins-tcp"
    protocol: str = ""
    #: Largest read and write of one request.
    max_read_words: int = 125
    max_write_words: int = 123

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float = 2.0,
        backoff_initial: float = 0.5,
        backoff_cap: float = 30.0,
        connection_check_interval: float = 1.0,
        logger: logging.Logger | None = None,
    ) -> None:
        if timeout <= 0 or backoff_initial <= 0 or backoff_cap < backoff_initial:
            raise ValueError("timeout and backoff_initial must be > 0 and backoff_cap ≥ backoff_initial")
        self.host = host
        self.port = port
        self.timeout = timeout
        #: Where the outage lines go ("hmi.plc"; a one-off connection test passes a quiet one).
        self.log = logger or log
        self.backoff_initial = backoff_initial
        self.backoff_cap = backoff_cap
        self.connection_check_interval = connection_check_interval
        self._state = ConnectionState.DISCONNECTED
        self._listeners: list[StateListener] = []
        self.last_error: str | None = None
        #: Requests put on the wire since construction (tests and benchmarks count these).
        self.request_count = 0
        self._supervisor: asyncio.Task | None = None
        self._started = False
        self._stopping = False
        self._wake_supervisor = asyncio.Event()
        self._connected_event = asyncio.Event()
        # True from the first report of an outage until a request succeeds again, so one outage is
        # one log line even when the supervisor re-opens the connection several times meanwhile.
        self._outage_reported = False

    # ---- what a wire protocol provides ----------------------------------------------------------
    @abc.abstractmethod
    async def _open(self) -> str | None:
        """Open the way to the PLC; None on success, else a short reason."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Close it (idempotent)."""

    @abc.abstractmethod
    def _is_open(self) -> bool:
        """Still usable (socket open)."""

    @abc.abstractmethod
    def describe_read(self, start: int, count: int) -> str:
        """How an operator or engineer names this read, e.g. 'read holding registers 6000-6076 (fc 3)'."""

    @abc.abstractmethod
    def describe_write(self, start: int, count: int) -> str: ...

    @abc.abstractmethod
    async def _read(self, start: int, count: int) -> list[int]:
        """One read request; raise TransportLost, NoAnswer or PlcProtocolError (message without the range)."""

    @abc.abstractmethod
    async def _write(self, start: int, values: Sequence[int]) -> None: ...

    async def _read_words(self, addresses: Sequence[int]) -> list[int] | None:
        """Scattered single words in one request, if the protocol has such a command (else None)."""
        return None

    def _guard_seconds(self) -> float:
        """Upper bound of one request (safety net over the protocol's own timeout)."""
        return self.timeout + 1.0

    # ---- observable state -----------------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    def add_state_listener(self, listener: StateListener) -> None:
        self._listeners.append(listener)

    def remove_state_listener(self, listener: StateListener) -> None:
        self._listeners.remove(listener)

    def _set_state(self, new_state: ConnectionState) -> None:
        if new_state is self._state:
            return
        self._state = new_state
        if new_state is ConnectionState.CONNECTED:
            self._connected_event.set()
        else:
            self._connected_event.clear()
        for listener in list(self._listeners):
            try:
                listener(new_state)
            except Exception:  # a broken listener must not break the link
                self.log.exception("PLC state listener %r failed", listener)

    async def wait_connected(self, timeout: float | None = None) -> bool:
        try:
            await asyncio.wait_for(self._connected_event.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._supervisor is not None:
            return
        self._stopping = False
        self._started = True
        self._supervisor = asyncio.create_task(self._supervise(), name=f"plc-{self.protocol}-{self.endpoint}")

    async def stop(self) -> None:
        self._stopping = True
        self._wake_supervisor.set()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            try:
                await supervisor
            except asyncio.CancelledError:
                pass
        self._close()
        self._started = False
        self._set_state(ConnectionState.DISCONNECTED)

    def _connection_lost(self, reason: str) -> None:
        if self._stopping:  # our own close() is not news
            return
        if self._state in (ConnectionState.CONNECTED, ConnectionState.FAULT):
            self.log.log(logging.DEBUG if self._outage_reported else logging.WARNING,
                    "PLC connection lost: %s (%s)", reason, self.endpoint)
            self._outage_reported = True
            self.last_error = f"connection lost: {reason}"
            self._set_state(ConnectionState.DISCONNECTED)
        self._wake_supervisor.set()

    async def _supervise(self) -> None:
        delay = self.backoff_initial
        failing = False  # after a failed attempt, retries stay DISCONNECTED instead of flickering
        while not self._stopping:
            if self._is_open():
                self._wake_supervisor.clear()
                try:
                    await asyncio.wait_for(self._wake_supervisor.wait(), self.connection_check_interval)
                except asyncio.TimeoutError:
                    pass
                if not self._is_open() and not self._stopping:
                    self._connection_lost("connection closed")
                continue

            if not failing:
                self._set_state(ConnectionState.CONNECTING)
            try:
                error = await self._open()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure to open is "not reachable"
                error = str(exc) or type(exc).__name__
            if error is None:
                self.log.log(logging.DEBUG if self._outage_reported else logging.INFO,
                        "PLC connected to %s (%s)", self.endpoint, self.protocol)
                self.last_error = None
                self._set_state(ConnectionState.CONNECTED)
                delay = self.backoff_initial
                failing = False
                continue

            self._close()
            self.last_error = f"cannot connect to {self.endpoint}: {error}"
            if not failing and not self._outage_reported:
                self.log.warning("PLC not reachable at %s (%s); retrying with backoff up to %.1f s",
                            self.endpoint, error, self.backoff_cap)
                self._outage_reported = True
            else:
                self.log.debug("PLC still not reachable at %s (%s); next try in %.1f s", self.endpoint, error, delay)
            failing = True
            self._set_state(ConnectionState.DISCONNECTED)
            self._wake_supervisor.clear()
            try:
                await asyncio.wait_for(self._wake_supervisor.wait(), delay)
            except asyncio.TimeoutError:
                pass
            delay = min(delay * 2, self.backoff_cap)

    # ---- requests -------------------------------------------------------------------------------
    def _check_connected(self, description: str) -> None:
        if not self._started:
            raise PlcConnectionError(f"{description}: PLC link to {self.endpoint} is not started")
        if self._state not in (ConnectionState.CONNECTED, ConnectionState.FAULT) or not self._is_open():
            raise PlcConnectionError(f"{description}: PLC not connected ({self.last_error or 'not connected'})")

    async def _execute(self, description: str, call: Callable[[], Awaitable[T]]) -> T:
        self._check_connected(description)
        self.request_count += 1
        try:
            # asyncio.timeout (in this task), not wait_for: see the Modbus transport's history.
            async with asyncio.timeout(self._guard_seconds()):
                result = await call()
        except TransportLost as exc:
            self._connection_lost(str(exc) or "connection closed")
            raise PlcConnectionError(f"{description}: connection lost") from exc
        except (NoAnswer, asyncio.TimeoutError) as exc:
            if not self._is_open():
                self._connection_lost(str(exc) or "no response")
                raise PlcConnectionError(f"{description}: connection lost") from exc
            message = f"{description}: timed out after {self.timeout} s"
            self._mark_fault(message)
            raise PlcTimeoutError(message) from exc
        except PlcProtocolError as exc:
            exc.args = (f"{description}: {exc}",)
            self.last_error = str(exc)
            self._mark_answering()
            raise
        self._mark_answering()
        return result

    def _mark_fault(self, message: str) -> None:
        self.last_error = message
        if self._state is ConnectionState.CONNECTED:
            self.log.log(logging.DEBUG if self._outage_reported else logging.WARNING, "PLC not answering: %s", message)
            self._outage_reported = True
            self._set_state(ConnectionState.FAULT)

    def _mark_answering(self) -> None:
        if self._state is ConnectionState.FAULT or self._outage_reported:
            self.log.info("PLC answering again (%s)", self.endpoint)
            self._outage_reported = False
            if self._state is ConnectionState.FAULT:
                self._set_state(ConnectionState.CONNECTED)

    async def read(self, start: int, count: int) -> list[int]:
        """``count`` words from ``start`` (at most ``max_read_words``)."""
        if not 1 <= count <= self.max_read_words:
            raise ValueError(f"a read carries 1..{self.max_read_words} words, not {count}")
        description = self.describe_read(start, count)
        words = await self._execute(description, lambda: self._read(start, count))
        if len(words) < count:
            message = f"{description}: PLC returned {len(words)} words"
            self.last_error = message
            raise PlcProtocolError(message, exception_code=None)
        return list(words[:count])

    async def write(self, start: int, values: Sequence[int]) -> None:
        if not 1 <= len(values) <= self.max_write_words:
            raise ValueError(f"a write carries 1..{self.max_write_words} words, not {len(values)}")
        description = self.describe_write(start, len(values))
        await self._execute(description, lambda: self._write(start, list(values)))

    async def read_ranges(
        self, ranges: Sequence[tuple[int, int]], *, through_gaps: bool = True,
    ) -> list[list[int]]:
        """The words of every (start, count) range, in as few requests as the protocol allows.

        A protocol with a scattered-word read (FINS 0104) reads several short ranges in one request;
        otherwise the ranges are grouped into block reads (across gaps when ``through_gaps``).
        """
        ranges = [(start, count) for start, count in ranges]
        addresses = [address for start, count in ranges for address in range(start, start + count)]
        if len(ranges) > 1 and self.supports_scattered_read(len(addresses)):
            words = await self.read_words(addresses)
            result, position = [], 0
            for _, count in ranges:
                result.append(words[position:position + count])
                position += count
            return result
        requests: list[ReadRequest] = plan_reads(ranges, max_count=self.max_read_words, through_gaps=through_gaps)
        responses = [await self.read(request.start, request.count) for request in requests]
        return [slice_words(requests, responses, start, count) for start, count in ranges]

    def supports_scattered_read(self, words: int) -> bool:
        return False

    async def read_words(self, addresses: Sequence[int]) -> list[int]:
        """Scattered single words in one request (only where ``supports_scattered_read``)."""
        description = self.describe_scattered(addresses)
        words = await self._execute(description, lambda: self._read_words(addresses))
        assert words is not None
        return list(words)

    def describe_scattered(self, addresses: Sequence[int]) -> str:
        return f"read {len(addresses)} words"
