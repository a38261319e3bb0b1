"""The layering of DESIGN.md as a check: ui → app → services → adapters → store/domain.

Qt (PySide6, qasync) is fenced into hmi/ui and the composition root hmi/app; lower layers
never import upper ones. Read from the source with ast, so a lazy import inside a function
counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HMI = Path(__file__).resolve().parents[1] / "hmi"
QT_MODULES = ("PySide6", "qasync", "shiboken6")

#: package -> packages it must not import
FORBIDDEN = {
    "hmi.domain": ("hmi.store", "hmi.services", "hmi.plc", "hmi.odoo", "hmi.api", "hmi.app", "hmi.ui", "hmi.sim",
                   "sqlalchemy"),
    "hmi.store": ("hmi.services", "hmi.plc", "hmi.odoo", "hmi.api", "hmi.app", "hmi.ui", "hmi.sim"),
    "hmi.plc": ("hmi.store", "hmi.services", "hmi.odoo", "hmi.api", "hmi.app", "hmi.ui", "hmi.sim"),
    "hmi.odoo": ("hmi.store", "hmi.services", "hmi.plc", "hmi.api", "hmi.app", "hmi.ui", "hmi.sim"),
    "hmi.services": ("hmi.api", "hmi.app", "hmi.ui", "hmi.sim"),
    "hmi.api": ("hmi.app", "hmi.ui", "hmi.sim"),
    "hmi.sim": ("hmi.store", "hmi.services", "hmi.api", "hmi.app", "hmi.ui"),
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(HMI.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(HMI.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append((".".join(parts), path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = _modules()


@pytest.mark.parametrize("module, path", MODULES, ids=[m for m, _ in MODULES])
def test_qt_only_in_ui_and_composition_root(module, path):
    if _matches(module, ("hmi.ui", "hmi.app")):
        return
    offending = sorted(name for name in _imports(path) if _matches(name, QT_MODULES))
    assert not offending, f"{module} imports {offending}; Qt belongs in hmi.ui or hmi.app"


@pytest.mark.parametrize("module, path", MODULES, ids=[m for m, _ in MODULES])
def test_lower_layers_do_not_import_upper_layers(module, path):
    for package, forbidden in FORBIDDEN.items():
        if _matches(module, (package,)):
            offending = sorted(name for name in _imports(path) if _matches(name, forbidden))
            assert not offending, f"{module} imports {offending}"
