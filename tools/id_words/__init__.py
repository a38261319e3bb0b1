"""Bahasa Indonesia for the window: the word tables, and the tool that writes them into the .ts.

Each module of this package holds ``WORDS`` (English source text -> Indonesian) for one part of the
window, so a plant's own words can be reviewed in one place. ``python -m tools.id_words`` runs
``pyside6-lupdate`` over every module of ``hmi/ui`` into ``resources/i18n/batch_hmi_id.ts``, fills
each entry from these tables and names the texts that still have no Indonesian (exit 1).

Plant words: batch, MO, silo and tangki stay as the floor says them; dosing = penimbangan.
A source text that needs a different word in one place can be keyed ``"Context|source"``
(the class name lupdate gives as context), which wins over the plain key.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def words() -> dict[str, str]:
    """Every table of this package merged; the same source with two different words is an error."""
    merged: dict[str, str] = {}
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        table = importlib.import_module(f"{__name__}.{info.name}").WORDS
        for source, word in table.items():
            if source in merged and merged[source] != word:
                raise ValueError(f"{source!r} has two translations: {merged[source]!r} ({owner[source]}) "
                                 f"and {word!r} ({info.name})")
            merged[source] = word
            owner[source] = info.name
    return merged


def fill(ts: Path, table: dict[str, str] | None = None) -> list[str]:
    """Write the translations into ``ts``; returns the sources that have none."""
    table = words() if table is None else table
    tree = ET.parse(ts)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.find("source").text or ""
            translation = message.find("translation")
            word = table.get(f"{name}|{source}", table.get(source))
            if word is not None:
                translation.text = word
                translation.attrib.pop("type", None)
            elif translation.get("type") == "unfinished" or not (translation.text or "").strip():
                missing.append(f"{name}: {source}")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


def update(ts: Path) -> None:
    """pyside6-lupdate over every module of hmi/ui into ``ts`` (new texts added, gone ones dropped)."""
    from hmi.ui import i18n

    result = subprocess.run([str(i18n.lupdate_executable()), *i18n.translated_modules(), "-ts", str(ts),
                             "-no-obsolete", "-locations", "none", "-silent"],
                            cwd=i18n.UI_DIR, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"pyside6-lupdate failed: {result.stderr.strip()}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from hmi.ui import i18n

    ts = i18n.ts_path("id")
    update(ts)
    left = fill(ts)
    for source in left:
        print(f"no Indonesian yet: {source}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
