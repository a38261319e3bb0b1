"""The text of a PDF that Qt's QPdfWriter wrote, for tests (Qt for Python's Essentials have no PDF reader).

Enough of PDF for Qt's own output: Flate streams, Type0 fonts with ToUnicode maps, glyphs
shown as hex strings with Tj. Text objects (BT..ET) are joined with spaces.
"""

from __future__ import annotations

import re
import zlib


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}


def _stream(body: bytes) -> bytes:
    match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    if match is None:
        return b""
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body[: match.start()] else raw


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for offset, dst in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", rest)):
                    mapping[lo_i + offset] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            else:
                start = int(rest.strip(b"<>"), 16)
                for offset in range(hi_i - lo_i + 1):
                    mapping[lo_i + offset] = chr(start + offset)
    return mapping


def pdf_text(data: bytes) -> str:
    objects = _objects(data)
    to_unicode: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        match = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if match:
            to_unicode[number] = _cmap(_stream(objects[int(match.group(1))]))
    names: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for font_dict in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", font_dict):
                names[name] = to_unicode.get(int(ref), {})
    pages = []
    for body in objects.values():
        if b"/FlateDecode" not in body or b"/Length1" in body:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue
        if b"BT" not in content:
            continue
        out, font = [], {}
        for token in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9a-fA-F]+)> Tj|\bET\b", content):
            if token.group(1):
                font = names.get(token.group(1), {})
            elif token.group(2):
                hexes = token.group(2).decode()
                out.extend(font.get(int(hexes[i:i + 4], 16), "?") for i in range(0, len(hexes), 4))
            else:
                out.append(" ")
        pages.append("".join(out))
    return re.sub(r"\s+", " ", " ".join(pages))
