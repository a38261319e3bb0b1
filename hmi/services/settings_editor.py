"""The engineer's Settings dialog, without Qt: which keys it edits, validation, writing, what applies now.

- Validation uses the start-up rules (each key's parser, then ``load_settings`` with the change on
  top, so combination rules such as "json2 needs ODOO_API_KEY" hold too); the error names the key.
- Plain values are written into settings.ini in place: its comments, its order and every key the
  dialog does not show stay as they are. Secrets (password, API key) go to ``.env`` beside it
  (python-dotenv, file readable only by the owner), never into the ini.
- A key set in the process environment wins over both files, so the dialog shows it read-only with
  that reason instead of saving a value that would have no effect.
- Sync interval, batch limit, auto-sync and the PLC poll interval apply at once; the rest (Odoo,
  PLC address, line code) needs a restart, and the dialog says which.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from dotenv import set_key

from hmi.config import _BY_ENV, DEFAULT_CONFIG_NAME, SOURCE_ENV, Settings, SettingsError, SettingSpec, load_settings

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Odoo", ("ODOO_BASE_URL", "ODOO_DB", "ODOO_USERNAME", "ODOO_PASSWORD", "ODOO_API_KEY", "ODOO_API")),
    ("PLC", ("PLC_PROTOCOL", "PLC_HOST", "PLC_PORT", "PLC_UNIT_ID", "PLC_FINS_NODE", "PLC_POLL_INTERVAL_SECONDS")),
    ("Sync", ("SYNC_INTERVAL_MINUTES", "SYNC_BATCH_LIMIT", "ENABLE_AUTO_SYNC")),
    ("Line", ("LINE_EQUIPMENT_CODE",)),
)
EDITABLE = tuple(env for _title, keys in SECTIONS for env in keys)
#: Keys the running application takes over without a restart.
APPLIED_AT_RUNTIME = frozenset({"ENABLE_AUTO_SYNC", "SYNC_INTERVAL_MINUTES", "SYNC_BATCH_LIMIT",
                                "PLC_POLL_INTERVAL_SECONDS"})


class SettingsChangeError(Exception):
    """A change that cannot be saved; ``str()`` names the key and why."""


def spec_of(env: str) -> SettingSpec:
    return _BY_ENV[env]


def text_of(settings: Settings, env: str) -> str:
    """The value as the dialog's field shows it (secrets: empty, the field says 'unchanged')."""
    spec = spec_of(env)
    value = getattr(settings, spec.attr)
    if spec.secret or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def env_override(settings: Settings, env: str) -> str | None:
    """Why a key cannot be edited here (set in the process environment), or None."""
    if settings.sources.get(env) == SOURCE_ENV:
        return f"set by the environment variable {env}, which wins over settings.ini and .env; change it there"
    return None


def config_path_of(settings: Settings) -> Path:
    return settings.config_path or (Path.cwd() / DEFAULT_CONFIG_NAME)


def _environment_of(settings: Settings) -> dict[str, str]:
    """The environment values the settings were loaded with (so validation sees the same overrides)."""
    values = {}
    for env, source in settings.sources.items():
        if source == SOURCE_ENV:
            spec = spec_of(env)
            value = getattr(settings, spec.attr)
            values[env] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return values


@dataclass(frozen=True)
class SavedChange:
    settings: Settings
    changed: tuple[str, ...]
    applied_now: tuple[str, ...]
    need_restart: tuple[str, ...]
    ini_path: Path
    dotenv_path: Path | None


def validate(settings: Settings, changes: dict[str, str]) -> Settings:
    """The settings the changes would give, checked with the start-up rules; raises SettingsChangeError."""
    for env, text in changes.items():
        if env not in EDITABLE:
            raise SettingsChangeError(f"{env} is not edited here")
        reason = env_override(settings, env)
        if reason:
            raise SettingsChangeError(f"{env} is {reason}")
        spec = spec_of(env)
        try:
            spec.parse(text)
        except ValueError as exc:
            shown = "********" if spec.secret else repr(text)
            raise SettingsChangeError(f"{env}={shown} {exc}") from None
        if not spec.secret and re.search(r"\s[#;]", text):
            raise SettingsChangeError(f"{env}: a value in settings.ini cannot contain ' #' or ' ;' (read as a comment)")
    environ = _environment_of(settings)
    environ.update(changes)
    path = config_path_of(settings)
    try:
        return load_settings(path if path.is_file() else _empty_ini(path), environ=environ)
    except SettingsError as exc:
        raise SettingsChangeError(str(exc).removeprefix("settings error: ")) from None


def _empty_ini(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Batch HMI settings (written by the Settings dialog)\n", encoding="utf-8")
    return path


def save(settings: Settings, changes: dict[str, str]) -> SavedChange:
    """Validate, write (ini in place, secrets to .env) and read the files back."""
    changes = {env: text for env, text in changes.items()
               if spec_of(env).secret and text or not spec_of(env).secret and text != text_of(settings, env)}
    validate(settings, changes)
    ini = config_path_of(settings)
    if not ini.is_file():
        _empty_ini(ini)
    plain = {(spec_of(env).section, spec_of(env).key): text for env, text in changes.items() if not spec_of(env).secret}
    secrets = {env: text for env, text in changes.items() if spec_of(env).secret}
    if plain:
        set_ini_values(ini, plain)
    dotenv = None
    if secrets:
        dotenv = ini.parent / ".env"
        if not dotenv.exists():
            fd = os.open(dotenv, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        for env, text in secrets.items():
            set_key(str(dotenv), env, text, quote_mode="always")
        try:
            os.chmod(dotenv, 0o600)
        except OSError:  # pragma: no cover
            pass
    reloaded = load_settings(ini, environ=_environment_of(settings))
    changed = tuple(changes)
    return SavedChange(reloaded, changed, tuple(k for k in changed if k in APPLIED_AT_RUNTIME),
                       tuple(k for k in changed if k not in APPLIED_AT_RUNTIME), ini, dotenv)


_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_KEY = re.compile(r"^(\s*)([^=:#;\s][^=:]*?)(\s*[=:]\s*)(.*?)(\s+[#;].*)?$")


def set_ini_values(path: Path, values: dict[tuple[str, str], str]) -> None:
    """Set ``[section] key = value`` in place; comments, order and other keys are kept. Atomic."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    pending = {(section.lower(), key.lower()): (section, key, value) for (section, key), value in values.items()}
    section = None
    last_line: dict[str, int] = {}
    for number, line in enumerate(lines):
        match = _SECTION.match(line)
        if match:
            section = match.group(1).strip().lower()
            last_line[section] = number
            continue
        if section is None or not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        found = _KEY.match(line)
        if found:
            last_line[section] = number
            wanted = pending.pop((section, found.group(2).strip().lower()), None)
            if wanted is not None:
                lines[number] = f"{found.group(1)}{found.group(2)}{found.group(3)}{wanted[2]}{found.group(5) or ''}"
    # Keys the file does not have yet: after the last key of their section, or in a new section.
    inserts: dict[int, list[str]] = {}
    appended: dict[str, list[str]] = {}
    for (section_key, _key), (section_name, key, value) in pending.items():
        if section_key in last_line:
            inserts.setdefault(last_line[section_key], []).append(f"{key} = {value}")
        else:
            appended.setdefault(section_name, []).append(f"{key} = {value}")
    for number in sorted(inserts, reverse=True):
        lines[number + 1:number + 1] = inserts[number]
    for section_name, new_lines in appended.items():
        lines += ["", f"[{section_name}]", *new_lines]
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)
