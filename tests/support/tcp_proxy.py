"""A Modbus TCP proxy on loopback that can cut, stall or refuse connections on cue.

Put it between PlcLink and the PLC simulator to produce the network faults a plant sees:
a cable pulled in the middle of a recipe download (``cut_after``), a PLC or switch that stops
answering (``stall_after`` / ``stall``), a PLC that refuses connections (``refuse``), a slow
link (``delay``). It understands just enough Modbus TCP to count requests: the MBAP header's
length field delimits frames, the PDU's first byte is the function code.

Latency is added here, outside the pymodbus server, on purpose: a slow server-side request
hook makes pymodbus answer with the wrong transaction id (docs/plc-register-map.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

log = logging.getLogger("tests.proxy")

MBAP_HEADER = 7  # transaction id (2), protocol id (2), length (2), unit id (1)


@dataclass(frozen=True)
class ForwardedRequest:
    function_code: int
    address: int | None
    count: int | None


class ModbusTcpProxy:
    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.host = host
        self.port = port
        #: Every request forwarded to the PLC, in order.
        self.forwarded: list[ForwardedRequest] = []
        #: Connections cut or refused by a rule (tests wait on these).
        self.cuts = 0
        self.refused = 0
        #: How many requests had been forwarded when the last answer reached the client: a request
        #: is answered (the client has the PLC's reply) once this is at least its place in ``forwarded``.
        self.answered_through = 0
        #: Answers from the PLC that a lose-answer rule threw away.
        self.answers_lost = 0
        self.delay = 0.0
        self._server: asyncio.Server | None = None
        self._refusing = False
        self._rule: tuple[str, int, int | None] | None = None  # (action, requests still let through, fc filter)
        self._stalled = False
        self._swallowing_answers = False
        self._holding = False
        self._held = asyncio.Event()
        self._resumed = asyncio.Event()
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task] = set()

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> "ModbusTcpProxy":
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        await self.close_port()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # ---- fault switches -------------------------------------------------------------------------
    def cut_after(self, requests: int, function_code: int | None = None) -> None:
        """Let ``requests`` more (matching) requests through, then cut every connection instead of the next."""
        self._rule = ("cut", requests, function_code)

    def stall_after(self, requests: int, function_code: int | None = None) -> None:
        """Let ``requests`` more (matching) requests through, then hold every request: no answers at all."""
        self._rule = ("stall", requests, function_code)

    def lose_answer_after(self, requests: int, function_code: int | None = None) -> None:
        """Let ``requests`` more (matching) requests through, forward the next one too, but lose
        its answer and cut the connection: the PLC acted on it, the client never hears so."""
        self._rule = ("lose_answer", requests, function_code)

    def hold_after(self, requests: int, function_code: int | None = None) -> None:
        """Let ``requests`` more (matching) requests through, then hold the next one until
        ``release_held()`` forwards it (a test does something in between, e.g. lock a database)."""
        self._held = asyncio.Event()
        self._rule = ("hold", requests, function_code)

    @property
    def holding(self) -> bool:
        return self._holding

    def release_held(self) -> None:
        self._held.set()

    def stall(self) -> None:
        self._rule = None
        self._stalled = True
        self._resumed.clear()

    def refuse(self, refusing: bool = True) -> None:
        """Accept new connections and close them at once (a gateway whose PLC is away); drop current ones."""
        self._refusing = refusing
        if refusing:
            self._close_all()

    async def close_port(self) -> None:
        """Stop listening (connect attempts get "connection refused") and drop every connection."""
        if self._server is not None:
            self._server.close()
            self._close_all()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None

    async def open_port(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, self.host, self.port)

    def resume(self) -> None:
        """Back to a healthy link. Requests held while stalled are dropped (lost on the wire)."""
        self._rule = None
        self._stalled = False
        self._refusing = False
        self._resumed.set()

    @property
    def stalled(self) -> bool:
        return self._stalled

    def writes_to(self, first: int, last: int) -> int:
        """Write requests (fc 16) forwarded whose start address lies in first..last."""
        return sum(1 for r in self.forwarded if r.function_code == 16 and r.address is not None
                   and first <= r.address <= last)

    # ---- plumbing -------------------------------------------------------------------------------
    def _close_all(self) -> None:
        for client_writer, upstream_writer in list(self._links):
            for writer in (client_writer, upstream_writer):
                with contextlib.suppress(Exception):
                    writer.transport.abort()
        self._links.clear()

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self._refusing:
            self.refused += 1
            client_writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        link = (client_writer, upstream_writer)
        self._links.add(link)
        self._spawn(self._pipe_answers(upstream_reader, client_writer, link))
        await self._pipe_requests(client_reader, upstream_writer, link)

    async def _pipe_answers(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link) -> None:
        try:
            while data := await reader.read(65536):
                if self._swallowing_answers:
                    self.answers_lost += 1
                    continue
                forwarded = len(self.forwarded)
                writer.write(data)
                await writer.drain()
                self.answered_through = max(self.answered_through, forwarded)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self._drop(link)

    async def _pipe_requests(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link) -> None:
        try:
            while True:
                header = await reader.readexactly(MBAP_HEADER)
                length = int.from_bytes(header[4:6], "big")
                pdu = await reader.readexactly(length - 1)
                request = _describe(pdu)
                action = self._decide(request)
                if action == "cut":
                    self.cuts += 1
                    log.info("proxy: cutting the connection instead of forwarding %s", request)
                    self._close_all()
                    return
                if action == "stall":
                    await self._resumed.wait()
                    continue  # the held request is lost
                if action == "hold":
                    self._holding = True
                    await self._held.wait()
                    self._holding = False
                if action == "lose_answer":
                    self._swallowing_answers = True
                    lost = self.answers_lost
                    self.forwarded.append(request)
                    writer.write(header + pdu)
                    await writer.drain()
                    deadline = asyncio.get_running_loop().time() + 5
                    while self.answers_lost == lost and asyncio.get_running_loop().time() < deadline:
                        await asyncio.sleep(0.01)  # the PLC answers; the answer goes nowhere
                    self.cuts += 1
                    log.info("proxy: forwarded %s and lost its answer; cutting the connection", request)
                    self._close_all()
                    self._swallowing_answers = False
                    return
                if self.delay:
                    await asyncio.sleep(self.delay)
                if link not in self._links:
                    return
                self.forwarded.append(request)
                writer.write(header + pdu)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            self._drop(link)

    def _decide(self, request: ForwardedRequest) -> str:
        if self._stalled:
            return "stall"
        if self._rule is None:
            return "forward"
        action, remaining, function_code = self._rule
        if function_code is not None and request.function_code != function_code:
            return "forward"
        if remaining > 0:
            self._rule = (action, remaining - 1, function_code)
            return "forward"
        if action == "stall":
            self.stall()
            return "stall"
        self._rule = None
        return action

    def _drop(self, link) -> None:
        if link in self._links:
            self._links.discard(link)
            for writer in link:
                with contextlib.suppress(Exception):
                    writer.transport.abort()


def _describe(pdu: bytes) -> ForwardedRequest:
    function_code = pdu[0] if pdu else 0
    address = int.from_bytes(pdu[1:3], "big") if len(pdu) >= 3 else None
    count = int.from_bytes(pdu[3:5], "big") if len(pdu) >= 5 else None
    return ForwardedRequest(function_code, address, count)
