"""The layer fence of docs/architecture.md, run with the suite.

The one table of layers and allowed directions is ``[tool.importlinter]`` in pyproject.toml:
app > ui | api | sim > services > plc | odoo | store > kernel (clock, config, domain,
operator_text, records, resources, silo_assignment), every module of hmi/ in exactly one
layer (``exhaustive``); the window and the admin API never import the store; the simulators
never import services or the store; Qt only in hmi.ui and hmi.app; no import circles inside
any package. import-linter (grimp) reads every import statement of a module, including those
inside functions and under ``if TYPE_CHECKING:``, so a lazy import neither hides a wrong-way
import nor a circle; the last test below keeps that promise checked.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
from importlinter.api import read_configuration

import hmi

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "hmi").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def test_the_checked_package_is_this_checkout():
    assert Path(hmi.__file__).resolve().parents[1] == ROOT, "run pytest from the repository root"


def test_the_import_contracts_hold():
    """Every [tool.importlinter] contract is kept (the broken one is printed on failure).

    In a child process: lint_imports configures logging with dictConfig, which would silence the
    hmi loggers (and caplog) for the rest of the session. ``-c`` puts the checkout first on sys.path.
    """
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                               f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_top_level_module_is_in_one_layer():
    contracts = {c["id"]: c for c in read_configuration(str(PYPROJECT))["contracts_options"]}
    layers = contracts["layers"]
    assert str(layers["exhaustive"]).lower() == "true"
    named = [name.strip() for layer in layers["layers"] for name in re.split(r"[|:]", layer)]
    assert len(named) == len(set(named)), "a module is in two layers"
    top_level = sorted({m.split(".")[1] for m in _modules() if m != "hmi"})
    assert sorted(named) == top_level


def test_the_architecture_document_names_every_module():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [m for m in _modules() if m != "hmi" and not re.search(rf"`{re.escape(m)}`", text)]
    assert missing == [], f"docs/architecture.md lists each module of hmi/ with its job; missing: {missing}"


def test_the_fence_sees_imports_inside_functions(tmp_path, monkeypatch):
    """A function-level import is an import: grimp must report it, or the fence would have a hole."""
    package = tmp_path / "fenceprobe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text(textwrap.dedent("""
        def lazy():
            from fenceprobe import high  # noqa: F401
    """))
    (package / "typed.py").write_text(textwrap.dedent("""
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from fenceprobe import high  # noqa: F401
    """))
    (package / "high.py").write_text("from fenceprobe import low  # noqa: F401\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("fenceprobe", cache_dir=None)
    assert "fenceprobe.high" in graph.find_modules_directly_imported_by("fenceprobe.low")
    assert "fenceprobe.high" in graph.find_modules_directly_imported_by("fenceprobe.typed")
    assert "fenceprobe.low" in graph.find_modules_directly_imported_by("fenceprobe.high")  # the circle is seen



#: Reading the time anywhere but hmi.clock: the wall clock (naive or UTC) and its old spellings.
_CLOCK_READS = re.compile(r"\bdatetime\.now\(|\.utcnow\(|\bdatetime\.today\(|\bdate\.today\(|\btime\.time\(\)")


def test_only_the_clock_module_reads_the_time():
    """hmi.clock is the one clock: UTC now (utc_now) and the plant's wall clock (PlantClock).

    Monotonic timers (time.monotonic, loop.time) are not wall time and stay where they are.
    """
    found = []
    for path in sorted((ROOT / "hmi").rglob("*.py")):
        if path == ROOT / "hmi" / "clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _CLOCK_READS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "read the time through hmi.clock (utc_now, PlantClock):\n" + "\n".join(found)


def _tests_imports(path: Path) -> list[str]:
    """Every import of the test suite (``tests`` or ``tests.*``) in one file, at any depth
    (inside functions too), as "file:line: module"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{path}:{node.lineno}: {name}" for name in names if name == "tests" or name.startswith("tests.")]
    return found


def test_tools_and_bench_never_import_the_tests(tmp_path):
    """tests/support is the tests' own: the tools and the benchmarks take what they share with the
    tests from tools.support (one copy), and the tests import it from there, never the other way."""
    planted = tmp_path / "tool.py"
    planted.write_text("def main():\n    from tests.support.live import wait_for\n    import tests.conftest\n")
    assert len(_tests_imports(planted)) == 2  # the check sees lazy imports, both spellings

    found = [hit for folder in ("tools", "bench") for path in sorted((ROOT / folder).rglob("*.py"))
             for hit in _tests_imports(path)]
    assert found == [], "tools/ and bench/ must not import the tests (use tools.support):\n" + "\n".join(found)
