"""Silo assignment: which product (by Odoo internal reference) sits in which silo or tank.

Stock Odoo has no silo concept, so the line keeps this table itself (docs/odoo.md §7). Pure
data and rules, no I/O: the store keeps it, the admin API and the Silos dialog edit it, the
stock Odoo client reads it to turn raw moves into silo targets and PLC actuals back into moves.

Rules: one product per silo, one silo per product, every silo one of A..M, LQ114, LQ115;
the product is named by its internal reference (`product.product.default_code`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from hmi.domain import ALL_SILOS, Silo

CSV_COLUMNS = ("silo", "product_code", "product_name")
MAX_CODE_LENGTH = 64
MAX_NAME_LENGTH = 255


class AssignmentError(ValueError):
    """An entry of an assignment is not acceptable; the message names it."""

    def __init__(self, message: str, index: int | None = None) -> None:
        self.index = index
        super().__init__(message)


@dataclass(frozen=True)
class AssignmentEntry:
    silo: Silo
    product_code: str
    product_name: str = ""


@dataclass(frozen=True)
class SiloAssignment:
    """A validated assignment, in silo order (A..M, LQ114, LQ115)."""

    entries: tuple[AssignmentEntry, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda e: ALL_SILOS.index(e.silo)))
        _check_unique(ordered)
        object.__setattr__(self, "entries", ordered)

    def silo_for_code(self, product_code: str) -> Silo | None:
        for entry in self.entries:
            if entry.product_code == product_code:
                return entry.silo
        return None

    def entry_for(self, silo: Silo) -> AssignmentEntry | None:
        for entry in self.entries:
            if entry.silo is silo:
                return entry
        return None

    def __len__(self) -> int:
        return len(self.entries)


def silo_from_label(label: object) -> Silo | None:
    """'A'..'M', 'LQ114', 'LQ115' (any case, surrounding blanks allowed) -> Silo, else None."""
    if not isinstance(label, str):
        return None
    try:
        return Silo[label.strip().upper()]
    except KeyError:
        return None


def parse_entries(items: object) -> SiloAssignment:
    """Validate a JSON-like list of {"silo", "product_code", "product_name"?}; raises AssignmentError."""
    if not isinstance(items, list):
        raise AssignmentError(f"the body must be a list of silo entries, got {type(items).__name__}")
    entries: list[AssignmentEntry] = []
    for index, item in enumerate(items):
        where = f"entry {index + 1}"
        if not isinstance(item, Mapping):
            raise AssignmentError(f"{where} must be an object with silo and product_code", index)
        unknown = set(item) - set(CSV_COLUMNS)
        if unknown:
            raise AssignmentError(f"{where} has unknown field(s) {', '.join(sorted(map(str, unknown)))}", index)
        silo = silo_from_label(item.get("silo"))
        if silo is None:
            raise AssignmentError(
                f"{where}: unknown silo {item.get('silo')!r} (A..M, LQ114 or LQ115)", index)
        code = item.get("product_code")
        if not isinstance(code, str) or not code.strip():
            raise AssignmentError(f"{where} (silo {silo.label}): product_code must be a non-empty text", index)
        if len(code.strip()) > MAX_CODE_LENGTH:
            raise AssignmentError(f"{where} (silo {silo.label}): product_code is longer than {MAX_CODE_LENGTH}",
                                  index)
        name = item.get("product_name", "")
        if name is None:
            name = ""
        if not isinstance(name, str) or len(name) > MAX_NAME_LENGTH:
            raise AssignmentError(f"{where} (silo {silo.label}): product_name must be a text of at most "
                                  f"{MAX_NAME_LENGTH} characters", index)
        entries.append(AssignmentEntry(silo, code.strip(), name.strip()))
    _check_unique(entries)
    return SiloAssignment(tuple(entries))


def _check_unique(entries: Sequence[AssignmentEntry]) -> None:
    silos: dict[Silo, int] = {}
    codes: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.silo in silos:
            raise AssignmentError(
                f"entry {index + 1}: silo {entry.silo.label} is listed twice (also entry {silos[entry.silo] + 1})",
                index)
        if entry.product_code in codes:
            raise AssignmentError(
                f"entry {index + 1}: product {entry.product_code} is already in silo "
                f"{entries[codes[entry.product_code]].silo.label} (one silo per product)", index)
        silos[entry.silo] = index
        codes[entry.product_code] = index


def to_csv(assignment: SiloAssignment) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in assignment.entries:
        writer.writerow((entry.silo.label, entry.product_code, entry.product_name))
    return out.getvalue()


def from_csv(text: str) -> SiloAssignment:
    """Parse what to_csv writes (header required; empty product_code rows mean an empty silo)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:2]] != list(CSV_COLUMNS[:2]):
        raise AssignmentError(f"the CSV must start with the header {','.join(CSV_COLUMNS)}")
    items: list[dict[str, Any]] = []
    for row in reader:
        if not (row.get("product_code") or "").strip():
            continue
        items.append({key: (row.get(key) or "").strip() for key in CSV_COLUMNS})
    return parse_entries(items)


def from_pairs(pairs: Iterable[tuple[Silo, str, str]]) -> SiloAssignment:
    return SiloAssignment(tuple(AssignmentEntry(silo, code, name) for silo, code, name in pairs))
