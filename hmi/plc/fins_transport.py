"""Omron FINS word transports: FINS/UDP and FINS/TCP on the DM area.

Both put one FINS command on the wire at a time and take as its answer only the reply that
matches it: same SID (a new one per request, 1..255), same command code, sent by the PLC's node
to our node. Anything else — a duplicated or late reply to an earlier request, a reply meant for
another FINS client, a frame that does not parse — is dropped and counted (``dropped_replies``),
never taken as the answer. That matters: with SID 0 on every request, a single stale datagram
shifts every later answer by one (seen with three published libraries, docs/plc-register-map.md).

FINS/UDP has no connection: "connected" means a probe read was answered; the PLC not answering
makes the link FAULT, an ICMP "port unreachable" makes it lose the connection and reconnect.
FINS/TCP opens a TCP connection and does the node-address handshake first (our node 0 = let the
PLC allocate one); the stream is cut into messages by their length field.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from typing import Callable, Sequence

from hmi.plc import fins_codec as fins
from hmi.plc.errors import PlcProtocolError
from hmi.plc.transport import NoAnswer, TransportLost, WordTransport

log = logging.getLogger("hmi.plc")

DEFAULT_FINS_PORT = 9600


class PlcEndCodeError(PlcProtocolError):
    """The PLC answered a FINS command with an error end code (``end_code``, raw)."""

    def __init__(self, error: fins.FinsEndCodeError) -> None:
        super().__init__(str(error), exception_code=error.code)
        self.end_code = error.code


def ip_last_octet(host: str) -> int | None:
    """The host number of a dotted IPv4 address (192.168.1.2 → 2), None for names and IPv6."""
    parts = host.split(".")
    if len(parts) == 4 and all(part.isdigit() for part in parts):
        return int(parts[3])
    return None


def local_ip_towards(host: str, port: int) -> str:
    """The local IPv4 address the OS uses to reach host:port (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((host, port))
        return probe.getsockname()[0]


class _FinsTransport(WordTransport):
    """What FINS/UDP and FINS/TCP share: addressing, SIDs, reply matching, the three commands."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_FINS_PORT,
        *,
        plc_node: int | None = None,
        client_node: int | None = None,
        network: int = 0,
        max_read_words: int = fins.MAX_READ_WORDS,
        read_retries: int = 0,
        probe_address: int = 0,
        **supervision,
    ) -> None:
        super().__init__(host, port, **supervision)
        if not 1 <= max_read_words <= fins.MAX_READ_WORDS:
            raise ValueError(f"max_read_words must be 1..{fins.MAX_READ_WORDS}")
        self.max_read_words = max_read_words
        self.max_write_words = fins.MAX_WRITE_WORDS
        if plc_node is None:
            plc_node = ip_last_octet(host)
            if plc_node is None:
                raise ValueError(f"PLC host {host!r} is not an IPv4 address: set the PLC's FINS node explicitly")
        self.configured_plc_node = plc_node
        self.configured_client_node = client_node
        self.network = network
        self.read_retries = read_retries
        #: A DM word read once to prove the PLC answers (UDP) — any readable word will do.
        self.probe_address = probe_address
        self.address = fins.FinsAddress(plc_node=plc_node, client_node=client_node or 0, network=network)
        # A random first SID: two clients that (wrongly) share a FINS node rarely use the same SID at once.
        self._sid = random.randrange(255)
        #: (SID, command, data bytes a normal reply carries, future) of the request in flight.
        self._pending: tuple[int, tuple[int, int], int, asyncio.Future] | None = None
        self._request_lock = asyncio.Lock()
        #: Replies dropped because they did not answer the request in flight (stale, duplicate,
        #: wrong SID, another node's, malformed).
        self.dropped_replies = 0
        #: Error end codes that still meant success (CPU error flags 0040/0080).
        self.cpu_error_replies = 0

    def describe_read(self, start: int, count: int) -> str:
        return f"FINS read D{start}-D{start + count - 1} (0101)"

    def describe_write(self, start: int, count: int) -> str:
        return f"FINS write D{start}-D{start + count - 1} (0102)"

    def describe_scattered(self, addresses: Sequence[int]) -> str:
        return f"FINS multiple read of {len(addresses)} words D{min(addresses)}..D{max(addresses)} (0104)"

    def supports_scattered_read(self, words: int) -> bool:
        return words <= fins.MAX_MULTI_READ_ITEMS

    def _next_sid(self) -> int:
        self._sid = self._sid % 255 + 1
        return self._sid

    # ---- one exchange ---------------------------------------------------------------------------
    def _send_frame(self, frame: bytes) -> None:  # pragma: no cover - each transport has its own
        raise NotImplementedError

    async def _exchange(self, build: Callable[[int], bytes], command: tuple[int, int],
                        reply_bytes: int = 0) -> fins.FinsResponse:
        """Send one command (a fresh SID) and wait for the reply that matches it: same SID and command,
        from the PLC's node to ours, and — when it reports success — exactly ``reply_bytes`` of data."""
        async with self._request_lock:
            sid = self._next_sid()
            future: asyncio.Future = asyncio.get_running_loop().create_future()
            self._pending = (sid, command, reply_bytes, future)
            try:
                self._send_frame(build(sid))
                try:
                    async with asyncio.timeout(self.timeout):
                        return await future
                except TimeoutError:
                    raise NoAnswer(f"no FINS reply to SID {sid}") from None
            finally:
                self._pending = None

    def _frame_received(self, frame: bytes) -> None:
        try:
            response = fins.parse_response(frame)
        except fins.FinsFrameError as exc:
            self._drop(f"malformed frame ({exc})")
            return
        pending = self._pending
        if pending is None:
            self._drop(f"reply with SID {response.header.sid} while no request is waiting (late or duplicated)")
            return
        sid, command, reply_bytes, future = pending
        if not fins.reply_matches(response, self.address, sid, command):
            self._drop(
                f"reply SID {response.header.sid} from node {response.header.sa1} to node {response.header.da1} "
                f"does not answer SID {sid} to node {self.address.client_node}"
            )
            return
        if fins.end_code_ok(response.end_code) and len(response.data) != reply_bytes:
            self._drop(f"reply to SID {sid} carries {len(response.data)} data bytes, not {reply_bytes} "
                       f"(an answer to another request)")
            return
        if future.done():  # answered already (a duplicate in the same read of the stream)
            self._drop(f"second reply to SID {sid}")
            return
        future.set_result(response)
        self._pending = None

    def _drop(self, why: str) -> None:
        self.dropped_replies += 1
        self.log.debug("FINS reply dropped from %s: %s", self.endpoint, why)

    def _checked(self, call: Callable[[], list[int] | None], response: fins.FinsResponse):
        if response.end_code and fins.end_code_ok(response.end_code):
            self.cpu_error_replies += 1
            if self.cpu_error_replies == 1:
                self.log.warning("PLC reports a CPU error (FINS end code %04X: %s); data exchange continues",
                            response.end_code, fins.end_code_text(response.end_code))
        try:
            return call()
        except fins.FinsEndCodeError as exc:
            raise PlcEndCodeError(exc) from None
        except fins.FinsFrameError as exc:
            raise PlcProtocolError(str(exc), exception_code=None) from None

    # ---- the three commands ---------------------------------------------------------------------
    async def _read(self, start: int, count: int) -> list[int]:
        attempts = self.read_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                response = await self._exchange(
                    lambda sid: fins.build_read(self.address, sid, start, count), fins.MEMORY_AREA_READ, 2 * count)
            except NoAnswer:
                if attempt == attempts or not self._is_open():
                    raise
                self.log.info("PLC did not answer %s within %.1f s; asking once more",
                         self.describe_read(start, count), self.timeout)
                continue
            return self._checked(lambda: fins.read_words(response, count), response)
        raise AssertionError("unreachable")

    async def _write(self, start: int, values: Sequence[int]) -> None:
        # Never retried here: a handshake write repeated after the PLC already acted on it would
        # start the same recipes twice.
        response = await self._exchange(
            lambda sid: fins.build_write(self.address, sid, start, values), fins.MEMORY_AREA_WRITE)
        self._checked(lambda: fins.check_write(response), response)

    async def _read_words(self, addresses: Sequence[int]) -> list[int]:
        response = await self._exchange(
            lambda sid: fins.build_multi_read(self.address, sid, addresses), fins.MULTIPLE_MEMORY_AREA_READ,
            3 * len(addresses))
        return self._checked(lambda: fins.multi_read_words(response, len(addresses)), response)

    def _guard_seconds(self) -> float:
        return self.timeout * (self.read_retries + 1) + 1.0


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, owner: "FinsUdpTransport") -> None:
        self.owner = owner

    def datagram_received(self, data: bytes, addr) -> None:
        self.owner._frame_received(data)

    def error_received(self, exc: Exception) -> None:
        self.owner._udp_error(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.owner._udp_closed()


class FinsUdpTransport(_FinsTransport):
    """FINS over UDP (default port 9600) from an ephemeral or fixed local port.

    ``client_node`` None = the host number of this PC's address on the route to the PLC (what the
    PLC's automatic address conversion expects); ``local_port`` 0 = ephemeral (9600 for PLCs set
    to the static conversion method).
    """

    protocol = "fins-udp"

    def __init__(self, host: str, port: int = DEFAULT_FINS_PORT, *, local_port: int = 0, **options) -> None:
        super().__init__(host, port, read_retries=options.pop("read_retries", 1), **options)
        self.local_port = local_port
        self._transport: asyncio.DatagramTransport | None = None
        self._refused: str | None = None

    async def _open(self) -> str | None:
        client_node = self.configured_client_node
        if client_node is None:
            client_node = ip_last_octet(local_ip_towards(self.host, self.port)) or 0
        if not 1 <= client_node <= 254:
            return f"cannot derive our FINS node from this PC's address (got {client_node}); set it explicitly"
        self.address = fins.FinsAddress(plc_node=self.configured_plc_node, client_node=client_node,
                                        network=self.network)
        loop = asyncio.get_running_loop()
        self._refused = None
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self), remote_addr=(self.host, self.port),
            local_addr=("0.0.0.0", self.local_port) if self.local_port else None,
        )
        # UDP has no handshake: the PLC counts as reachable once it answers one read.
        try:
            response = await self._exchange(
                lambda sid: fins.build_read(self.address, sid, self.probe_address, 1), fins.MEMORY_AREA_READ, 2)
        except NoAnswer:
            return self._refused or f"no FINS reply within {self.timeout} s (node {self.address.plc_node})"
        except TransportLost as exc:
            return str(exc)
        self.request_count += 1
        if not fins.end_code_ok(response.end_code):
            return f"PLC answered the probe read of D{self.probe_address}: {fins.end_code_text(response.end_code)}"
        return None

    def _send_frame(self, frame: bytes) -> None:
        if self._refused is not None:
            raise TransportLost(self._refused)
        if self._transport is None or self._transport.is_closing():
            raise TransportLost("socket closed")
        self._transport.sendto(frame)

    def _udp_error(self, exc: Exception) -> None:
        # On a connected UDP socket an ICMP "port unreachable" arrives here: nothing listens at the
        # PLC's FINS port (simulator stopped, PLC restarting, wrong port).
        self._refused = f"{self.host}:{self.port} refused FINS/UDP ({exc.strerror or exc})" \
            if isinstance(exc, OSError) else str(exc)
        pending = self._pending
        if pending is not None and not pending[3].done():
            pending[3].set_exception(TransportLost(self._refused))
        self._close()
        self._connection_lost(self._refused)

    def _udp_closed(self) -> None:
        self._transport = None

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def _is_open(self) -> bool:
        return self._transport is not None and not self._transport.is_closing()


