"""Omron FINS front end of the simulated PLC: FINS/UDP or FINS/TCP on the DM area.

Serves MEMORY AREA READ (0101), MEMORY AREA WRITE (0102) and MULTIPLE MEMORY AREA READ (0104)
from the simulated PLC's word image (the whole DM area D0..D32767), with the end codes a CJ CPU
gives for bad requests (1101 no such area, 1103/1104 address out of range, 1003 data length,
110B response too long, 1001/1002 command too long/short, 0401 unknown command).

Fault injection (``faults``), the reason to own a simulator: drop, delay (late reply), duplicate,
wrong SID, reply addressed to another FINS node, error end codes, PLC in PROGRAM mode.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections import Counter
from dataclasses import dataclass, field

from hmi.plc import fins_codec as fins
from hmi.sim.plc_core import SimulatedPlc

log = logging.getLogger("hmi.sim.plc")

PROGRAM_MODE_END_CODE = 0x2202
FIRST_ALLOCATED_NODE = 239  # FINS/TCP nodes handed out to clients that ask for one (node 0)


@dataclass
class FinsFaults:
    """What the next replies suffer. Each counter is consumed one reply at a time."""

    drop: int = 0  #: replies not sent at all
    delay: int = 0  #: replies sent late, after ``delay_seconds``
    delay_seconds: float = 1.0
    duplicate: int = 0  #: replies sent twice
    wrong_sid: int = 0  #: replies preceded by a copy with another SID and scrambled data
    foreign_node: int = 0  #: replies preceded by a copy addressed to another FINS node, scrambled
    #: replies preceded by a copy with the same SID carrying half the data (another request's answer)
    other_length: int = 0
    end_code: int = 0  #: replies carrying ``end_code_value`` instead of the answer
    end_code_value: int = 0x2202
    #: PLC in PROGRAM mode: every write is refused with 2202, reads still work.
    program_mode: bool = False
    counts: Counter = field(default_factory=Counter)

    def take(self, name: str) -> bool:
        value = getattr(self, name)
        if value > 0:
            setattr(self, name, value - 1)
            self.counts[name] += 1
            return True
        return False


class FinsFrontEnd:
    """FINS server over a SimulatedPlc; ``transport`` "udp" or "tcp"; ``port`` 0 = a free one."""

    def __init__(self, plc: SimulatedPlc, host: str = "127.0.0.1", port: int = 9600, *, transport: str = "udp",
                 node: int | None = None) -> None:
        if transport not in ("udp", "tcp"):
            raise ValueError("transport must be 'udp' or 'tcp'")
        self.plc = plc
        self.host = host
        self.port = port
        self.transport = transport
        self.protocol = f"fins-{transport}"
        last_octet = host.split(".")[-1]
        self.node = node if node is not None else (int(last_octet) if last_octet.isdigit() and int(last_octet) else 1)
        self.faults = FinsFaults()
        #: Replies held back by a delay fault and sent since (tests wait on this, not on the delay).
        self.late_replies_sent = 0
        #: Commands served, by code ("0101", "0102", "0104", ...).
        self.commands: Counter = Counter()
        self._image = [0] * (fins.DM_HIGHEST_WORD + 1)
        self._attached = False
        self._udp: asyncio.DatagramTransport | None = None
        self._server: asyncio.base_events.Server | None = None
        self._tcp_clients: dict[asyncio.StreamWriter, int] = {}
        self._tcp_tasks: set[asyncio.Task] = set()

    # ---- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        if not self._attached:
            self.plc.attach_image(self._image, 0)
            self.plc.initialise()
            self._attached = True
        loop = asyncio.get_running_loop()
        if self.transport == "udp":
            self._udp, _ = await loop.create_datagram_endpoint(
                lambda: _UdpServerProtocol(self), local_addr=(self.host, self.port))
            self.port = self._udp.get_extra_info("sockname")[1]
        else:
            self._server = await asyncio.start_server(self._serve_tcp, self.host, self.port)
            self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        if self._server is not None:
            self._server.close()
            for writer in list(self._tcp_clients):
                writer.close()  # the connection's task sees end of stream and returns
            tasks = list(self._tcp_tasks)
            if tasks:
                _, stuck = await asyncio.wait(tasks, timeout=1.0)
                for task in stuck:
                    task.cancel()
                await asyncio.gather(*stuck, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
            self._tcp_clients.clear()

    # ---- one command → its reply ----------------------------------------------------------------
    def answer(self, frame: bytes) -> bytes | None:
        """The reply to one FINS command frame (None for a frame that cannot be answered)."""
        try:
            command = fins.parse_command(frame)
        except fins.FinsFrameError as exc:
            log.debug("FINS simulator: frame ignored: %s", exc)
            return None
        code = f"{command.command[0]:02X}{command.command[1]:02X}"
        self.commands[code] += 1
        if command.header.icf & 0x01:  # "no response required"
            self._execute(command)
            return None
        end_code, data = self._execute(command)
        return fins.build_response(command, end_code, data)

    def _execute(self, command: fins.FinsCommand) -> tuple[int, bytes]:
        params = command.parameters
        if command.command == fins.MEMORY_AREA_READ:
            if len(params) < 6:
                return 0x1002, b""
            if len(params) > 6:
                return 0x1001, b""
            area, word, bit, count = params[0], struct.unpack(">H", params[1:3])[0], params[3], \
                struct.unpack(">H", params[4:6])[0]
            error = self._check_range(area, word, bit, count)
            if error:
                return error, b""
            if count > fins.MAX_READ_WORDS:
                return 0x110B, b""
            if count == 0:
                return 0, b""
            refused = self.plc.refusal(word, count, False)
            if refused is not None:
                return int(refused), b""
            return 0, fins.words_to_bytes(self._image[word: word + count])
        if command.command == fins.MEMORY_AREA_WRITE:
            if len(params) < 6:
                return 0x1002, b""
            area, word, bit, count = params[0], struct.unpack(">H", params[1:3])[0], params[3], \
                struct.unpack(">H", params[4:6])[0]
            data = params[6:]
            if count > 997:
                return 0x1001, b""
            error = self._check_range(area, word, bit, count)
            if error:
                return error, b""
            if len(data) != 2 * count:
                return 0x1003, b""
            if self.faults.program_mode:
                return PROGRAM_MODE_END_CODE, b""
            refused = self.plc.refusal(word, count, True)
            if refused is not None:
                return int(refused), b""
            values = fins.bytes_to_words(data)
            self.plc.note_write(word, values)
            self._image[word: word + count] = values
            return 0, b""
        if command.command == fins.MULTIPLE_MEMORY_AREA_READ:
            if not params or len(params) % 4:
                return 0x1002 if len(params) < 4 else 0x1003, b""
            items = len(params) // 4
            if items > fins.MAX_MULTI_READ_ITEMS:
                return 0x1001, b""
            out = bytearray()
            for index in range(items):
                area, word, bit = params[4 * index], struct.unpack(">H", params[4 * index + 1: 4 * index + 3])[0], \
                    params[4 * index + 3]
                error = self._check_range(area, word, bit, 1)
                if error:
                    return error, b""
                refused = self.plc.refusal(word, 1, False)
                if refused is not None:
                    return int(refused), b""
                out += bytes([fins.AREA_DM]) + struct.pack(">H", self._image[word])
            return 0, bytes(out)
        return 0x0401, b""

    @staticmethod
    def _check_range(area: int, word: int, bit: int, count: int) -> int:
        if area != fins.AREA_DM:
            return 0x1101
        if bit != 0 or word > fins.DM_HIGHEST_WORD:
            return 0x1103
        if word + count > fins.DM_HIGHEST_WORD + 1:
            return 0x1104
        return 0

    # ---- faults: the frames actually sent for one reply ------------------------------------------
    def _frames_for(self, reply: bytes) -> tuple[list[bytes], float]:
        """(frames to send, delay) for one reply after fault injection."""
        f = self.faults
        if f.take("drop"):
            log.info("FINS simulator: reply to SID %d dropped (fault injection)", reply[9])
            return [], 0.0
        if f.take("end_code"):
            # CPU error flags (0040/0080) still carry the data; a real error carries none.
            data = reply[14:] if fins.end_code_ok(f.end_code_value) else b""
            reply = reply[:12] + struct.pack(">H", f.end_code_value) + data
        frames = [reply]
        if f.take("wrong_sid"):
            frames.insert(0, _scrambled(reply, sid=(reply[9] + 97) % 256 or 1))
        if f.take("foreign_node"):
            frames.insert(0, _scrambled(reply, to_node=(reply[4] % 254) + 1))
        if len(reply) > 16 and f.take("other_length"):
            data = reply[14:]
            frames.insert(0, _scrambled(reply[:14] + data[: len(data) // 2 // 2 * 2]))
        if f.take("duplicate"):
            frames.append(reply)
        delay = f.delay_seconds if f.take("delay") else 0.0
        return frames, delay

    def _send_later(self, send, frames: list[bytes], delay: float) -> None:
        if not frames:
            return
        if delay:
            def send_late() -> None:
                for frame in frames:
                    send(frame)
                self.late_replies_sent += 1

            asyncio.get_running_loop().call_later(delay, send_late)
        else:
            for frame in frames:
                send(frame)

    # ---- UDP ------------------------------------------------------------------------------------
    def _on_datagram(self, data: bytes, addr) -> None:
        reply = self.answer(data)
        if reply is None or self._udp is None:
            return
        udp = self._udp
        frames, delay = self._frames_for(reply)
        self._send_later(lambda frame: udp.is_closing() or udp.sendto(frame, addr), frames, delay)

    # ---- TCP ------------------------------------------------------------------------------------
    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tcp_tasks.add(task)
        try:
            header = await reader.readexactly(fins.TCP_HEADER_LENGTH)
            try:
                length, command, _ = fins.parse_tcp_header(header)
            except fins.FinsFrameError:
                writer.write(fins.tcp_message(fins.TCP_FRAME_ERROR, error_code=0x01))
                return
            payload = await reader.readexactly(length - 8)
            if command != fins.TCP_NODE_REQUEST or len(payload) < 4:
                writer.write(fins.tcp_message(fins.TCP_FRAME_ERROR, error_code=0x03))
                return
            requested = struct.unpack(">I", payload[:4])[0]
            in_use = set(self._tcp_clients.values())
            if requested == 0:
                free = [n for n in range(FIRST_ALLOCATED_NODE, 255) if n not in in_use and n != self.node]
                if not free:
                    writer.write(fins.build_tcp_node_reply(0, self.node, error_code=0x25))
                    return
                client_node = free[0]
            elif requested in in_use:
                writer.write(fins.build_tcp_node_reply(requested, self.node, error_code=0x21))
                return
            elif requested == self.node:
                writer.write(fins.build_tcp_node_reply(requested, self.node, error_code=0x24))
                return
            elif not 1 <= requested <= 254:
                writer.write(fins.build_tcp_node_reply(requested, self.node, error_code=0x23))
                return
            else:
                client_node = requested
            self._tcp_clients[writer] = client_node
            writer.write(fins.build_tcp_node_reply(client_node, self.node))
            deframer = fins.TcpDeframer()
            while True:
                data = await reader.read(65536)
                if not data:
                    return
                try:
                    messages = deframer.feed(data)
                except fins.FinsFrameError:
                    writer.write(fins.tcp_message(fins.TCP_FRAME_ERROR, error_code=0x01))
                    return
                for message in messages:
                    if message.command != fins.TCP_FRAME_SEND:
                        writer.write(fins.tcp_message(fins.TCP_FRAME_ERROR, error_code=0x03))
                        return
                    reply = self.answer(message.payload)
                    if reply is None:
                        continue
                    frames, delay = self._frames_for(reply)
                    self._send_later(
                        lambda frame: writer.is_closing() or writer.write(fins.wrap_tcp(frame)), frames, delay)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self._tcp_clients.pop(writer, None)
            self._tcp_tasks.discard(task)
            if not writer.is_closing():
                writer.close()


def _scrambled(reply: bytes, *, sid: int | None = None, to_node: int | None = None) -> bytes:
    """A copy of ``reply`` that must never be taken as the answer: other SID or other node, and
    data bytes inverted so a client that took it would store visibly wrong values."""
    frame = bytearray(reply)
    if sid is not None:
        frame[9] = sid
    if to_node is not None:
        frame[4] = to_node
    for index in range(14, len(frame)):
        frame[index] ^= 0xFF
    return bytes(frame)


class _UdpServerProtocol(asyncio.DatagramProtocol):
    def __init__(self, front_end: FinsFrontEnd) -> None:
        self.front_end = front_end

    def datagram_received(self, data: bytes, addr) -> None:
        self.front_end._on_datagram(data, addr)

    def error_received(self, exc: Exception) -> None:  # e.g. ICMP from a client that went away
        log.debug("FINS simulator: UDP error %s", exc)
