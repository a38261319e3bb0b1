"""Pure translation between domain objects and the 16-bit words of one PLC batch slot.

No I/O here. Encoding refuses anything it cannot represent exactly (negative, NaN, infinite,
too large) with a PlcEncodingError naming the field; nothing wraps silently — the origin once
showed 381.25 kg as −274.11 because a REAL went through a signed 16-bit conversion.
Decoding returns what the words say (a scaled REAL is read as signed 32 bit, so noise shows up as
an implausible negative rather than a plausible-looking number); judging plausibility is the
poll service's job.
"""

from __future__ import annotations

import logging
import math
import struct
from typing import Sequence

from hmi.domain import ALL_SILOS, BatchRecipe, ManualWeighingReading, PlcSlotReading
from hmi.plc.errors import PlcEncodingError
from hmi.plc.register_map import (
    FIELD_KINDS,
    FieldKind,
    RealEncoding,
    RegisterMap,
    WordOrder,
    consumption_field,
    silo_id_field,
)

log = logging.getLogger("hmi.plc")

INT16_MIN, INT16_MAX = -0x8000, 0x7FFF
INT32_MIN, INT32_MAX = -0x8000_0000, 0x7FFF_FFFF
#: Bytes a PLC text field may carry: printable ASCII. Anything else is replaced on encode and
#: dropped on decode (as the origin did) so a stray byte cannot corrupt a MO name.
_PRINTABLE = range(32, 127)


# ---- scalar codecs --------------------------------------------------------------------------
def _check_word(value: int) -> None:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"register value {value} is not a 16-bit word")


def _order_words(high: int, low: int, word_order: WordOrder) -> list[int]:
    return [high, low] if word_order is WordOrder.BIG else [low, high]


def _join_words(words: Sequence[int], word_order: WordOrder) -> int:
    """The 32-bit unsigned integer carried by two words in the given order."""
    first, second = words[0], words[1]
    _check_word(first)
    _check_word(second)
    high, low = (first, second) if word_order is WordOrder.BIG else (second, first)
    return (high << 16) | low


