"""Omron FINS frames as pure functions: build commands, parse replies, FINS/TCP envelope.

No I/O here. Only what the batch driver and the simulator need: MEMORY AREA READ (0101),
MEMORY AREA WRITE (0102) and MULTIPLE MEMORY AREA READ (0104) on the DM area (word access),
the end codes with their flag bits, and the FINS/TCP node-address handshake.

Sources (see /docs/plc-register-map.md, "FINS"): CS/CJ Ethernet Units manual §5-4 (header),
CS/CJ FINS commands §5-3 (0101/0102/0104), W342 §5-1-3 (end codes), CJ1W-ETN21 §7-4 (FINS/TCP).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Iterable, Sequence

# ---- header -----------------------------------------------------------------------------------
HEADER_LENGTH = 10
ICF_COMMAND = 0x80  # bit 7 = 1 (gateway use), bit 6 = 0 (command), bit 0 = 0 (response required)
ICF_RESPONSE = 0xC0
_ICF_RESPONSE_BIT = 0x40
GCT = 0x02  # "Set to 02" (Ethernet Units manual)

MEMORY_AREA_READ = (0x01, 0x01)
MEMORY_AREA_WRITE = (0x01, 0x02)
MULTIPLE_MEMORY_AREA_READ = (0x01, 0x04)

#: Word-access area code of the DM area (D0..D32767). Never use the bit code (0x02) on DM.
AREA_DM = 0x82
DM_HIGHEST_WORD = 32767

#: Ethernet limits: 10 header + 2 command + 2 end code + 2·n ≤ 2012 → 999 words read;
#: 996 for writes keeps to the safest published figure (libfins); 167 elements per 0104.
MAX_READ_WORDS = 999
MAX_WRITE_WORDS = 996
MAX_MULTI_READ_ITEMS = 167

# ---- end codes --------------------------------------------------------------------------------
END_RELAY_ERROR = 0x8000
END_FATAL_CPU_ERROR = 0x0080
END_NONFATAL_CPU_ERROR = 0x0040
_FLAG_BITS = END_RELAY_ERROR | END_FATAL_CPU_ERROR | END_NONFATAL_CPU_ERROR

#: Operator-readable text of the common end codes (flag bits masked off).
END_CODE_TEXT: dict[int, str] = {
    0x0000: "normal completion",
    0x0001: "service cancelled",
    0x0101: "local node not in network",
    0x0102: "token timeout",
    0x0103: "retries failed",
    0x0104: "too many send frames",
    0x0105: "our FINS node address out of range (check PLC_FINS_CLIENT_NODE)",
    0x0106: "our FINS node address is used by another device (check PLC_FINS_CLIENT_NODE)",
    0x0201: "destination node not in network (check PLC_FINS_NODE)",
    0x0202: "no such unit at the destination",
    0x0203: "third node not in network",
    0x0204: "destination node busy",
    0x0205: "response timeout inside the PLC network",
    0x0301: "communications controller error",
    0x0302: "PLC CPU unit error",
    0x0303: "controller error",
    0x0304: "unit number error",
    0x0401: "command not supported by the PLC",
    0x0402: "command not supported by this PLC model or version",
    0x0501: "routing error: destination address not set (check PLC_FINS_NETWORK)",
    0x0502: "routing error: no routing tables",
    0x0503: "routing table error",
    0x0504: "too many relays",
    0x1001: "command too long",
    0x1002: "command too short",
    0x1003: "number of words does not match the data sent",
    0x1004: "command format error",
    0x1005: "header error",
    0x1101: "memory area does not exist on this PLC",
    0x1102: "access size error",
    0x1103: "address out of range",
    0x1104: "address range exceeds the end of the memory area",
    0x1106: "total number of words is zero",
    0x1109: "relational error",
    0x110A: "duplicate data access",
    0x110B: "response too long: read fewer words per request (PLC_FINS_MAX_READ_WORDS)",
    0x110C: "parameter error",
    0x2002: "memory protected",
    0x2003: "unregistered table",
    0x2004: "search data does not exist",
    0x2005: "non-existent program",
    0x2006: "non-existent file",
    0x2007: "data mismatch",
    0x2101: "memory area is read-only",
    0x2102: "memory protected: writes refused",
    0x2103: "cannot register",
    0x2105: "non-existent program number",
    0x2106: "non-existent file",
    0x2107: "file name already exists",
    0x2108: "cannot change",
    0x2201: "not possible while the PLC is running: writes refused",
    0x2202: "PLC in PROGRAM mode: writes refused",
    0x2203: "PLC in DEBUG mode: not possible",
    0x2204: "PLC in MONITOR mode: not possible",
    0x2205: "PLC in RUN mode: not possible",
    0x2206: "specified node is not the polling node",
    0x2207: "step cannot be executed",
    0x2301: "file device missing",
    0x2302: "memory missing",
    0x2303: "clock missing",
    0x2401: "data link table missing or wrong",
    0x2502: "memory error in the PLC",
    0x2503: "I/O setting error in the PLC",
    0x2601: "no protection in the PLC",
    0x2602: "incorrect password",
    0x2604: "PLC protected",
    0x2605: "service already executing",
    0x2606: "service stopped",
    0x2607: "no execution right",
    0x2608: "settings not complete",
    0x3001: "access right held by another device (e.g. CX-Programmer)",
    0x4001: "service aborted",
}


def end_code_text(code: int) -> str:
    """The operator text of an end code: main meaning, then any flag bits."""
    main = code & ~_FLAG_BITS & 0xFFFF
    text = END_CODE_TEXT.get(main)
    if text is None:
        text = f"unknown FINS end code {main:04X}"
    flags = []
    if code & END_RELAY_ERROR:
        flags.append("network relay error")
    if code & END_FATAL_CPU_ERROR:
        flags.append("PLC CPU has a fatal error")
    if code & END_NONFATAL_CPU_ERROR:
        flags.append("PLC CPU reports a non-fatal error")
    return f"{text} ({', '.join(flags)})" if flags else text


def end_code_ok(code: int) -> bool:
    """Normal completion, also when the CPU error flags are set (0040/0080 = done, CPU has an error)."""
    return code & ~(END_FATAL_CPU_ERROR | END_NONFATAL_CPU_ERROR) & 0xFFFF == 0


class FinsFrameError(ValueError):
    """A frame that is not a well-formed FINS frame (too short, wrong kind)."""


class FinsEndCodeError(Exception):
    """The PLC answered with an error end code. ``code`` is the raw 16-bit end code."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.main_code = code & ~_FLAG_BITS & 0xFFFF
        super().__init__(f"FINS end code {code:04X}: {end_code_text(code)}")

    @property
    def relay_error(self) -> bool:
        return bool(self.code & END_RELAY_ERROR)


