"""PlcLink: the one connection to the PLC, over pymodbus' AsyncModbusTcpClient.

Responsibilities: keep the TCP connection up (capped exponential backoff, also for a first
connect that fails — pymodbus never retries that itself), make the connection state observable,
and offer the batch-level operations (read every READ slot, download recipes with the origin's
handshake, acknowledge a done batch). Every Modbus failure becomes a typed PlcError whose message
names the register range and function code.

Everything runs on the caller's asyncio loop; no threads, no Qt.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Awaitable, Callable, Iterable, Sequence

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException

from hmi.domain import BatchRecipe, ConnectionState, ManualWeighingReading, PlcSlotReading
from hmi.plc.codec import decode_manual_weighing, decode_slot, decode_text, encode_empty_slot, encode_recipe
from hmi.plc.errors import (
    PlcConnectionError,
    PlcEncodingError,
    PlcError,
    PlcNotReady,
    PlcProtocolError,
    PlcTimeoutError,
)
from hmi.plc.read_plan import ReadRequest, plan_reads, slice_words
from hmi.plc.register_map import MAX_REGISTERS_PER_WRITE, RegisterMap, default_register_map

log = logging.getLogger("hmi.plc")

StateListener = Callable[[ConnectionState], None]

READ_HOLDING_REGISTERS = 3
WRITE_MULTIPLE_REGISTERS = 16

_EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "device failure",
    5: "acknowledge",
    6: "device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target failed to respond",
}


@dataclass(frozen=True)
class DownloadEvidence:
    """What the PLC's slots say about downloads (see PlcLink.download_evidence)."""

    read: frozenset[tuple[int, str]]
    write: dict[int, str]
    handshake: int

    def holds(self, batch_no: int, mo_text: str) -> bool:
        """The PLC has taken this batch (its READ slot shows it), or holds it ready to take (its WRITE
        slot shows it and the handshake word is 0, which only a download's last request sets)."""
        if not mo_text:
            return False
        return (batch_no, mo_text) in self.read or (self.write.get(batch_no) == mo_text and self.handshake == 0)


@dataclass(frozen=True)
class PlcScan:
    """What one poll read: the READ slots, and the manual-weighing area if the map has one."""

    slots: list[PlcSlotReading]
    manual_weighing: ManualWeighingReading | None = None


def _describe(function: str, start: int, count: int, function_code: int) -> str:
    return f"{function} holding registers {start}-{start + count - 1} (fc {function_code})"