def encode_real(value: float, register_map: RegisterMap, field: str = "REAL") -> list[int]:
    """Two words for a non-negative kg value; raises PlcEncodingError if it cannot be represented."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlcEncodingError(field, f"expected a number, got {value!r}")
    if math.isnan(value) or math.isinf(value):
        raise PlcEncodingError(field, f"{value} cannot be sent to the PLC")
    if value < 0:
        raise PlcEncodingError(field, f"negative value {value} is not allowed")
    limit = register_map.max_real_value
    if value > limit:
        raise PlcEncodingError(field, f"{value} exceeds the largest value the PLC field holds ({limit})")
    if register_map.real_encoding is RealEncoding.FLOAT32:
        raw = struct.unpack(">I", struct.pack(">f", float(value)))[0]
    else:
        # round(), not int(): 0.29 × 100 is 28.999999999999996 in binary floating point.
        raw = round(value * register_map.real_scale)
        if raw > INT32_MAX:  # value just below the limit can round up past it
            raise PlcEncodingError(field, f"{value} exceeds the largest value the PLC field holds ({limit})")
    return _order_words(raw >> 16, raw & 0xFFFF, register_map.word_order)


def decode_real(words: Sequence[int], register_map: RegisterMap) -> float:
    raw = _join_words(words, register_map.word_order)
    if register_map.real_encoding is RealEncoding.FLOAT32:
        return struct.unpack(">f", struct.pack(">I", raw))[0]
    signed = raw - 0x1_0000_0000 if raw > INT32_MAX else raw
    return signed / register_map.real_scale


def encode_int(value: int, field: str = "INT", *, minimum: int = INT16_MIN, maximum: int = INT16_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlcEncodingError(field, f"expected an integer, got {value!r}")
    if not minimum <= value <= maximum:
        raise PlcEncodingError(field, f"{value} is outside {minimum}..{maximum}")
    return value & 0xFFFF


def decode_int(word: int) -> int:
    """A signed 16-bit INT word."""
    _check_word(word)
    return word - 0x1_0000 if word > INT16_MAX else word


def encode_text(text: str, register_map: RegisterMap, field: str = "TEXT") -> list[int]:
    """Two characters per word, first character in the high byte, NUL-padded to the field.

    A longer text is cut to the field (with a warning naming the field): the PLC field is fixed
    and the origin did the same ("[10092] JF SAPOT 1B" → "[10092] JF SAPOT"). Characters outside
    printable ASCII become '?' (also with a warning) because the PLC program compares bytes.
    """
    if not isinstance(text, str):
        raise PlcEncodingError(field, f"expected text, got {text!r}")
    limit = register_map.text_length
    if len(text) > limit:
        log.warning("PLC field %s holds %d characters; %r cut to %r", field, limit, text, text[:limit])
        text = text[:limit]
    data = bytearray()
    replaced = False
    for char in text:
        code = ord(char)
        if code in _PRINTABLE:
            data.append(code)
        else:
            data.append(ord("?"))
            replaced = True
    if replaced:
        log.warning("PLC field %s takes printable ASCII only; %r sent as %r", field, text, data.decode("ascii"))
    data.extend(b"\0" * (register_map.text_words * 2 - len(data)))
    return [(data[i] << 8) | data[i + 1] for i in range(0, len(data), 2)]


def decode_text(words: Sequence[int]) -> str:
    """Printable characters only; NULs and noise bytes are dropped, surrounding blanks stripped."""
    chars = []
    for word in words:
        _check_word(word)
        for byte in (word >> 8, word & 0xFF):
            if byte in _PRINTABLE:
                chars.append(chr(byte))
    return "".join(chars).strip()


def encode_flag(value: bool) -> int:
    return 1 if value else 0


def decode_flag(word: int) -> bool:
    _check_word(word)
    return word != 0


# ---- whole slots ----------------------------------------------------------------------------
def _put(words: list[int], register_map: RegisterMap, field: str, values: Sequence[int]) -> None:
    offset = register_map.field_offsets[field]
    words[offset : offset + len(values)] = values


def _take(words: Sequence[int], register_map: RegisterMap, field: str) -> Sequence[int]:
    offset = register_map.field_offsets[field]
    return words[offset : offset + register_map.field_width(field)]


def encode_recipe(recipe: BatchRecipe, register_map: RegisterMap) -> list[int]:
    """All ``slot_length`` words of a WRITE slot for one recipe.

    Silo id words always carry 101..115 (the PLC program checks them); silos the recipe does not
    use get 0 kg. The PLC-owned status words (status_manufacturing, status_operation) and the
    slot's status_read_data are written 0, as the ownership rule of the origin says.
    """
    words = [0] * register_map.slot_length
    _put(words, register_map, "batch_no", [encode_int(recipe.batch_no, "batch_no", minimum=0)])
    _put(words, register_map, "mo_id", encode_text(recipe.mo_id, register_map, "mo_id"))
    _put(words, register_map, "bom_code", encode_text(recipe.bom_code, register_map, "bom_code"))
    _put(words, register_map, "product_name", encode_text(recipe.product_name, register_map, "product_name"))
    _put(words, register_map, "quantity", encode_real(recipe.quantity, register_map, "quantity"))
    unknown = [silo for silo in recipe.targets_kg if silo not in ALL_SILOS]
    if unknown:
        raise PlcEncodingError("targets_kg", f"not a dosing point: {unknown!r}")
    for silo in ALL_SILOS:
        _put(words, register_map, silo_id_field(silo), [encode_int(silo.equipment_id, silo_id_field(silo))])
        target = recipe.targets_kg.get(silo, 0.0)
        _put(words, register_map, consumption_field(silo), encode_real(target, register_map, consumption_field(silo)))
    for flag in ("status_manufacturing", "status_operation", "status_read_data"):
        _put(words, register_map, flag, [0])
    _put(words, register_map, "weight_finished_good", encode_real(0.0, register_map, "weight_finished_good"))
    return words


def encode_empty_slot(register_map: RegisterMap) -> list[int]:
    """The words of a cleared WRITE slot: everything 0 (no MO text = empty for the PLC)."""
    return [0] * register_map.slot_length


def decode_slot(words: Sequence[int], slot: int, register_map: RegisterMap) -> PlcSlotReading:
    """A READ slot's words (``slot_length`` of them, from the slot start) as a PlcSlotReading."""
    if len(words) < register_map.slot_length:
        raise ValueError(f"slot {slot}: need {register_map.slot_length} words, got {len(words)}")

    def real(field: str) -> float:
        return decode_real(_take(words, register_map, field), register_map)

    def word(field: str) -> int:
        return _take(words, register_map, field)[0]

    return PlcSlotReading(
        slot=slot,
        batch_no=decode_int(word("batch_no")),
        mo_id=decode_text(_take(words, register_map, "mo_id")),
        bom_code=decode_text(_take(words, register_map, "bom_code")),
        product_name=decode_text(_take(words, register_map, "product_name")),
        quantity=real("quantity"),
        actual_kg={silo: real(consumption_field(silo)) for silo in ALL_SILOS},
        silo_ids={silo: decode_int(word(silo_id_field(silo))) for silo in ALL_SILOS},
        status_manufacturing=decode_flag(word("status_manufacturing")),
        status_operation=decode_flag(word("status_operation")),
        weight_finished_good=real("weight_finished_good"),
        status_read_data=decode_flag(word("status_read_data")),
    )


