"""What the PLC's MO text field holds for a batch: the MO name, or a unique short key.

The PLC's MO field is fixed (16 characters in the origin's map) and compares bytes, so an
MO name that is longer, or not printable ASCII, cannot be written as it is: cut to the
field, ``FEEDMILL/MO/00012`` and ``FEEDMILL/MO/00013`` would both become
``FEEDMILL/MO/0001`` and the poll could not tell them apart. Such an MO gets a key made of
``~`` and the end of its name (where MO numbers differ), and where two keys of one download
would still collide (in one download, or with a batch of another line in the same database),
a short hash of the full name makes them unique. The key is stored
with the batch (``mo_batch.plc_key``) and readings are matched by it, both ways.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Iterable

#: Marks a key that is not the MO's own name (an operator at the PLC panel sees it).
SHORT_KEY_MARK = "~"


def _fits(name: str, length: int) -> bool:
    return len(name) <= length and name == name.strip() and all(32 <= ord(ch) < 127 for ch in name)


def _ascii(text: str) -> str:
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in text)


def _digest(name: str, size: int) -> str:
    return base64.b32encode(hashlib.sha256(name.encode("utf-8")).digest()).decode("ascii")[:size]


def plc_keys(mo_ids: Iterable[str], length: int, taken: Iterable[str] = ()) -> dict[str, str]:
    """A key of at most ``length`` printable characters per MO, unique within ``mo_ids`` and
    different from every key in ``taken``: the keys other batches of the database use (on any line),
    and the keys an MO that is downloaded again had before, so that a reading of its earlier run
    (a PLC that was not reset after all) can never be taken for the new one."""
    if length < 8:
        raise ValueError(f"a PLC text field of {length} characters is too short to identify an MO")
    names = list(dict.fromkeys(mo_ids))
    in_use = set(taken)
    keys: dict[str, str] = {}
    for name in names:
        keys[name] = name if _fits(name, length) else SHORT_KEY_MARK + _ascii(name)[-(length - 1):].strip()
    sharing_keys: dict[str, list[str]] = {}
    for name, key in keys.items():
        sharing_keys.setdefault(key, []).append(name)
    for key, sharing in sharing_keys.items():
        if len(sharing) == 1 and key not in in_use:
            continue
        for name in sharing:
            if keys[name] == name and name not in in_use:
                continue  # an MO that fits keeps its own name; the shortened ones move aside
            keys[name] = _hashed_key(name, length, in_use | {k for n, k in keys.items() if n != name})
    if len(set(keys.values())) != len(keys) or in_use & set(keys.values()):
        raise ValueError("MO names could not be given unique PLC keys")
    return keys


def _hashed_key(name: str, length: int, avoid: set[str]) -> str:
    """``~HASH~`` and the end of the name, the hash salted until the key is none of ``avoid``."""
    tail = _ascii(name)[-(length - 6):].strip()
    for salt in range(100):
        key = f"{SHORT_KEY_MARK}{_digest(name if salt == 0 else f'{name}#{salt}', 4)}{SHORT_KEY_MARK}{tail}"
        if key not in avoid:
            return key
    raise ValueError(f"MO {name} could not be given a unique PLC key")