class FinsTcpTransport(_FinsTransport):
    """FINS/TCP (default port 9600): TCP connection, node-address handshake, length-framed frames.

    ``client_node`` None or 0 = let the PLC allocate our node in the handshake; the PLC's node comes
    from its handshake reply too.
    """

    protocol = "fins-tcp"

    def __init__(self, host: str, port: int = DEFAULT_FINS_PORT, **options) -> None:
        if options.get("plc_node") is None:
            options["plc_node"] = ip_last_octet(host) or 0  # replaced by the handshake's answer
        super().__init__(host, port, **options)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task | None = None

    async def _open(self) -> str | None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), self.timeout + 1)
        except asyncio.TimeoutError:
            return f"connect timed out after {self.timeout} s"
        except OSError as exc:
            return exc.strerror or str(exc)
        try:
            writer.write(fins.build_tcp_node_request(self.configured_client_node or 0))
            await writer.drain()
            async with asyncio.timeout(self.timeout):
                header = await reader.readexactly(fins.TCP_HEADER_LENGTH)
                length, command, error_code = fins.parse_tcp_header(header)
                payload = await reader.readexactly(length - 8)
        except (TimeoutError, asyncio.IncompleteReadError, OSError, fins.FinsFrameError) as exc:
            writer.close()
            return f"FINS/TCP node address handshake failed: {exc or type(exc).__name__}"
        if command != fins.TCP_NODE_REPLY or error_code:
            writer.close()
            return f"FINS/TCP node address handshake refused: {fins.tcp_error_text(error_code)}"
        client_node, server_node = fins.parse_tcp_node_reply(payload)
        self.address = fins.FinsAddress(plc_node=server_node, client_node=client_node, network=self.network)
        self._reader, self._writer = reader, writer
        self._reader_task = asyncio.create_task(self._read_stream(reader), name=f"fins-tcp-{self.endpoint}")
        self.log.debug("FINS/TCP handshake with %s: our node %d, PLC node %d", self.endpoint, client_node, server_node)
        return None

    async def _read_stream(self, reader: asyncio.StreamReader) -> None:
        deframer = fins.TcpDeframer()
        reason = "connection closed by the PLC"
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for message in deframer.feed(data):
                    if message.command == fins.TCP_FRAME_SEND:
                        self._frame_received(message.payload)
                    elif message.command == fins.TCP_FRAME_ERROR:
                        reason = f"PLC reported a FINS/TCP error: {fins.tcp_error_text(message.error_code)}"
                        return
                    # CONNECTION CONFIRMATION and others: nothing to do
        except fins.FinsFrameError as exc:
            reason = f"FINS/TCP stream out of step: {exc}"
        except (OSError, asyncio.IncompleteReadError) as exc:
            reason = str(exc) or type(exc).__name__
        except asyncio.CancelledError:
            raise
        finally:
            if self._reader is reader:
                pending = self._pending
                if pending is not None and not pending[3].done():
                    pending[3].set_exception(TransportLost(reason))
                self._close()
                self._connection_lost(reason)

    def _send_frame(self, frame: bytes) -> None:
        if self._writer is None or self._writer.is_closing():
            raise TransportLost("connection closed")
        self._writer.write(fins.wrap_tcp(frame))

    def _close(self) -> None:
        writer, self._writer = self._writer, None
        self._reader = None
        task, self._reader_task = self._reader_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
        if writer is not None:
            writer.close()

    def _is_open(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()
