"""Builds the PyInstaller bundle once per test session (tests/packaging and anything else that asks)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "batch-hmi.spec"
EXE_NAME = "batch-hmi.exe" if sys.platform == "win32" else "batch-hmi"


@dataclass(frozen=True)
class Bundle:
    folder: Path

    @property
    def exe(self) -> Path:
        return self.folder / EXE_NAME

    @property
    def contents(self) -> Path:
        """PyInstaller 6 keeps everything but the executable in _internal/ (sys._MEIPASS)."""
        return self.folder / "_internal"


def scrubbed_env(home: Path, **extra: str) -> dict[str, str]:
    """The process environment without any of the product's settings, with per-user folders under ``home``."""
    prefixes = ("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_", "ENABLE_", "DATA_DIR", "LOG_LEVEL", "PYTHON")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "QT_QPA_PLATFORM": "offscreen",
        # The default data folder is machine-wide (/var/lib/batch-hmi): keep the test's own.
        "DATA_DIR": str(home / "data" / "batch-hmi"),
    })
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Bundle:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("PyInstaller is required in CI (pip install -e .[test])")
        pytest.skip("PyInstaller is not installed (pip install -e .[test])")
    base = tmp_path_factory.mktemp("pyinstaller")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build"), str(SPEC)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    built = Bundle(base / "dist" / "batch-hmi")
    assert built.exe.is_file(), f"no executable in {built.folder}"
    return built
