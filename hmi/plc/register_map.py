"""The PLC register map as data: where each batch-slot field lives and how numbers are encoded.

The default (``resources/plc_register_map.json``) is the origin's layout: Modbus holding-register
addresses equal the Omron DM word numbers (READ slot n at 6000 + 100·(n−1), WRITE slot n at
7000 + 100·(n−1), 77 words each). Another PLC program needs only another JSON file, no code.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from hmi.domain import ALL_SILOS, Silo
from hmi.plc.errors import RegisterMapError
from hmi.resources import resource_path

DEFAULT_REGISTER_MAP_PATH = resource_path("plc_register_map.json")

#: Modbus limits (Modbus Application Protocol V1.1b, ch. 6): FC3 reads ≤ 125, FC16 writes ≤ 123.
MAX_REGISTERS_PER_READ = 125
MAX_REGISTERS_PER_WRITE = 123
HIGHEST_ADDRESS = 0xFFFF

REAL_WORDS = 2


class RealEncoding(enum.Enum):
    """How a REAL (kg) value is carried in two registers."""

    #: round(value × scale) as a signed 32-bit integer (the origin PLC program, scale 100).
    SCALED_INT32 = "scaled_int32"
    #: IEEE-754 single precision.
    FLOAT32 = "float32"


class WordOrder(enum.Enum):
    """Register order of a 32-bit value. Bytes inside a register are always big-endian (Modbus)."""

    BIG = "big"  # high word first ("ABCD"), the origin's order
    LITTLE = "little"  # low word first ("CDAB")


class FieldKind(enum.Enum):
    INT = "INT"  # one word, signed 16 bit
    TEXT = "ASCII"  # text_length characters, 2 per word
    REAL = "REAL"  # two words, see RealEncoding
    FLAG = "BOOL"  # one word, 0/1


def silo_id_field(silo: Silo) -> str:
    return f"silo_id_{silo.equipment_id}"


def consumption_field(silo: Silo) -> str:
    return f"consumption_{silo.equipment_id}"


def _field_kinds() -> dict[str, FieldKind]:
    kinds = {
        "batch_no": FieldKind.INT,
        "mo_id": FieldKind.TEXT,
        "bom_code": FieldKind.TEXT,
        "product_name": FieldKind.TEXT,
        "quantity": FieldKind.REAL,
    }
    for silo in ALL_SILOS:
        kinds[silo_id_field(silo)] = FieldKind.INT
        kinds[consumption_field(silo)] = FieldKind.REAL
    kinds.update(
        status_manufacturing=FieldKind.FLAG,
        status_operation=FieldKind.FLAG,
        weight_finished_good=FieldKind.REAL,
        status_read_data=FieldKind.FLAG,
    )
    return kinds


#: Every field a slot has, in the origin's order, with its kind. The map file gives the offsets.
FIELD_KINDS: Mapping[str, FieldKind] = MappingProxyType(_field_kinds())

#: Fields of the optional manual-weighing area (origin ADDITIONAL_EQUIPMENT_REFERENCE, D9000…): a scale
#: station reports one weighed hand-added component at a time. product_id is the Odoo product id.
MANUAL_WEIGHING_FIELD_KINDS: Mapping[str, FieldKind] = MappingProxyType({
    "batch_no": FieldKind.INT,
    "mo_id": FieldKind.TEXT,
    "product_id": FieldKind.INT,
    "consumption": FieldKind.REAL,
    "status_read_data": FieldKind.FLAG,
})


@dataclass(frozen=True)
class ManualWeighingArea:
    """Where the PLC shows the last manual weighing: ``start`` plus an offset per field."""

    start: int
    field_offsets: Mapping[str, int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_offsets", MappingProxyType(dict(self.field_offsets)))


_ALLOWED_KEYS = {
    "manual_weighing",
    "description",
    "slot_count",
    "read_area_start",
    "write_area_start",
    "slot_stride",
    "text_length",
    "real_encoding",
    "real_scale",
    "word_order",
    "read_through_gaps",
    "fields",
    "failure_area_start",
    "fins",
}
_FINS_KEYS = {"read_area_start", "write_area_start", "failure_area_start", "manual_weighing_start"}

#: The equipment-failure area (origin D8000–D8022): offsets from its start.
FAILURE_CODE_OFFSET = 0  # equipment code, ASCII 16 (8 words)
FAILURE_INFO_OFFSET = 8  # info text, ASCII 16 (8 words)
FAILURE_TIME_OFFSET = 16  # BCD year (4 digits), month, day, hour, minute, second: 6 words
FAILURE_FLAG_OFFSET = 22  # status_read_data: 0 = new record from the PLC, 1 = HMI has read it
FAILURE_AREA_WORDS = 23
FINS_DM_HIGHEST_WORD = 32767

#: Largest kg value a FLOAT32 field carries with 0.01 kg resolution (ulp of 2^17 is 1/64 kg,
#: so rounding stays within 0.008 kg).
FLOAT32_MAX_KG = 131072.0


@dataclass(frozen=True)
class RegisterMap:
    """A validated register map. Build it with ``load_register_map`` (or ``RegisterMap(...)``)."""

    slot_count: int
    read_area_start: int
    write_area_start: int
    slot_stride: int
    field_offsets: Mapping[str, int]
    text_length: int = 16
    real_encoding: RealEncoding = RealEncoding.SCALED_INT32
    real_scale: int = 100
    word_order: WordOrder = WordOrder.BIG
    #: Read across the unused words between slots to need fewer requests (the PLC must answer
    #: for those addresses; an Omron DM area does). False = one request per slot.
    read_through_gaps: bool = True
    description: str = ""
    #: Optional manual-weighing area (None: the PLC program has none; nothing extra is read).
    manual_weighing: ManualWeighingArea | None = None
    #: Start of the 23-word equipment-failure area (None = the PLC program has none).
    failure_area_start: int | None = None
    #: DM word addresses for Omron FINS when they differ from the Modbus addresses above
    #: (None = the same). ``for_protocol("fins-udp")`` gives the map in FINS addresses.
    fins_read_area_start: int | None = None
    fins_write_area_start: int | None = None
    fins_failure_area_start: int | None = None
    fins_manual_weighing_start: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_offsets", MappingProxyType(dict(self.field_offsets)))
        self._validate()

    # ---- geometry -------------------------------------------------------------------------
    @property
    def text_words(self) -> int:
        return (self.text_length + 1) // 2

    def field_width(self, name: str) -> int:
        kind = FIELD_KINDS[name]
        if kind is FieldKind.TEXT:
            return self.text_words
        if kind is FieldKind.REAL:
            return REAL_WORDS
        return 1

    @property
    def slot_length(self) -> int:
        """Words per slot: from offset 0 to the end of the last field (77 for the origin)."""
        return max(offset + self.field_width(name) for name, offset in self.field_offsets.items())

    def read_slot_start(self, slot: int) -> int:
        self._check_slot(slot)
        return self.read_area_start + self.slot_stride * (slot - 1)

    def write_slot_start(self, slot: int) -> int:
        self._check_slot(slot)
        return self.write_area_start + self.slot_stride * (slot - 1)

    def read_field_address(self, slot: int, name: str) -> int:
        return self.read_slot_start(slot) + self.field_offsets[name]

    def write_field_address(self, slot: int, name: str) -> int:
        return self.write_slot_start(slot) + self.field_offsets[name]

    @property
    def write_ready_address(self) -> int:
        """The handshake word: status_read_data of WRITE slot 1 (7076). 1 = PLC took the last recipes."""
        return self.write_field_address(1, "status_read_data")

    def manual_field_width(self, name: str) -> int:
        kind = MANUAL_WEIGHING_FIELD_KINDS[name]
        return self.text_words if kind is FieldKind.TEXT else REAL_WORDS if kind is FieldKind.REAL else 1

    @property
    def manual_length(self) -> int:
        """Words of the manual-weighing area (0 without one)."""
        area = self.manual_weighing
        if area is None:
            return 0
        return max(offset + self.manual_field_width(name) for name, offset in area.field_offsets.items())

    def manual_field_address(self, name: str) -> int:
        if self.manual_weighing is None:
            raise ValueError("the register map has no manual-weighing area")
        return self.manual_weighing.start + self.manual_weighing.field_offsets[name]

    def read_ack_address(self, slot: int) -> int:
        """status_read_data of READ slot n (6076 + 100·(n−1)): the HMI writes 1 after reading a done batch."""
        return self.read_field_address(slot, "status_read_data")

    @property
    def failure_area(self) -> tuple[int, int] | None:
        """(start, 23) of the equipment-failure area, or None."""
        if self.failure_area_start is None:
            return None
        return self.failure_area_start, FAILURE_AREA_WORDS

    @property
    def failure_ack_address(self) -> int | None:
        return None if self.failure_area_start is None else self.failure_area_start + FAILURE_FLAG_OFFSET

    def for_protocol(self, protocol: str) -> "RegisterMap":
        """This map in the addresses of ``protocol``: FINS uses the DM words of the ``fins`` section."""
        if not protocol.startswith("fins"):
            return self
        fins_map = replace(
            self,
            read_area_start=self.fins_read_area_start if self.fins_read_area_start is not None else self.read_area_start,
            write_area_start=(self.fins_write_area_start if self.fins_write_area_start is not None
                              else self.write_area_start),
            failure_area_start=(self.fins_failure_area_start if self.fins_failure_area_start is not None
                                else self.failure_area_start),
            manual_weighing=(replace(self.manual_weighing, start=self.fins_manual_weighing_start)
                             if self.manual_weighing is not None and self.fins_manual_weighing_start is not None
                             else self.manual_weighing),
        )
        for label, (first, last) in fins_map.areas().items():
            if last > FINS_DM_HIGHEST_WORD:
                raise RegisterMapError(f"the {label} area ends at D{last}, beyond the DM area (D{FINS_DM_HIGHEST_WORD})")
        return fins_map

    def areas(self) -> dict[str, tuple[int, int]]:
        """name → (first, last) address of every area of this map."""
        length = self.slot_length
        spans = {"READ": self._area_span(self.read_area_start, length),
                 "WRITE": self._area_span(self.write_area_start, length)}
        if self.failure_area_start is not None:
            spans["FAILURE"] = (self.failure_area_start, self.failure_area_start + FAILURE_AREA_WORDS - 1)
        if self.manual_weighing is not None:
            spans["MANUAL WEIGHING"] = (self.manual_weighing.start, self.manual_weighing.start + self.manual_length - 1)
        return spans

    @property
    def slots(self) -> range:
        return range(1, self.slot_count + 1)

    @property
    def max_real_value(self) -> float:
        """Largest REAL value (kg) the encoding carries exactly to 0.01."""
        if self.real_encoding is RealEncoding.FLOAT32:
            return FLOAT32_MAX_KG
        return (2**31 - 1) / self.real_scale

    @property
    def real_resolution(self) -> float:
        """Smallest non-zero kg step a REAL field carries (scaled: 1/scale; a FLOAT32 carries small values)."""
        if self.real_encoding is RealEncoding.FLOAT32:
            return 0.0
        return 1.0 / self.real_scale

    def with_options(
        self,
        *,
        slot_count: int | None = None,
        real_encoding: RealEncoding | str | None = None,
        word_order: WordOrder | str | None = None,
    ) -> "RegisterMap":
        """A copy with settings overrides applied (validated again)."""
        changes: dict[str, Any] = {}
        if slot_count is not None:
            changes["slot_count"] = slot_count
        if real_encoding is not None:
            changes["real_encoding"] = _enum_value(RealEncoding, real_encoding, "real_encoding")
        if word_order is not None:
            changes["word_order"] = _enum_value(WordOrder, word_order, "word_order")
        return replace(self, **changes)

    # ---- validation -----------------------------------------------------------------------
    def _check_slot(self, slot: int) -> None:
        if not 1 <= slot <= self.slot_count:
            raise ValueError(f"slot {slot} out of range 1..{self.slot_count}")

    def _validate(self) -> None:
        missing = sorted(set(FIELD_KINDS) - set(self.field_offsets))
        unknown = sorted(set(self.field_offsets) - set(FIELD_KINDS))
        if missing:
            raise RegisterMapError(f"register map lacks fields: {', '.join(missing)}")
        if unknown:
            raise RegisterMapError(f"register map has unknown fields: {', '.join(unknown)}")
        for name, offset in self.field_offsets.items():
            if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
                raise RegisterMapError(f"field {name}: offset must be a non-negative integer, got {offset!r}")
        for label, value, low in (
            ("slot_count", self.slot_count, 1),
            ("slot_stride", self.slot_stride, 1),
            ("text_length", self.text_length, 1),
            ("real_scale", self.real_scale, 1),
            ("read_area_start", self.read_area_start, 0),
            ("write_area_start", self.write_area_start, 0),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise RegisterMapError(f"{label} must be an integer ≥ {low}, got {value!r}")
        if not isinstance(self.real_encoding, RealEncoding):
            raise RegisterMapError(f"real_encoding must be a RealEncoding, got {self.real_encoding!r}")
        if not isinstance(self.word_order, WordOrder):
            raise RegisterMapError(f"word_order must be a WordOrder, got {self.word_order!r}")

        # Fields must not share words.
        owner: dict[int, str] = {}
        for name, offset in self.field_offsets.items():
            for word in range(offset, offset + self.field_width(name)):
                if word in owner:
                    raise RegisterMapError(f"fields {owner[word]} and {name} overlap at slot offset +{word}")
                owner[word] = name

        length = self.slot_length
        if length > self.slot_stride:
            raise RegisterMapError(
                f"a slot is {length} words long but slots are only {self.slot_stride} apart (slot_stride)"
            )
        if length > MAX_REGISTERS_PER_WRITE:
            raise RegisterMapError(
                f"a slot is {length} words long; one Modbus write carries at most {MAX_REGISTERS_PER_WRITE}"
            )
        read_first, read_last = self._area_span(self.read_area_start, length)
        write_first, write_last = self._area_span(self.write_area_start, length)
        for area, last in (("READ", read_last), ("WRITE", write_last)):
            if last > HIGHEST_ADDRESS:
                raise RegisterMapError(
                    f"{self.slot_count} slots do not fit: the {area} area would end at address {last} "
                    f"(> {HIGHEST_ADDRESS})"
                )
        if read_first <= write_last and write_first <= read_last:
            raise RegisterMapError(
                f"{self.slot_count} slots do not fit: READ area {read_first}-{read_last} overlaps "
                f"WRITE area {write_first}-{write_last}"
            )
        for label, value in (("failure_area_start", self.failure_area_start),
                             ("fins read_area_start", self.fins_read_area_start),
                             ("fins write_area_start", self.fins_write_area_start),
                             ("fins failure_area_start", self.fins_failure_area_start),
                             ("fins manual_weighing_start", self.fins_manual_weighing_start)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise RegisterMapError(f"{label} must be an integer ≥ 0, got {value!r}")
        if self.failure_area_start is not None:
            first, last = self.failure_area_start, self.failure_area_start + FAILURE_AREA_WORDS - 1
            if last > HIGHEST_ADDRESS:
                raise RegisterMapError(f"the failure area would end at address {last} (> {HIGHEST_ADDRESS})")
            for area, (a_first, a_last) in (("READ", (read_first, read_last)), ("WRITE", (write_first, write_last))):
                if first <= a_last and a_first <= last:
                    raise RegisterMapError(
                        f"failure area {first}-{last} overlaps {area} area {a_first}-{a_last}")

        if self.manual_weighing is not None:
            areas = [("READ", read_first, read_last), ("WRITE", write_first, write_last)]
            if self.failure_area is not None:
                areas.append(("failure", self.failure_area[0], self.failure_area[0] + FAILURE_AREA_WORDS - 1))
            self._validate_manual(tuple(areas))

    def _validate_manual(self, areas: tuple[tuple[str, int, int], ...]) -> None:
        area = self.manual_weighing
        assert area is not None
        offsets = area.field_offsets
        missing = sorted(set(MANUAL_WEIGHING_FIELD_KINDS) - set(offsets))
        unknown = sorted(set(offsets) - set(MANUAL_WEIGHING_FIELD_KINDS))
        if missing or unknown:
            raise RegisterMapError("manual_weighing fields must be exactly "
                                   f"{', '.join(MANUAL_WEIGHING_FIELD_KINDS)}"
                                   + (f"; missing {', '.join(missing)}" if missing else "")
                                   + (f"; unknown {', '.join(unknown)}" if unknown else ""))
        if not isinstance(area.start, int) or isinstance(area.start, bool) or area.start < 0:
            raise RegisterMapError(f"manual_weighing start must be an integer ≥ 0, got {area.start!r}")
        owner: dict[int, str] = {}
        for name, offset in offsets.items():
            if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
                raise RegisterMapError(f"manual_weighing field {name}: offset must be a non-negative integer")
            for word in range(offset, offset + self.manual_field_width(name)):
                if word in owner:
                    raise RegisterMapError(f"manual_weighing fields {owner[word]} and {name} overlap at +{word}")
                owner[word] = name
        first, last = area.start, area.start + self.manual_length - 1
        if last > HIGHEST_ADDRESS:
            raise RegisterMapError(f"the manual_weighing area would end at address {last} (> {HIGHEST_ADDRESS})")
        for label, low, high in areas:
            if first <= high and low <= last:
                raise RegisterMapError(f"the manual_weighing area {first}-{last} overlaps the {label} area "
                                       f"{low}-{high}")

    def _area_span(self, start: int, length: int) -> tuple[int, int]:
        return start, start + self.slot_stride * (self.slot_count - 1) + length - 1


def _enum_value(enum_type: type[enum.Enum], value: Any, label: str) -> Any:
    if isinstance(value, enum_type):
        return value
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum_type)
        raise RegisterMapError(f"{label} must be one of {allowed}, got {value!r}") from None


def register_map_from_dict(data: Mapping[str, Any]) -> RegisterMap:
    """Build a map from the JSON structure documented in docs/plc-register-map.md."""
    if not isinstance(data, Mapping):
        raise RegisterMapError("register map must be a JSON object")
    unknown = sorted(set(data) - _ALLOWED_KEYS)
    if unknown:
        raise RegisterMapError(f"register map has unknown keys: {', '.join(unknown)}")
    for key in ("slot_count", "read_area_start", "write_area_start", "slot_stride", "fields"):
        if key not in data:
            raise RegisterMapError(f"register map lacks key {key!r}")
    fields = data["fields"]
    if not isinstance(fields, Mapping):
        raise RegisterMapError("'fields' must be an object of field name → slot offset")
    fins_section = data.get("fins", {})
    if not isinstance(fins_section, Mapping):
        raise RegisterMapError("'fins' must be an object of DM word addresses")
    unknown_fins = sorted(set(fins_section) - _FINS_KEYS)
    if unknown_fins:
        raise RegisterMapError(f"register map 'fins' has unknown keys: {', '.join(unknown_fins)}")
    read_through_gaps = data.get("read_through_gaps", True)
    if not isinstance(read_through_gaps, bool):
        raise RegisterMapError(f"read_through_gaps must be true or false, got {read_through_gaps!r}")
    return RegisterMap(
        slot_count=data["slot_count"],
        read_area_start=data["read_area_start"],
        write_area_start=data["write_area_start"],
        slot_stride=data["slot_stride"],
        field_offsets=dict(fields),
        text_length=data.get("text_length", 16),
        real_encoding=_enum_value(RealEncoding, data.get("real_encoding", "scaled_int32"), "real_encoding"),
        real_scale=data.get("real_scale", 100),
        word_order=_enum_value(WordOrder, data.get("word_order", "big"), "word_order"),
        read_through_gaps=read_through_gaps,
        description=str(data.get("description", "")),
        manual_weighing=_manual_weighing_from(data.get("manual_weighing")),
        failure_area_start=data.get("failure_area_start"),
        fins_read_area_start=fins_section.get("read_area_start"),
        fins_write_area_start=fins_section.get("write_area_start"),
        fins_failure_area_start=fins_section.get("failure_area_start"),
        fins_manual_weighing_start=fins_section.get("manual_weighing_start"),
    )


def _manual_weighing_from(raw: object) -> ManualWeighingArea | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"start", "fields"} or not isinstance(raw["fields"], Mapping):
        raise RegisterMapError('manual_weighing must be {"start": <address>, "fields": {name: offset, ...}}')
    return ManualWeighingArea(raw["start"], dict(raw["fields"]))


def load_register_map(
    path: str | Path | None = None,
    *,
    slot_count: int | None = None,
    real_encoding: RealEncoding | str | None = None,
    word_order: WordOrder | str | None = None,
) -> RegisterMap:
    """Load a map file (default: the origin-compatible map) and apply settings overrides.

    Raises RegisterMapError with the file name for unreadable or invalid files.
    """
    source = Path(path) if path is not None else DEFAULT_REGISTER_MAP_PATH
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegisterMapError(f"cannot read register map {source}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise RegisterMapError(f"register map {source} is not valid JSON: {exc}") from exc
    try:
        register_map = register_map_from_dict(data)
        return register_map.with_options(slot_count=slot_count, real_encoding=real_encoding, word_order=word_order)
    except RegisterMapError as exc:
        raise RegisterMapError(f"register map {source}: {exc}") from exc


def default_register_map() -> RegisterMap:
    return load_register_map()