@dataclass(frozen=True)
class FinsAddress:
    """Who talks to whom: network, node and unit of the PLC and of us."""

    plc_node: int
    client_node: int
    network: int = 0
    plc_unit: int = 0  # 0 = CPU unit
    client_unit: int = 0


@dataclass(frozen=True)
class FinsHeader:
    icf: int
    gct: int
    dna: int
    da1: int
    da2: int
    sna: int
    sa1: int
    sa2: int
    sid: int

    @property
    def is_response(self) -> bool:
        return bool(self.icf & _ICF_RESPONSE_BIT)

    def to_bytes(self) -> bytes:
        return bytes([self.icf, 0, self.gct, self.dna, self.da1, self.da2, self.sna, self.sa1, self.sa2, self.sid])

    @classmethod
    def from_bytes(cls, data: bytes) -> "FinsHeader":
        if len(data) < HEADER_LENGTH:
            raise FinsFrameError(f"FINS frame of {len(data)} bytes is shorter than its 10-byte header")
        icf, _rsv, gct, dna, da1, da2, sna, sa1, sa2, sid = data[:HEADER_LENGTH]
        return cls(icf, gct, dna, da1, da2, sna, sa1, sa2, sid)


def command_header(address: FinsAddress, sid: int) -> FinsHeader:
    return FinsHeader(ICF_COMMAND, GCT, address.network, address.plc_node, address.plc_unit,
                      address.network, address.client_node, address.client_unit, sid & 0xFF)


# ---- DM addresses -----------------------------------------------------------------------------
def encode_dm_address(word: int) -> bytes:
    """Area code, word (big-endian), bit 00 — a DM word address."""
    if not 0 <= word <= DM_HIGHEST_WORD:
        raise ValueError(f"D{word} is outside the DM area D0..D{DM_HIGHEST_WORD}")
    return bytes([AREA_DM]) + struct.pack(">H", word) + b"\x00"


def _check_words(values: Sequence[int]) -> None:
    for value in values:
        if not 0 <= value <= 0xFFFF:
            raise ValueError(f"{value} is not a 16-bit word")


# ---- commands ---------------------------------------------------------------------------------
def build_read(address: FinsAddress, sid: int, word: int, count: int) -> bytes:
    """0101 MEMORY AREA READ of ``count`` DM words from D``word``."""
    if not 1 <= count <= MAX_READ_WORDS:
        raise ValueError(f"a FINS read carries 1..{MAX_READ_WORDS} words, not {count}")
    return (command_header(address, sid).to_bytes() + bytes(MEMORY_AREA_READ)
            + encode_dm_address(word) + struct.pack(">H", count))


