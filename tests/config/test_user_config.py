"""Which settings file applies without --config: ./settings.ini, or in a bundle the per-user one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hmi import config
from hmi.config import default_config_path, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundled(tmp_path) -> Path:
    path = tmp_path / "bundle" / "settings.ini"
    path.parent.mkdir()
    path.write_text((ROOT / "settings.ini").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_checkout_without_local_file_keeps_built_in_defaults(tmp_path):
    user = tmp_path / "user" / "settings.ini"
    assert default_config_path(tmp_path, None, user) == tmp_path / "settings.ini"
    assert not user.exists()


def test_local_file_wins_over_per_user_file(tmp_path, bundled):
    local = tmp_path / "settings.ini"
    local.write_text("[sync]\nbatch_limit = 3\n", encoding="utf-8")
    user = tmp_path / "user" / "settings.ini"
    assert default_config_path(tmp_path, bundled, user) == local
    assert not user.exists()


def test_bundle_first_start_copies_default_to_per_user_file(tmp_path, bundled):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    user = tmp_path / "user" / "batch-hmi" / "settings.ini"
    assert default_config_path(cwd, bundled, user) == user
    assert user.read_text(encoding="utf-8") == bundled.read_text(encoding="utf-8")


def test_bundle_keeps_an_edited_per_user_file(tmp_path, bundled):
    user = tmp_path / "user" / "settings.ini"
    user.parent.mkdir()
    user.write_text("[sync]\nbatch_limit = 4\n", encoding="utf-8")
    assert default_config_path(tmp_path, bundled, user) == user
    assert user.read_text(encoding="utf-8") == "[sync]\nbatch_limit = 4\n"


def test_unwritable_per_user_folder_falls_back_to_built_in_defaults(tmp_path, bundled):
    blocker = tmp_path / "user"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert default_config_path(tmp_path, bundled, blocker / "settings.ini") == tmp_path / "settings.ini"


def test_load_settings_in_a_bundle_reads_per_user_file_and_dotenv_beside_it(tmp_path, bundled, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    user = tmp_path / "user" / "settings.ini"
    user.parent.mkdir()
    user.write_text("[sync]\nbatch_limit = 4\ninterval_minutes = 2\n", encoding="utf-8")
    (user.parent / ".env").write_text("SYNC_INTERVAL_MINUTES=3\n", encoding="utf-8")
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundled.parent), raising=False)
    monkeypatch.setattr(config, "user_config_path", lambda: user)
    settings = load_settings(environ={"SYNC_INTERVAL_MINUTES": "0.5"})
    # Precedence is unchanged: defaults < file < .env beside it < environment.
    assert settings.config_path == user
    assert settings.sync_batch_limit == 4
    assert settings.sources["SYNC_BATCH_LIMIT"] == "ini"
    assert settings.sync_interval_minutes == 0.5
    assert settings.sources["SYNC_INTERVAL_MINUTES"] == "environment"


def test_explicit_config_never_touches_per_user_file(tmp_path, bundled, monkeypatch):
    explicit = tmp_path / "plant.ini"
    explicit.write_text("[sync]\nbatch_limit = 2\n", encoding="utf-8")
    user = tmp_path / "user" / "settings.ini"
    monkeypatch.setattr(sys, "_MEIPASS", str(bundled.parent), raising=False)
    monkeypatch.setattr(config, "user_config_path", lambda: user)
    settings = load_settings(explicit, environ={})
    assert settings.config_path == explicit
    assert not user.exists()
