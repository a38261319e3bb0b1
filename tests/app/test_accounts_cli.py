"""--add-operator / --list-operators / --disable-operator: the PIN from the terminal, never an argument."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hmi.app.accounts_cli import run_accounts_command
from hmi.app.cli import build_parser
from hmi.config import load_settings

ROOT = Path(__file__).resolve().parents[2]


def _settings(tmp_path):
    ini = tmp_path / "settings.ini"
    ini.write_text("")
    return load_settings(ini, environ={"DATA_DIR": str(tmp_path / "data")})


def test_add_asks_the_pin_twice_then_list_and_disable(tmp_path, capsys):
    settings = _settings(tmp_path)
    answers = iter(["12", "4711", "4712", "4711", "4711"])  # too short, differ, then the same twice
    args = build_parser().parse_args(["--add-operator", "Budi", "--role", "engineer"])
    assert run_accounts_command(args, settings, ask=lambda _prompt: next(answers)) == 0
    out = capsys.readouterr()
    assert "Operator Budi (engineer) created" in out.out
    assert "at least 4 digits" in out.err and "differ" in out.err
    assert run_accounts_command(build_parser().parse_args(["--disable-operator", "Budi"]), settings) == 0
    assert run_accounts_command(build_parser().parse_args(["--list-operators"]), settings) == 0
    listed = capsys.readouterr().out
    assert "Budi" in listed and "engineer" in listed and "disabled" in listed
    assert run_accounts_command(build_parser().parse_args(["--disable-operator", "Nobody"]), settings) == 1
    assert "no operator named Nobody" in capsys.readouterr().err


def test_the_pin_is_not_a_command_line_option(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYNC_", "ODOO_", "PLC_", "API_", "DATABASE_"))}
    env.update({"DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"})
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--add-operator", "Budi", "--pin", "4711"],
                            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert result.returncode == 2 and "unrecognized arguments: --pin 4711" in result.stderr
    listed = subprocess.run([sys.executable, str(ROOT / "main.py"), "--list-operators"], capture_output=True,
                            text=True, timeout=60, env=env, cwd=tmp_path)
    assert listed.returncode == 0 and "No operator accounts yet" in listed.stdout