def build_write(address: FinsAddress, sid: int, word: int, values: Sequence[int]) -> bytes:
    """0102 MEMORY AREA WRITE of ``values`` to DM words from D``word``."""
    if not 1 <= len(values) <= MAX_WRITE_WORDS:
        raise ValueError(f"a FINS write carries 1..{MAX_WRITE_WORDS} words, not {len(values)}")
    _check_words(values)
    return (command_header(address, sid).to_bytes() + bytes(MEMORY_AREA_WRITE)
            + encode_dm_address(word) + struct.pack(">H", len(values))
            + struct.pack(f">{len(values)}H", *values))


def build_multi_read(address: FinsAddress, sid: int, words: Sequence[int]) -> bytes:
    """0104 MULTIPLE MEMORY AREA READ of single DM words (at most 167)."""
    if not 1 <= len(words) <= MAX_MULTI_READ_ITEMS:
        raise ValueError(f"a FINS multiple read carries 1..{MAX_MULTI_READ_ITEMS} words, not {len(words)}")
    return (command_header(address, sid).to_bytes() + bytes(MULTIPLE_MEMORY_AREA_READ)
            + b"".join(encode_dm_address(word) for word in words))


# ---- replies ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FinsResponse:
    header: FinsHeader
    command: tuple[int, int]
    end_code: int
    data: bytes


def parse_response(frame: bytes) -> FinsResponse:
    """Split a reply frame; raises FinsFrameError if it is not a reply."""
    if len(frame) < HEADER_LENGTH + 4:
        raise FinsFrameError(f"FINS reply of {len(frame)} bytes is too short (need at least 14)")
    header = FinsHeader.from_bytes(frame)
    if not header.is_response:
        raise FinsFrameError("FINS frame is a command, not a reply")
    command = (frame[10], frame[11])
    end_code = struct.unpack(">H", frame[12:14])[0]
    return FinsResponse(header, command, end_code, frame[14:])


def reply_matches(response: FinsResponse, address: FinsAddress, sid: int, command: tuple[int, int]) -> bool:
    """True when ``response`` is the answer to our command: same SID and command, sent to our node by the PLC."""
    h = response.header
    return (
        h.sid == sid
        and response.command == command
        and h.da1 == address.client_node
        and h.sa1 == address.plc_node
        and h.dna == address.network
        and h.da2 == address.client_unit
    )


def read_words(response: FinsResponse, count: int) -> list[int]:
    """The words of a 0101 reply; raises FinsEndCodeError on an error end code."""
    _raise_for_end_code(response)
    if len(response.data) < 2 * count:
        raise FinsFrameError(f"FINS read reply carries {len(response.data) // 2} words, expected {count}")
    return list(struct.unpack(f">{count}H", response.data[: 2 * count]))


def multi_read_words(response: FinsResponse, count: int) -> list[int]:
    """The words of a 0104 reply (each element: area code + word)."""
    _raise_for_end_code(response)
    if len(response.data) < 3 * count:
        raise FinsFrameError(f"FINS multiple read reply carries {len(response.data) // 3} elements, expected {count}")
    words = []
    for index in range(count):
        element = response.data[3 * index: 3 * index + 3]
        if element[0] != AREA_DM:
            raise FinsFrameError(f"FINS multiple read reply element {index + 1} has area code {element[0]:02X}")
        words.append(struct.unpack(">H", element[1:3])[0])
    return words


def check_write(response: FinsResponse) -> None:
    _raise_for_end_code(response)


def _raise_for_end_code(response: FinsResponse) -> None:
    if not end_code_ok(response.end_code):
        raise FinsEndCodeError(response.end_code)


# ---- the PLC's side (simulator) ---------------------------------------------------------------
@dataclass(frozen=True)
class FinsCommand:
    header: FinsHeader
    command: tuple[int, int]
    parameters: bytes


def parse_command(frame: bytes) -> FinsCommand:
    if len(frame) < HEADER_LENGTH + 2:
        raise FinsFrameError(f"FINS command of {len(frame)} bytes is too short (need at least 12)")
    header = FinsHeader.from_bytes(frame)
    if header.is_response:
        raise FinsFrameError("FINS frame is a reply, not a command")
    return FinsCommand(header, (frame[10], frame[11]), frame[12:])