def encode_reading(reading: PlcSlotReading, register_map: RegisterMap) -> list[int]:
    """The words of a READ slot showing ``reading`` (used by the simulator, the PLC's side)."""
    words = [0] * register_map.slot_length
    _put(words, register_map, "batch_no", [encode_int(reading.batch_no, "batch_no", minimum=0)])
    _put(words, register_map, "mo_id", encode_text(reading.mo_id, register_map, "mo_id"))
    _put(words, register_map, "bom_code", encode_text(reading.bom_code, register_map, "bom_code"))
    _put(words, register_map, "product_name", encode_text(reading.product_name, register_map, "product_name"))
    _put(words, register_map, "quantity", encode_real(reading.quantity, register_map, "quantity"))
    for silo in ALL_SILOS:
        _put(words, register_map, silo_id_field(silo), [encode_int(reading.silo_ids.get(silo, 0), silo_id_field(silo))])
        actual = reading.actual_kg.get(silo, 0.0)
        _put(words, register_map, consumption_field(silo), encode_real(actual, register_map, consumption_field(silo)))
    _put(words, register_map, "status_manufacturing", [encode_flag(reading.status_manufacturing)])
    _put(words, register_map, "status_operation", [encode_flag(reading.status_operation)])
    _put(words, register_map, "weight_finished_good", encode_real(reading.weight_finished_good, register_map, "weight_finished_good"))
    _put(words, register_map, "status_read_data", [encode_flag(reading.status_read_data)])
    return words


def decode_manual_weighing(words: Sequence[int], register_map: RegisterMap) -> ManualWeighingReading:
    """The manual-weighing area's words (``manual_length`` of them, from its start)."""
    area = register_map.manual_weighing
    if area is None:
        raise ValueError("the register map has no manual-weighing area")

    def take(name: str) -> Sequence[int]:
        offset = area.field_offsets[name]
        return words[offset:offset + register_map.manual_field_width(name)]

    return ManualWeighingReading(
        batch_no=decode_int(take("batch_no")[0]),
        mo_id=decode_text(take("mo_id")),
        # One INT word in the origin; read unsigned so product ids up to 65535 fit.
        product_id=take("product_id")[0] & 0xFFFF,
        kg=decode_real(take("consumption"), register_map),
        status_read_data=decode_flag(take("status_read_data")[0]),
    )


def encode_manual_weighing(reading: ManualWeighingReading, register_map: RegisterMap) -> list[int]:
    """The words the PLC's side writes for one manual weighing (used by the simulator)."""
    area = register_map.manual_weighing
    if area is None:
        raise ValueError("the register map has no manual-weighing area")
    words = [0] * register_map.manual_length

    def put(name: str, values: Sequence[int]) -> None:
        offset = area.field_offsets[name]
        words[offset:offset + len(values)] = list(values)

    put("batch_no", [encode_int(reading.batch_no, "batch_no", minimum=0)])
    put("mo_id", encode_text(reading.mo_id, register_map, "mo_id"))
    if not 0 <= reading.product_id <= 0xFFFF:
        raise PlcEncodingError(f"product_id {reading.product_id} does not fit one word")
    put("product_id", [reading.product_id])
    put("consumption", encode_real(reading.kg, register_map, "consumption"))
    put("status_read_data", [encode_flag(reading.status_read_data)])
    return words


def encode_field(value: object, field: str, register_map: RegisterMap) -> list[int]:
    """Words for one named field (the simulator's fault-injection hook uses this)."""
    kind = FIELD_KINDS[field]
    if kind is FieldKind.TEXT:
        return encode_text(value, register_map, field)  # type: ignore[arg-type]
    if kind is FieldKind.REAL:
        return encode_real(value, register_map, field)  # type: ignore[arg-type]
    if kind is FieldKind.FLAG:
        return [encode_flag(bool(value))]
    return [encode_int(value, field)]  # type: ignore[arg-type]
