"""Settings precedence and every rejection, through the real loader and the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hmi.config import SPECS, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.enable_auto_sync is True
    assert settings.sync_interval_minutes == 5
    assert settings.sync_batch_limit == 10
    assert settings.database_url == ""
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert set(settings.sources.values()) == {"default"}


def test_precedence_default_ini_dotenv_environment(tmp_path):
    ini = _write(tmp_path / "settings.ini", "[sync]\ninterval_minutes = 7\nbatch_limit = 3\n[plc]\nport = 5020\n")
    _write(tmp_path / ".env", "SYNC_INTERVAL_MINUTES=2.5\nPLC_PORT=\"5021\"\nUNRELATED_TOOL_KEY=1\n")
    settings = load_settings(ini, environ={"SYNC_INTERVAL_MINUTES": "0.5"})
    assert settings.sync_interval_minutes == 0.5
    assert settings.sources["SYNC_INTERVAL_MINUTES"] == "environment"
    assert settings.plc_port == 5021
    assert settings.sources["PLC_PORT"] == ".env"
    assert settings.sync_batch_limit == 3
    assert settings.sources["SYNC_BATCH_LIMIT"] == "ini"
    assert settings.enable_auto_sync is True
    assert settings.sources["ENABLE_AUTO_SYNC"] == "default"


def test_shipped_settings_ini_documents_every_key_with_its_default():
    text = (ROOT / "settings.ini").read_text()
    for spec in SPECS:
        assert f"ENV: {spec.env}" in text, spec.env
    settings = load_settings(ROOT / "settings.ini", environ={})
    defaults = load_settings(ROOT / "settings.ini", environ={})
    assert settings == defaults
    assert all(source == "ini" for source in settings.sources.values())


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"SYNC_INTERVAL_MINUTES": "abc"}, "SYNC_INTERVAL_MINUTES='abc' (from environment) must be a number"),
        ({"SYNC_INTERVAL_MINUTES": "0"}, "SYNC_INTERVAL_MINUTES='0' (from environment) must be greater than 0"),
        ({"SYNC_INTERVAL_MINUTES": "-5"}, "SYNC_INTERVAL_MINUTES='-5' (from environment) must be greater than 0"),
        ({"SYNC_INTERVAL_MINUTES": "nan"}, "must be a finite number"),
        ({"SYNC_BATCH_LIMIT": "0"}, "SYNC_BATCH_LIMIT='0' (from environment) must be between 1 and 30"),
        ({"ENABLE_AUTO_SYNC": "maybe"}, "ENABLE_AUTO_SYNC='maybe' (from environment) must be true or false"),
        ({"ODOO_BASE_URL": "odoo.local:8069"}, "ODOO_BASE_URL='odoo.local:8069' (from environment) must be an http"),
        ({"ODOO_BASE_URL": "http://"}, "ODOO_BASE_URL='http://'"),
        ({"ODOO_BASE_URL": "http://odoo:99999"}, "has an invalid port"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL='mysql://x/y' (from environment)"),
        ({"PLC_PORT": "70000"}, "PLC_PORT='70000' (from environment) must be between 1 and 65535"),
        ({"DATABASE_POOL_SIZE": "2"}, "DATABASE_POOL_SIZE='2' (from environment) must be between 4 and 50"),
        ({"API_HOST": "0.0.0.0"}, "API_HOST='0.0.0.0' (from default"),
    ],
)
def test_rejections_name_key_value_and_source(tmp_path, env, fragment):
    if "API_HOST" in env:
        fragment = "API_HOST='0.0.0.0' (from environment) is not a loopback address; set API_TOKEN"
    with pytest.raises(SettingsError) as info:
        load_settings(_write(tmp_path / "s.ini", ""), environ=env)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_non_loopback_api_allowed_with_token(tmp_path):
    settings = load_settings(_write(tmp_path / "s.ini", ""), environ={"API_HOST": "0.0.0.0", "API_TOKEN": "t0ken"})
    assert settings.api_host == "0.0.0.0"


def test_bad_value_in_ini_names_the_file(tmp_path):
    ini = _write(tmp_path / "settings.ini", "[sync]\ninterval_minutes = -5\n")
    with pytest.raises(SettingsError, match=r"SYNC_INTERVAL_MINUTES='-5' \(from ini .*settings.ini\)"):
        load_settings(ini, environ={})


def test_bad_value_in_dotenv_names_the_file(tmp_path):
    ini = _write(tmp_path / "settings.ini", "")
    _write(tmp_path / ".env", "SYNC_BATCH_LIMIT=ten\n")
    with pytest.raises(SettingsError, match=r"SYNC_BATCH_LIMIT='ten' \(from \.env .*\.env\) must be a whole number"):
        load_settings(ini, environ={})


def test_dotenv_inline_comment_is_not_part_of_the_value_as_in_the_ini(tmp_path):
    ini = _write(tmp_path / "settings.ini", "[plc]\nhost = 10.0.0.5  # the mixer PLC\n")
    _write(tmp_path / ".env", "PLC_PORT=5021  # the simulator\nODOO_PASSWORD='pa#ss $HOME'\nexport ODOO_DB=feedmill\n")
    settings = load_settings(ini, environ={})
    assert settings.plc_host == "10.0.0.5" and settings.plc_port == 5021
    assert settings.odoo_password == "pa#ss $HOME" and settings.odoo_db == "feedmill"


def test_a_bad_database_url_error_does_not_print_its_password(tmp_path):
    ini = _write(tmp_path / "settings.ini", "")
    with pytest.raises(SettingsError) as caught:
        load_settings(ini, environ={"DATABASE_URL": "mysql://hmi:db-s3cret@db.local/hmi"})
    assert "DATABASE_URL='mysql://hmi:********@db.local/hmi' (from environment) must be empty" in str(caught.value)
    assert "db-s3cret" not in str(caught.value)


def test_unknown_ini_key_is_refused(tmp_path):
    ini = _write(tmp_path / "settings.ini", "[sync]\nintervall_minutes = 5\n")
    with pytest.raises(SettingsError, match=r"unknown key \[sync\] intervall_minutes"):
        load_settings(ini, environ={})


def test_missing_explicit_config_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.ini", environ={})


def test_secrets_never_shown(tmp_path):
    ini = _write(tmp_path / "settings.ini", "")
    secret_env = {"ODOO_PASSWORD": "hunter2-pw", "API_TOKEN": "tok-s3cret",
                  "DATABASE_URL": "postgresql+psycopg2://hmi:db-s3cret@db.local/hmi"}
    settings = load_settings(ini, environ=secret_env)
    shown = repr(settings) + str(settings) + " ".join(display for _, display, _ in settings.describe())
    for secret in ("hunter2-pw", "tok-s3cret", "db-s3cret"):
        assert secret not in shown
    assert settings.odoo_password == "hunter2-pw"


def test_cli_bad_setting_exits_2_with_one_line(tmp_path):
    ini = _write(tmp_path / "settings.ini", "")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--config", str(ini), "--headless"],
        env={"PATH": "/usr/bin:/bin", "SYNC_INTERVAL_MINUTES": "abc", "HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["settings error: SYNC_INTERVAL_MINUTES='abc' (from environment) must be a number"]
    assert "Traceback" not in result.stderr + result.stdout


# ---------------------------------------------------------------------- where the data lives


def test_default_data_folder_is_machine_wide_when_usable(tmp_path):
    from hmi.config import machine_data_dir, resolve_data_dir

    assert machine_data_dir("linux") == Path("/var/lib/batch-hmi")
    machine, per_user = tmp_path / "var-lib" / "batch-hmi", tmp_path / "home" / "batch-hmi"
    resolved = resolve_data_dir(machine, per_user)
    assert resolved.path == machine and resolved.warning is None
    assert not machine.exists()  # only looked at; created when the database is


def test_unusable_machine_folder_falls_back_to_the_user_folder_with_a_warning(tmp_path):
    from hmi.config import resolve_data_dir

    blocker = tmp_path / "var-lib"
    blocker.write_text("a file where the folder should be")
    machine, per_user = blocker / "batch-hmi", tmp_path / "home" / "batch-hmi"
    resolved = resolve_data_dir(machine, per_user)
    assert resolved.path == per_user
    assert str(machine) in resolved.warning and str(per_user) in resolved.warning
    assert "another OS user on this PC would get a separate database" in resolved.warning


def test_data_dir_setting_overrides_the_machine_folder(tmp_path):
    ini = _write(tmp_path / "settings.ini", "")
    settings = load_settings(ini, environ={"DATA_DIR": str(tmp_path / "plant")})
    assert settings.data_path == tmp_path / "plant"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'plant' / 'batch_hmi.db'}"
    assert settings.data_dir_warning is None


@pytest.mark.parametrize("env, fragment", [
    ({"DATABASE_STATEMENT_TIMEOUT_SECONDS": "-1"}, "DATABASE_STATEMENT_TIMEOUT_SECONDS='-1' (from environment) must be 0"),
    ({"DATABASE_CONNECT_TIMEOUT_SECONDS": "0"}, "DATABASE_CONNECT_TIMEOUT_SECONDS='0' (from environment) must be greater"),
])
def test_database_timeouts_are_validated(tmp_path, env, fragment):
    ini = _write(tmp_path / "settings.ini", "")
    with pytest.raises(SettingsError) as raised:
        load_settings(ini, environ=env)
    assert fragment in str(raised.value)