def build_response(command: FinsCommand, end_code: int, data: bytes = b"", *, sid: int | None = None,
                   to_node: int | None = None) -> bytes:
    """The reply to ``command``: header with source and destination swapped, SID echoed."""
    h = command.header
    header = FinsHeader(ICF_RESPONSE, GCT, h.sna, h.sa1 if to_node is None else to_node, h.sa2,
                        h.dna, h.da1, h.da2, h.sid if sid is None else sid & 0xFF)
    return header.to_bytes() + bytes(command.command) + struct.pack(">H", end_code) + data


def words_to_bytes(words: Iterable[int]) -> bytes:
    words = list(words)
    return struct.pack(f">{len(words)}H", *words)


def bytes_to_words(data: bytes) -> list[int]:
    return list(struct.unpack(f">{len(data) // 2}H", data[: len(data) // 2 * 2]))


# ---- FINS/TCP envelope ------------------------------------------------------------------------
TCP_MAGIC = b"FINS"
TCP_HEADER_LENGTH = 16  # magic, length, command, error code
TCP_NODE_REQUEST = 0
TCP_NODE_REPLY = 1
TCP_FRAME_SEND = 2
TCP_FRAME_ERROR = 3
TCP_CONNECTION_CONFIRMATION = 6
#: The largest length field we accept: 8 + a 2012-byte FINS frame.
TCP_MAX_LENGTH = 8 + 2012

TCP_ERROR_TEXT = {
    0x01: "header is not 'FINS'",
    0x02: "data length too long",
    0x03: "command not supported",
    0x20: "all FINS/TCP connections of the PLC are in use",
    0x21: "our FINS node is already connected (PLC_FINS_CLIENT_NODE used by another client)",
    0x22: "protected node: this PC's IP address is not listed on the PLC",
    0x23: "client FINS node out of range (check PLC_FINS_CLIENT_NODE)",
    0x24: "client and PLC use the same FINS node",
    0x25: "the PLC has no FINS node left to allocate",
}


def tcp_error_text(code: int) -> str:
    return TCP_ERROR_TEXT.get(code, f"FINS/TCP error {code:08X}")


def tcp_message(command: int, payload: bytes = b"", error_code: int = 0) -> bytes:
    """One FINS/TCP message: 'FINS', length (of what follows it), command, error code, payload."""
    return TCP_MAGIC + struct.pack(">III", 8 + len(payload), command, error_code) + payload


def build_tcp_node_request(client_node: int = 0) -> bytes:
    """NODE ADDRESS DATA SEND (client → PLC); 0 asks the PLC to allocate our node."""
    return tcp_message(TCP_NODE_REQUEST, struct.pack(">I", client_node))


def build_tcp_node_reply(client_node: int, server_node: int, error_code: int = 0) -> bytes:
    return tcp_message(TCP_NODE_REPLY, struct.pack(">II", client_node, server_node), error_code)


def wrap_tcp(frame: bytes) -> bytes:
    return tcp_message(TCP_FRAME_SEND, frame)


@dataclass(frozen=True)
class TcpMessage:
    command: int
    error_code: int
    payload: bytes


def parse_tcp_header(header: bytes) -> tuple[int, int, int]:
    """(length of what follows the length field, command, error code) from the 16-byte header."""
    if len(header) < TCP_HEADER_LENGTH:
        raise FinsFrameError("FINS/TCP header shorter than 16 bytes")
    if header[:4] != TCP_MAGIC:
        raise FinsFrameError(f"FINS/TCP message does not start with 'FINS' ({header[:4].hex()})")
    length, command, error_code = struct.unpack(">III", header[4:16])
    if not 8 <= length <= TCP_MAX_LENGTH:
        raise FinsFrameError(f"FINS/TCP length {length} out of range 8..{TCP_MAX_LENGTH}")
    return length, command, error_code


def parse_tcp_node_reply(payload: bytes) -> tuple[int, int]:
    """(our client node, the PLC's node) from a NODE ADDRESS DATA SEND reply."""
    if len(payload) < 8:
        raise FinsFrameError("FINS/TCP node address reply shorter than 8 bytes")
    client_node, server_node = struct.unpack(">II", payload[:8])
    return client_node, server_node


class TcpDeframer:
    """Cut a byte stream into FINS/TCP messages (reads by the length field, never by recv size)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[TcpMessage]:
        self._buffer.extend(data)
        messages = []
        while len(self._buffer) >= TCP_HEADER_LENGTH:
            length, command, error_code = parse_tcp_header(bytes(self._buffer[:TCP_HEADER_LENGTH]))
            total = 8 + length
            if len(self._buffer) < total:
                break
            payload = bytes(self._buffer[TCP_HEADER_LENGTH:total])
            del self._buffer[:total]
            messages.append(TcpMessage(command, error_code, payload))
        return messages
