"""The FINS test peers stay test-only: no product module imports them, the bundle excludes them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEERS = ("omniplc", "fins", "pyModbusTCP")


def test_no_product_module_imports_a_test_peer():
    for path in (ROOT / "hmi").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in PEERS, f"{path} imports {name}"


def test_bundle_spec_excludes_the_peers_and_the_test_extra_lists_them():
    spec = (ROOT / "packaging" / "batch-hmi.spec").read_text(encoding="utf-8")
    for peer in PEERS:
        assert f'"{peer}"' in spec
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    test_extra = pyproject.split("test = [", 1)[1].split("]", 1)[0]
    assert '"omniplc==0.56.5"' in test_extra and '"fins-driver==0.3.1"' in test_extra
    dependencies = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "omniplc" not in dependencies and "fins" not in dependencies