class PlcLink:
    """Connection to one PLC and the batch-slot operations on it.

    Construct it inside a running event loop, ``await start()`` it once, ``await stop()`` at the
    end. Operations raise PlcConnectionError immediately while not connected; the supervisor keeps
    trying to connect in the background, so a caller just tries again at its next tick.
    """

    def __init__(
        self,
        host: str,
        port: int = 502,
        *,
        device_id: int = 1,
        register_map: RegisterMap | None = None,
        timeout: float = 2.0,
        retries: int = 0,
        backoff_initial: float = 0.5,
        backoff_cap: float = 30.0,
        connection_check_interval: float = 1.0,
    ) -> None:
        if timeout <= 0 or backoff_initial <= 0 or backoff_cap < backoff_initial:
            raise ValueError("timeout and backoff_initial must be > 0 and backoff_cap ≥ backoff_initial")
        self.host = host
        self.port = port
        self.device_id = device_id
        self.register_map = register_map or default_register_map()
        self.timeout = timeout
        # retries=0 by default: pymodbus resends a timed-out request with the same transaction id,
        # which would repeat a recipe or handshake write behind our back.
        self.retries = retries
        self.backoff_initial = backoff_initial
        self.backoff_cap = backoff_cap
        self.connection_check_interval = connection_check_interval

        self._state = ConnectionState.DISCONNECTED
        self._listeners: list[StateListener] = []
        self.last_good_read: datetime | None = None
        self.last_error: str | None = None
        #: Modbus requests issued since construction (tests and diagnostics count these).
        self.request_count = 0

        self._client: AsyncModbusTcpClient | None = None
        self._supervisor: asyncio.Task | None = None
        self._stopping = False
        self._wake_supervisor = asyncio.Event()
        self._connected_event = asyncio.Event()
        # True from the first report of an outage (connection lost, not answering) until a request
        # succeeds again. A PLC that accepts connections but never answers makes pymodbus drop and
        # the supervisor re-open the connection every few timeouts; without this, each round would
        # log "lost", "connected" and "not answering" again for as long as the outage lasts.
        self._outage_reported = False
        # One request at a time, and a multi-request operation (a download) is never interleaved
        # with a poll.
        self._io_lock = asyncio.Lock()
        register_map = self.register_map
        ranges = [(register_map.read_slot_start(n), register_map.slot_length) for n in register_map.slots]
        if self.register_map.manual_weighing is not None:
            # Planned with the READ slots: where a request can carry it (words right after the READ area),
            # the manual-weighing area costs no extra request; far away (the origin's D9000) it costs one.
            ranges.append((self.register_map.manual_weighing.start, self.register_map.manual_length))
        self._read_plan = plan_reads(ranges, through_gaps=self.register_map.read_through_gaps)

    # ---- observable state ---------------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def read_plan(self) -> list[ReadRequest]:
        """The read requests one ``read_all_slots`` issues."""
        return list(self._read_plan)

    def add_state_listener(self, listener: StateListener) -> None:
        """``listener(new_state)`` is called on every state change (on the loop thread)."""
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
                log.exception("PLC state listener %r failed", listener)

    async def wait_connected(self, timeout: float | None = None) -> bool:
        """True once the link is CONNECTED (False if ``timeout`` runs out first)."""
        try:
            await asyncio.wait_for(self._connected_event.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the connection supervisor (returns at once; watch ``state``)."""
        if self._supervisor is not None:
            return
        self._stopping = False
        self._client = AsyncModbusTcpClient(
            self.host,
            port=self.port,
            timeout=self.timeout,
            retries=self.retries,
            # 0 = pymodbus does not reconnect by itself; the supervisor owns reconnecting so the
            # first connect and later reconnects follow one backoff policy and one state machine.
            reconnect_delay=0,
            trace_connect=self._on_transport_change,
        )
        self._supervisor = asyncio.create_task(self._supervise(), name=f"plc-link-{self.endpoint}")

    async def stop(self) -> None:
        """Stop reconnecting, close the connection; state becomes DISCONNECTED."""
        self._stopping = True
        self._wake_supervisor.set()
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            try:
                await supervisor
            except asyncio.CancelledError:
                pass
        if self._client is not None:
            self._client.close()
            self._client = None
        self._set_state(ConnectionState.DISCONNECTED)

    close = stop

    async def __aenter__(self) -> "PlcLink":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _on_transport_change(self, connected: bool) -> None:
        if not connected and not self._stopping:
            self._connection_lost("connection closed")

    def _connection_lost(self, reason: str) -> None:
        if self._stopping:  # our own close() is not news
            return
        if self._state in (ConnectionState.CONNECTED, ConnectionState.FAULT):
            log.log(logging.DEBUG if self._outage_reported else logging.WARNING,
                    "PLC connection lost: %s (%s)", reason, self.endpoint)
            self._outage_reported = True
            self.last_error = f"connection lost: {reason}"
            self._set_state(ConnectionState.DISCONNECTED)
        self._wake_supervisor.set()

    async def _supervise(self) -> None:
        delay = self.backoff_initial
        failing = False  # True after a failed attempt: retries stay DISCONNECTED instead of flickering
        while not self._stopping:
            client = self._client
            assert client is not None
            if client.connected:
                self._wake_supervisor.clear()
                try:
                    await asyncio.wait_for(self._wake_supervisor.wait(), self.connection_check_interval)
                except asyncio.TimeoutError:
                    pass
                if not client.connected and not self._stopping:
                    self._connection_lost("connection closed")
                continue

            if not failing:
                self._set_state(ConnectionState.CONNECTING)
            error = await self._try_connect(client)
            if error is None:
                log.log(logging.DEBUG if self._outage_reported else logging.INFO, "PLC connected to %s", self.endpoint)
                self.last_error = None
                self._set_state(ConnectionState.CONNECTED)
                delay = self.backoff_initial
                failing = False
                continue

            self.last_error = f"cannot connect to {self.endpoint}: {error}"
            if not failing:
                log.warning(
                    "PLC not reachable at %s (%s); retrying with backoff up to %.1f s",
                    self.endpoint, error, self.backoff_cap,
                )
            else:
                log.debug("PLC still not reachable at %s (%s); next try in %.1f s", self.endpoint, error, delay)
            failing = True
            self._set_state(ConnectionState.DISCONNECTED)
            self._wake_supervisor.clear()
            try:
                await asyncio.wait_for(self._wake_supervisor.wait(), delay)
            except asyncio.TimeoutError:
                pass
            delay = min(delay * 2, self.backoff_cap)

    async def _try_connect(self, client: AsyncModbusTcpClient) -> str | None:
        """None on success, else a short reason."""
        try:
            ok = await asyncio.wait_for(client.connect(), self.timeout + 1.0)
        except asyncio.TimeoutError:
            client.close()
            return f"connect timed out after {self.timeout} s"
        except (OSError, ModbusException) as exc:
            client.close()
            return str(exc) or type(exc).__name__
        if ok and client.connected:
            return None
        client.close()
        return "connection refused or unreachable"

    # ---- raw requests (callers hold _io_lock) ---------------------------------------------------
    def _client_for(self, description: str) -> AsyncModbusTcpClient:
        client = self._client
        if client is None:
            raise PlcConnectionError(f"{description}: PLC link to {self.endpoint} is not started")
        if self._state not in (ConnectionState.CONNECTED, ConnectionState.FAULT) or not client.connected:
            reason = self.last_error or "not connected"
            raise PlcConnectionError(f"{description}: PLC not connected ({reason})")
        return client

    async def _execute(self, description: str, call: Callable[[AsyncModbusTcpClient], Awaitable]):
        client = self._client_for(description)
        self.request_count += 1
        # Safety net above pymodbus' own timeout, in case a transport hangs without it firing.
        # asyncio.timeout, not wait_for: wait_for runs the call as a new task one loop iteration
        # later, and if the connection drops in between, pymodbus' execute() starts a connect of
        # its own that races the supervisor's (seen as a request that never returns).
        guard = self.timeout * (self.retries + 1) + 1.0
        try:
            async with asyncio.timeout(guard):
                response = await call(client)
        except ConnectionException as exc:
            self._connection_lost(str(exc))
            raise PlcConnectionError(f"{description}: connection lost") from exc
        except (ModbusIOException, asyncio.TimeoutError) as exc:
            if not client.connected:
                self._connection_lost(str(exc) or "no response")
                raise PlcConnectionError(f"{description}: connection lost") from exc
            message = f"{description}: timed out after {self.timeout} s"
            self._mark_fault(message)
            raise PlcTimeoutError(message) from exc
        except ModbusException as exc:
            message = f"{description}: {exc}"
            self.last_error = message
            raise PlcProtocolError(message, exception_code=None) from exc
        if response.isError():
            code = getattr(response, "exception_code", None)
            name = _EXCEPTION_NAMES.get(code, "unknown exception")
            message = f"{description}: PLC answered exception {code} ({name})"
            self.last_error = message
            self._mark_answering()
            raise PlcProtocolError(message, exception_code=code)
        self._mark_answering()
        return response

    def _mark_fault(self, message: str) -> None:
        self.last_error = message
        if self._state is ConnectionState.CONNECTED:
            log.log(logging.DEBUG if self._outage_reported else logging.WARNING, "PLC not answering: %s", message)
            self._outage_reported = True
            self._set_state(ConnectionState.FAULT)

    def _mark_answering(self) -> None:
        if self._state is ConnectionState.FAULT or self._outage_reported:
            log.info("PLC answering again (%s)", self.endpoint)
            self._outage_reported = False
            if self._state is ConnectionState.FAULT:
                self._set_state(ConnectionState.CONNECTED)

    async def _read(self, start: int, count: int) -> list[int]:
        description = _describe("read", start, count, READ_HOLDING_REGISTERS)
        response = await self._execute(
            description,
            lambda client: client.read_holding_registers(start, count=count, device_id=self.device_id),
        )
        registers = list(response.registers)
        if len(registers) < count:
            message = f"{description}: PLC returned {len(registers)} registers"
            self.last_error = message
            raise PlcProtocolError(message, exception_code=None)
        return registers[:count]

    async def _write(self, start: int, values: Sequence[int]) -> None:
        if not 1 <= len(values) <= MAX_REGISTERS_PER_WRITE:
            raise ValueError(f"a write carries 1..{MAX_REGISTERS_PER_WRITE} registers, not {len(values)}")
        description = _describe("write", start, len(values), WRITE_MULTIPLE_REGISTERS)
        await self._execute(
            description,
            lambda client: client.write_registers(start, list(values), device_id=self.device_id),
        )

    async def _read_ranges(self, requests: Iterable[ReadRequest]) -> tuple[list[ReadRequest], list[list[int]]]:
        requests = list(requests)
        responses = [await self._read(request.start, request.count) for request in requests]
        return requests, responses

    # ---- batch operations -----------------------------------------------------------------------
    async def read_all_slots(self) -> list[PlcSlotReading]:
        """Every READ slot, decoded, in slot order (≤ 8 requests for the default 10 slots)."""
        return (await self.scan()).slots

    async def scan(self) -> "PlcScan":
        """One poll's read: every READ slot and, when the map has one, the manual-weighing area."""
        register_map = self.register_map
        async with self._io_lock:
            requests, responses = await self._read_ranges(self._read_plan)
        readings = [
            decode_slot(
                slice_words(requests, responses, register_map.read_slot_start(slot), register_map.slot_length),
                slot,
                register_map,
            )
            for slot in register_map.slots
        ]
        manual = None
        if register_map.manual_weighing is not None:
            manual = decode_manual_weighing(
                slice_words(requests, responses, register_map.manual_weighing.start, register_map.manual_length),
                register_map)
        self.last_good_read = datetime.now(timezone.utc)
        return PlcScan(readings, manual)

    async def acknowledge_manual_weighing(self) -> None:
        """Tell the PLC the HMI has taken the manual weighing it shows (its status_read_data := 1)."""
        address = self.register_map.manual_field_address("status_read_data")
        async with self._io_lock:
            await self._write(address, [1])

    async def read_slot(self, slot: int) -> PlcSlotReading:
        """One READ slot (one request)."""
        start = self.register_map.read_slot_start(slot)
        async with self._io_lock:
            words = await self._read(start, self.register_map.slot_length)
        self.last_good_read = datetime.now(timezone.utc)
        return decode_slot(words, slot, self.register_map)

    async def is_write_ready(self) -> bool:
        """The origin's handshake: 7076 = 1, or every WRITE slot is empty (clean start)."""
        async with self._io_lock:
            return (await self._write_blockers()) is None

    async def _write_blockers(self) -> str | None:
        """None when a download may start, else why not."""
        register_map = self.register_map
        ready_address = register_map.write_ready_address
        if (await self._read(ready_address, 1))[0] == 1:
            return None
        mo_ranges = [(register_map.write_field_address(n, "mo_id"), register_map.text_words) for n in register_map.slots]
        flag_ranges = [(register_map.write_field_address(n, "status_read_data"), 1) for n in register_map.slots]
        requests, responses = await self._read_ranges(
            plan_reads(mo_ranges + flag_ranges, through_gaps=register_map.read_through_gaps)
        )
        busy = []
        for slot, (mo_range, flag_range) in enumerate(zip(mo_ranges, flag_ranges), start=1):
            mo_id = decode_text(slice_words(requests, responses, *mo_range))
            flag = slice_words(requests, responses, *flag_range)[0]
            if mo_id or (slot > 1 and flag == 1):
                busy.append(f"{slot} ({mo_id or 'flag set'})")
        if not busy:
            return None
        return (
            f"PLC has not taken the previous recipes yet: handshake word {ready_address} is 0 "
            f"and WRITE slot(s) {', '.join(busy)} are in use"
        )

    async def download_evidence(self) -> "DownloadEvidence":
        """What the PLC holds of downloads: the (batch_no, MO text) of every READ slot, the MO text of
        every WRITE slot, and the handshake word. Used to settle a download whose outcome is not known."""
        register_map = self.register_map
        readings = await self.read_all_slots()
        mo_ranges = [(register_map.write_field_address(n, "mo_id"), register_map.text_words) for n in register_map.slots]
        async with self._io_lock:
            handshake = (await self._read(register_map.write_ready_address, 1))[0]
            requests, responses = await self._read_ranges(
                plan_reads(mo_ranges, through_gaps=register_map.read_through_gaps)
            )
        return DownloadEvidence(
            read=frozenset((r.batch_no, r.mo_id) for r in readings if not r.is_empty),
            write={slot: decode_text(slice_words(requests, responses, *mo_range))
                   for slot, mo_range in enumerate(mo_ranges, start=1)},
            handshake=handshake,
        )

    async def holds_download(self, recipes: Sequence[BatchRecipe]) -> bool:
        """After a download whose answer was lost: did the PLC get all of it?"""
        recipes = list(recipes)
        if not recipes:
            return False
        evidence = await self.download_evidence()
        return all(evidence.holds(slot, recipe.mo_id) for slot, recipe in enumerate(recipes, start=1))

    async def write_recipes(self, recipes: Sequence[BatchRecipe], *, clear_unused: bool = True) -> None:
        """Download a queue of recipes: recipe i goes to WRITE slot i (1-based).

        Every recipe is encoded before anything is sent, so a value the PLC cannot hold fails
        with PlcEncodingError (``slot`` set) and nothing is written. Then: handshake check
        (PlcNotReady if the PLC has not taken the previous queue), one write per slot, slots
        beyond the queue cleared (``clear_unused``) so the PLC cannot run a stale recipe, and
        finally the handshake word 7076 set to 0 in its own request — the PLC sets it back to 1
        once it has taken the recipes. A failing write raises the PlcError with ``slot`` set.
        """
        register_map = self.register_map
        recipes = list(recipes)
        if not recipes:
            raise ValueError("no recipes to write (use clear_write_slots() to empty the PLC's slots)")
        if len(recipes) > register_map.slot_count:
            raise ValueError(f"{len(recipes)} recipes but the PLC has {register_map.slot_count} slots")
        encoded: list[list[int]] = []
        for slot, recipe in enumerate(recipes, start=1):
            try:
                encoded.append(encode_recipe(recipe, register_map))
            except PlcEncodingError as exc:
                exc.slot = slot
                raise
        async with self._io_lock:
            blocker = await self._write_blockers()
            if blocker is not None:
                raise PlcNotReady(blocker)
            for slot in register_map.slots:
                if slot <= len(encoded):
                    words = encoded[slot - 1]
                elif clear_unused:
                    words = encode_empty_slot(register_map)
                else:
                    continue
                await self._write_slot(slot, words)
            await self._write(register_map.write_ready_address, [0])
        log.info("PLC: %d recipe(s) written to WRITE slots, handshake word set to 0", len(recipes))

    async def _write_slot(self, slot: int, words: Sequence[int]) -> None:
        """Write one slot; the handshake word is left out (it is written last, on its own)."""
        start = self.register_map.write_slot_start(slot)
        skip = self.register_map.write_ready_address - start
        segments = [(0, len(words))]
        if 0 <= skip < len(words):
            segments = [(0, skip), (skip + 1, len(words))]
        try:
            for first, stop in segments:
                if stop > first:
                    await self._write(start + first, words[first:stop])
        except PlcError as exc:
            exc.slot = slot
            exc.args = (f"slot {slot}: {exc}",)
            log.warning("PLC write failed at slot %d: %s", slot, exc)
            raise

    async def clear_write_slots(self) -> None:
        """Zero every WRITE slot (no MO text = empty), e.g. after an operator reset.

        The handshake word is not touched; empty slots already count as "ready" for the next
        download.
        """
        async with self._io_lock:
            for slot in self.register_map.slots:
                await self._write_slot(slot, encode_empty_slot(self.register_map))
        log.info("PLC: WRITE slots cleared")

    async def acknowledge_read(self, slot: int) -> None:
        """Tell the PLC the HMI has read READ slot ``slot`` (its status_read_data := 1).

        The origin does this only for a slot whose batch is finished (status_manufacturing = 1).
        """
        address = self.register_map.read_ack_address(slot)
        async with self._io_lock:
            try:
                await self._write(address, [1])
            except PlcError as exc:
                exc.slot = slot
                raise
