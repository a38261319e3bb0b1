"""The PLC's equipment-failure area (origin D8000–D8022) as pure functions.

Layout (offsets from the area start): equipment code ASCII 16 (+0..+7), info ASCII 16 (+8..+15),
the PLC clock as BCD — year 4 digits (+16), month, day, hour, minute, second (+17..+21) — and the
handshake word (+22): the PLC writes a record and sets it to 0, the HMI sets it to 1 once the record
is stored. Nothing here raises on bad data: a record that cannot be read fully is returned with
what could be read and a note saying what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from hmi.plc.codec import decode_text, encode_text
from hmi.plc.register_map import (
    FAILURE_AREA_WORDS,
    FAILURE_CODE_OFFSET,
    FAILURE_FLAG_OFFSET,
    FAILURE_INFO_OFFSET,
    FAILURE_TIME_OFFSET,
    RegisterMap,
)

#: Info texts the origin's PLC program writes when there is no failure.
NO_FAILURE_TEXTS = {"", "0", "NONE", "NO_FAILURE", "NO FAILURE", "-"}


@dataclass(frozen=True)
class PlcFailureRecord:
    equipment_code: str
    info: str
    #: The PLC's clock (local time of the plant) when the failure happened; None if unreadable.
    occurred_at: datetime | None
    #: The timestamp as text: "2026-11-30 01:02:03", or the raw BCD words when they are invalid.
    #: Together with equipment code and info it identifies the record (stored once).
    time_text: str
    #: 0 = a record the HMI has not acknowledged yet, 1 = acknowledged.
    flag: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.equipment_code and self.info.upper() in NO_FAILURE_TEXTS

    @property
    def is_new(self) -> bool:
        """The PLC flags a record the HMI has not taken yet."""
        return self.flag == 0 and not self.is_empty


def _bcd(word: int, digits: int) -> int | None:
    value = 0
    for shift in range(4 * (digits - 1), -1, -4):
        nibble = (word >> shift) & 0xF
        if nibble > 9:
            return None
        value = value * 10 + nibble
    if word >> (4 * digits):
        return None
    return value


def to_bcd(value: int, digits: int = 2) -> int:
    if not 0 <= value < 10**digits:
        raise ValueError(f"{value} does not fit in {digits} BCD digits")
    word = 0
    for char in f"{value:0{digits}d}":
        word = (word << 4) | int(char)
    return word


def _text(words: Sequence[int], label: str, notes: list[str]) -> str:
    unreadable = sum(1 for word in words for byte in (word >> 8, word & 0xFF) if byte and not 32 <= byte < 127)
    if unreadable:
        notes.append(f"{label} had {unreadable} unreadable byte(s), dropped")
    return decode_text(words)


def decode_failure(words: Sequence[int]) -> PlcFailureRecord:
    """The 23 words of the failure area as a record (never raises on bad content)."""
    if len(words) < FAILURE_AREA_WORDS:
        raise ValueError(f"the failure area has {FAILURE_AREA_WORDS} words, got {len(words)}")
    notes: list[str] = []
    code = _text(words[FAILURE_CODE_OFFSET:FAILURE_CODE_OFFSET + 8], "equipment code", notes)
    info = _text(words[FAILURE_INFO_OFFSET:FAILURE_INFO_OFFSET + 8], "info", notes)
    raw = list(words[FAILURE_TIME_OFFSET:FAILURE_TIME_OFFSET + 6])
    parts = [_bcd(raw[0], 4)] + [_bcd(word, 2) for word in raw[1:]]
    occurred_at = None
    if None not in parts:
        try:
            occurred_at = datetime(*parts)  # type: ignore[arg-type]
        except ValueError as exc:
            notes.append(f"PLC timestamp is not a valid date ({exc})")
    else:
        names = ("year", "month", "day", "hour", "minute", "second")
        bad = [f"{name} {word:04X}" for name, word, part in zip(names, raw, parts) if part is None]
        notes.append(f"PLC timestamp is not valid BCD ({', '.join(bad)})")
    if occurred_at is not None:
        time_text = occurred_at.strftime("%Y-%m-%d %H:%M:%S")
    else:
        time_text = "raw " + " ".join(f"{word:04X}" for word in raw)
    if not code and not (info.upper() in NO_FAILURE_TEXTS):
        notes.append("equipment code is empty")
    return PlcFailureRecord(code, info, occurred_at, time_text, words[FAILURE_FLAG_OFFSET], tuple(notes))


def encode_failure(equipment_code: str, info: str, occurred_at: datetime, register_map: RegisterMap,
                   *, flag: int = 0) -> list[int]:
    """The PLC's side (simulator): the words of a failure record."""
    words = [0] * FAILURE_AREA_WORDS
    words[FAILURE_CODE_OFFSET:FAILURE_CODE_OFFSET + 8] = encode_text(equipment_code, register_map, "equipment_code")
    words[FAILURE_INFO_OFFSET:FAILURE_INFO_OFFSET + 8] = encode_text(info, register_map, "info")
    words[FAILURE_TIME_OFFSET:FAILURE_TIME_OFFSET + 6] = [
        to_bcd(occurred_at.year, 4), to_bcd(occurred_at.month), to_bcd(occurred_at.day),
        to_bcd(occurred_at.hour), to_bcd(occurred_at.minute), to_bcd(occurred_at.second),
    ]
    words[FAILURE_FLAG_OFFSET] = flag
    return words
