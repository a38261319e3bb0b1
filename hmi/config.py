"""Settings: built-in defaults < settings.ini < .env beside it < process environment.

Every setting has one environment name (the seed's names: ``ENABLE_AUTO_SYNC``,
``SYNC_INTERVAL_MINUTES``, ...) and one ``[section] key`` in settings.ini. The loader
remembers where each effective value came from, so the window's Settings dialog and
error messages can say "from environment" or "from settings.ini".

A bad value stops start-up with a :class:`SettingsError` whose one-line message names
the key, the value and its source. Secret values are never echoed.
"""

from __future__ import annotations

import configparser
import functools
import io
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import platformdirs
from dotenv import dotenv_values

from hmi.operator_text import first_line

APP_NAME = "batch-hmi"
DEFAULT_CONFIG_NAME = "settings.ini"

SOURCE_DEFAULT = "default"
SOURCE_INI = "ini"
SOURCE_DOTENV = ".env"
SOURCE_ENV = "environment"

_MASK = "********"


class SettingsError(Exception):
    """A setting that cannot be used. ``str()`` is the one line shown to the user."""


# --------------------------------------------------------------------------- parsers
# Each parser turns the raw text into a value or raises ValueError with the reason.

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("must be true or false")


def _parse_text(text: str) -> str:
    return text.strip()


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError("must be a number") from None
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _positive_float(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _non_negative_float(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError("must be a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return parse


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value

    return parse


def _http_url(text: str) -> str:
    value = text.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host, e.g. http://odoo.local:8069")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError("has an invalid port") from None
    return value


def _database_url(text: str) -> str:
    value = text.strip()
    if not value:
        return ""
    if not (value.startswith("sqlite") or value.startswith("postgresql")):
        raise ValueError("must be empty (local SQLite file), sqlite:///PATH or postgresql+psycopg2://USER@HOST/DB")
    if "://" not in value:
        raise ValueError("is not a URL (expected DIALECT://...)")
    return value


def _log_level(text: str) -> str:
    value = text.strip().upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
    return value


def _ui_density(text: str) -> str:
    value = text.strip().lower()
    if value not in ("touch", "desktop"):
        raise ValueError("must be touch or desktop")
    return value


def _plant_timezone(text: str) -> str:
    """An IANA zone name (Europe/Berlin, Asia/Jakarta); empty = the operating system's zone."""
    value = text.strip()
    if value:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as Asia/Jakarta or Europe/Berlin") from None
    return value


def _shift_starts(text: str) -> str:
    """Comma-separated HH:MM times, at least one, each once; kept in the canonical form."""
    starts = []
    for part in text.split(","):
        part = part.strip()
        hours, sep, minutes = part.partition(":")
        if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
                and 0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
            raise ValueError("must be times of day HH:MM separated by commas, e.g. 06:00,14:00,22:00")
        starts.append(f"{int(hours):02d}:{minutes}")
    if len(set(starts)) != len(starts):
        raise ValueError("each shift start may appear once")
    return ",".join(sorted(starts))


def _host(text: str) -> str:
    value = text.strip()
    if not value or any(ch.isspace() for ch in value) or "/" in value:
        raise ValueError("must be a host name or IP address")
    return value


PLC_PROTOCOLS = ("modbus", "fins-udp", "fins-tcp")
#: PLC_PORT when it is left empty: the protocol's standard port.
DEFAULT_PLC_PORTS = {"modbus": 502, "fins-udp": 9600, "fins-tcp": 9600}


def _plc_protocol(text: str) -> str:
    value = text.strip().lower()
    if value not in PLC_PROTOCOLS:
        raise ValueError(f"must be one of {', '.join(PLC_PROTOCOLS)}")
    return value


def _optional_int_between(low: int, high: int) -> Callable[[str], int | None]:
    """Empty = None (a rule decides, see the key's help); else a whole number in low..high."""
    parse = _int_between(low, high)

    def parse_optional(text: str) -> int | None:
        return None if not text.strip() else parse(text)

    return parse_optional


# --------------------------------------------------------------------------- the keys


@dataclass(frozen=True)
class SettingSpec:
    env: str
    section: str
    key: str
    default: str
    parse: Callable[[str], Any]
    help: str
    secret: bool = False

    @property
    def attr(self) -> str:
        return self.env.lower()


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("ENABLE_AUTO_SYNC", "sync", "enable_auto_sync", "true", _parse_bool,
                "Run the sync timer. false = only manual / API triggers fetch MOs."),
    SettingSpec("SYNC_INTERVAL_MINUTES", "sync", "interval_minutes", "5", _positive_float,
                "Minutes between sync checks. Fractions allowed for commissioning (0.5 = 30 s)."),
    SettingSpec("SYNC_BATCH_LIMIT", "sync", "batch_limit", "10", _int_between(1, 30),
                "MOs fetched per sync; at most the PLC's slot count."),
    SettingSpec("SYNC_ON_EMPTY", "sync", "on_empty", "true", _parse_bool,
                "Sync right away when the last batch of the table is archived (the timer stays the periodic check)."),
    SettingSpec("DATABASE_URL", "database", "url", "", _database_url,
                "Empty = SQLite file in the machine-wide data directory; or postgresql+psycopg2://user:pw@host/db."),
    SettingSpec("DATABASE_CONNECT_TIMEOUT_SECONDS", "database", "connect_timeout_seconds", "10", _positive_float,
                "PostgreSQL: seconds to wait for a connection to the server."),
    SettingSpec("DATABASE_STATEMENT_TIMEOUT_SECONDS", "database", "statement_timeout_seconds", "30",
                _non_negative_float,
                "PostgreSQL: a statement running (or waiting for a lock) longer than this fails; 0 = no limit."),
    SettingSpec("DATABASE_POOL_SIZE", "database", "pool_size", "4", _int_between(4, 50),
                "PostgreSQL: connections this instance opens at most (line lock 1, database executor 2, "
                "audit log writer 1); a request beyond waits for a free one. 50 lines x 4 = 200 on the server."),
    SettingSpec("ODOO_BASE_URL", "odoo", "base_url", "http://127.0.0.1:8070", _http_url,
                "Odoo server with the grt_scada addon."),
    SettingSpec("ODOO_DB", "odoo", "db", "", _parse_text, "Odoo database name."),
    SettingSpec("ODOO_USERNAME", "odoo", "username", "", _parse_text, "Odoo login of the SCADA user."),
    SettingSpec("ODOO_PASSWORD", "odoo", "password", "", _parse_text,
                "Odoo password. Prefer the environment or .env over this file.", secret=True),
    SettingSpec("ODOO_TIMEOUT_SECONDS", "odoo", "timeout_seconds", "10", _positive_float,
                "Seconds to wait for one Odoo answer."),
    SettingSpec("ODOO_MARK_DONE", "odoo", "mark_done", "false", _parse_bool,
                "After pushing consumption, also mark the MO done in Odoo."),
    SettingSpec("ODOO_API", "odoo", "api", "grt_scada", _choice("grt_scada", "jsonrpc", "json2", "auto"),
                "Odoo protocol: grt_scada (addon routes) | jsonrpc (stock Odoo 16-21, /jsonrpc) | "
                "json2 (stock Odoo 19+, needs ODOO_API_KEY) | auto (asks Odoo's version; json2 on 19+ with a key)."),
    SettingSpec("ODOO_API_KEY", "odoo", "api_key", "", _parse_text,
                "Odoo API key of the SCADA user (jsonrpc: used instead of the password; json2: required). "
                "Prefer the environment or .env over this file.", secret=True),
    SettingSpec("ODOO_PICKING_TYPE", "odoo", "picking_type", "", _parse_text,
                "Stock Odoo: this line's manufacturing operation type, by name (e.g. Manufacturing) or id."),
    SettingSpec("ODOO_WORKCENTER", "odoo", "workcenter", "", _parse_text,
                "Stock Odoo: this line's work center code; only MOs with a work order on it are fetched."),
    SettingSpec("ODOO_ONLY_READY", "odoo", "only_ready", "false", _parse_bool,
                "Stock Odoo: fetch only MOs whose components are reserved (Odoo's 'Ready')."),
    SettingSpec("ODOO_BACKORDER", "odoo", "backorder", "close", _choice("close", "backorder"),
                "Stock Odoo, MO produced less than planned: close it (close) or leave the rest as a backorder MO "
                "(backorder)."),
    SettingSpec("PLC_ENABLED", "plc", "enabled", "true", _parse_bool,
                "false = store fetched batches without writing them to a PLC (no polling)."),
    SettingSpec("PLC_PROTOCOL", "plc", "protocol", "modbus", _plc_protocol,
                "PLC protocol: modbus (Modbus TCP), fins-udp or fins-tcp (Omron FINS on the DM area)."),
    SettingSpec("PLC_HOST", "plc", "host", "127.0.0.1", _host, "PLC address (IP address or host name)."),
    SettingSpec("PLC_PORT", "plc", "port", "", _optional_int_between(1, 65535),
                "PLC port; empty = the protocol's standard port (502 for modbus, 9600 for fins-udp/fins-tcp)."),
    SettingSpec("PLC_UNIT_ID", "plc", "unit_id", "1", _int_between(0, 255), "Modbus unit (device) id."),
    SettingSpec("PLC_POLL_INTERVAL_SECONDS", "plc", "poll_interval_seconds", "2", _positive_float,
                "Seconds between reads of the PLC's READ slots."),
    SettingSpec("PLC_TIMEOUT_SECONDS", "plc", "timeout_seconds", "2", _positive_float,
                "Seconds to wait for one PLC answer (Modbus or FINS)."),
    SettingSpec("PLC_REGISTER_MAP", "plc", "register_map", "", _parse_text,
                "Path of a register map JSON file; empty = the built-in origin-compatible map."),
    SettingSpec("PLC_MAX_KG_PER_SILO", "plc", "max_kg_per_silo", "5000", _positive_float,
                "A reading above this (kg) for one silo is rejected as implausible."),
    SettingSpec("PLC_FINS_NODE", "plc", "fins_node", "", _optional_int_between(1, 254),
                "FINS: the PLC's node (DA1), 1..254; empty = the last number of PLC_HOST's IP address "
                "(192.168.1.2 -> 2), the Omron default."),
    SettingSpec("PLC_FINS_CLIENT_NODE", "plc", "fins_client_node", "", _optional_int_between(1, 254),
                "FINS: our node (SA1), 1..254, unique among everything that talks FINS to this PLC "
                "(old middleware, CX-Programmer). Empty = fins-tcp: the PLC allocates one; fins-udp: the last "
                "number of this PC's IP address on the route to the PLC."),
    SettingSpec("PLC_FINS_NETWORK", "plc", "fins_network", "0", _int_between(0, 127),
                "FINS: network number (DNA/SNA); 0 = the local network (no routing tables)."),
    SettingSpec("PLC_FINS_MAX_READ_WORDS", "plc", "fins_max_read_words", "999", _int_between(1, 999),
                "FINS: words per read request (999 = the whole READ area in one request); lower it "
                "(e.g. 500) if large UDP replies get lost on the plant network."),
    SettingSpec("PLC_FINS_LOCAL_PORT", "plc", "fins_local_port", "0", _int_between(0, 65535),
                "FINS/UDP: our local UDP port; 0 = any free one; 9600 for a PLC set to static address conversion."),
    SettingSpec("MAX_PUSH_ATTEMPTS", "completion", "max_push_attempts", "5", _int_between(1, 1000),
                "Failed pushes of one batch to Odoo before it is flagged ATTENTION."),
    SettingSpec("HAND_ADD_REQUIRED", "completion", "hand_add_required", "false", _parse_bool,
                "true = a DONE batch is not reported to Odoo until every hand-added component is confirmed; "
                "false = it is reported with the confirmed ones only (the others are named in the log)."),
    SettingSpec("STUCK_MINUTES", "health", "stuck_minutes", "15", _positive_float,
                "A batch with no PLC reading for this long is reported as stuck."),
    SettingSpec("DOSING_TOLERANCE_KG", "tolerance", "kg", "2", _non_negative_float,
                "Dosing tolerance per silo in kg; a silo is within when |actual - target| <= max(kg, percent x target)."),
    SettingSpec("DOSING_TOLERANCE_PERCENT", "tolerance", "percent", "2", _non_negative_float,
                "Dosing tolerance per silo in percent of its target (the larger of the two applies)."),
    SettingSpec("API_ENABLED", "api", "enabled", "true", _parse_bool, "Serve the local admin HTTP API."),
    SettingSpec("API_HOST", "api", "host", "127.0.0.1", _host,
                "Address the admin API binds to. A non-loopback address requires API_TOKEN."),
    SettingSpec("API_PORT", "api", "port", "8000", _int_between(1, 65535), "Admin API port."),
    SettingSpec("API_TOKEN", "api", "token", "", _parse_text,
                "The engineer's bearer token; every request needs a token. Empty = generated on first start "
                "and kept in the data folder (shown in the window to an engineer).", secret=True),
    SettingSpec("API_OPERATOR_TOKEN", "api", "operator_token", "", _parse_text,
                "Optional token with the operator role (read, trigger sync, pause/resume auto-sync).", secret=True),
    SettingSpec("API_SUPERVISOR_TOKEN", "api", "supervisor_token", "", _parse_text,
                "Optional token with the supervisor role (+ clear, release, batch actions, silo assignment).",
                secret=True),
    SettingSpec("PLANT_TIMEZONE", "reports", "plant_timezone", "", _plant_timezone,
                "The plant's time zone (IANA name, e.g. Asia/Jakarta) for tickets, reports and trends; "
                "empty = the operating system's zone. The database keeps UTC."),
    SettingSpec("REPORT_SHIFT_STARTS", "reports", "shift_starts", "06:00,14:00,22:00", _shift_starts,
                "Start times of the shifts in plant time (HH:MM, comma-separated); a shift ends when the next begins."),
    SettingSpec("READINGS_RETENTION_DAYS", "reports", "readings_retention_days", "90", _int_between(1, 3650),
                "Days the dosing samples of a batch (batch_readings, for its dosing curve) are kept."),
    SettingSpec("LINE_EQUIPMENT_CODE", "line", "equipment_code", "",
                _parse_text, "This line's equipment code (e.g. PLC01); empty = the whole mo_batch table."),
    SettingSpec("LOG_LEVEL", "logging", "level", "INFO", _log_level, "Console and file log level."),
    SettingSpec("DATA_DIR", "paths", "data_dir", "", _parse_text,
                "Folder for the SQLite database and logs; empty = the machine-wide data directory "
                "(Windows %PROGRAMDATA%\\batch-hmi, Linux /var/lib/batch-hmi)."),
    SettingSpec("UI_DENSITY", "ui", "density", "touch", _ui_density,
                "touch: rows, buttons and tabs at least 40 px high, large silo bars (panel PC); "
                "desktop: compact, for mouse and keyboard."),
    SettingSpec("UI_LANGUAGE", "ui", "language", "en", _choice("en", "id"),
                "Window language when the OS user has not chosen one in View > Language: en (English) or "
                "id (Bahasa Indonesia). Logs, system_log and the API stay English."),
    SettingSpec("UI_AUTO_SIGNOUT_MINUTES", "ui", "auto_signout_minutes", "15", _positive_float,
                "Minutes without touch, mouse or key input after which the signed-in operator is signed out."),
)

_BY_ENV = {spec.env: spec for spec in SPECS}
_BY_INI = {(spec.section, spec.key): spec for spec in SPECS}


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """The effective settings. Attribute names are the lower-cased environment names."""

    enable_auto_sync: bool
    sync_interval_minutes: float
    sync_batch_limit: int
    database_url: str
    database_connect_timeout_seconds: float
    database_statement_timeout_seconds: float
    database_pool_size: int
    odoo_base_url: str
    odoo_db: str
    odoo_username: str
    odoo_password: str = field(repr=False)
    odoo_timeout_seconds: float
    odoo_mark_done: bool
    odoo_api: str
    odoo_api_key: str = field(repr=False)
    odoo_picking_type: str
    odoo_workcenter: str
    odoo_only_ready: bool
    odoo_backorder: str
    plc_enabled: bool
    plc_protocol: str
    plc_host: str
    plc_port: int
    plc_unit_id: int
    plc_poll_interval_seconds: float
    plc_timeout_seconds: float
    plc_register_map: str
    plc_max_kg_per_silo: float
    plc_fins_node: int | None
    plc_fins_client_node: int | None
    plc_fins_network: int
    plc_fins_max_read_words: int
    plc_fins_local_port: int
    max_push_attempts: int
    hand_add_required: bool
    sync_on_empty: bool
    stuck_minutes: float
    dosing_tolerance_kg: float
    dosing_tolerance_percent: float
    api_enabled: bool
    api_host: str
    api_port: int
    api_token: str = field(repr=False)
    plant_timezone: str
    report_shift_starts: str
    readings_retention_days: int
    api_operator_token: str = field(repr=False)
    api_supervisor_token: str = field(repr=False)
    line_equipment_code: str
    log_level: str
    data_dir: str
    ui_density: str
    ui_auto_signout_minutes: float
    ui_language: str
    #: env name -> where the value came from (default / ini / .env / environment)
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    config_path: Path | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        shown = ", ".join(f"{spec.attr}={value}" for spec, value, _ in self.describe())
        return f"Settings({shown})"

    def describe(self) -> list[tuple[SettingSpec, str, str]]:
        """(spec, display value with secrets masked, source) for every setting."""
        rows = []
        for spec in SPECS:
            value = getattr(self, spec.attr)
            if spec.secret:
                display = _MASK if value else "(not set)"
            elif isinstance(value, bool):
                display = "true" if value else "false"
            elif value is None:
                display = "(automatic)"
            elif spec.env == "DATABASE_URL":
                display = mask_url_password(value) if value else f"(SQLite) {self.resolved_database_url}"
            else:
                display = str(value)
            rows.append((spec, display, self.sources.get(spec.env, SOURCE_DEFAULT)))
        return rows

    @property
    def data_path(self) -> Path:
        if self.data_dir:
            return Path(self.data_dir).expanduser()
        return default_data_dir().path

    @property
    def data_dir_warning(self) -> str | None:
        """Why the default data directory is not the machine-wide one (None when it is, or DATA_DIR is set)."""
        return None if self.data_dir else default_data_dir().warning

    @property
    def log_path(self) -> Path:
        return self.data_path / "logs"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_path / 'batch_hmi.db'}"

    @property
    def line_filter(self) -> str | None:
        return self.line_equipment_code or None


@dataclass(frozen=True)
class DataDir:
    path: Path
    #: Set when the machine-wide folder could not be used and the per-user one is used instead.
    warning: str | None = None


def machine_data_dir(platform: str | None = None) -> Path:
    """One folder per machine, shared by every OS user: one SQLite database per PLC line.

    Windows ``%PROGRAMDATA%\\batch-hmi``; elsewhere ``/var/lib/batch-hmi``.
    """
    platform = platform or sys.platform
    if platform.startswith(("win", "cygwin")):
        return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
    return Path("/var/lib") / APP_NAME


def resolve_data_dir(machine: Path, per_user: Path) -> DataDir:
    """``machine`` if this user can create files in it (or create it), else ``per_user`` with a warning.

    Only looks: the folder is created when the database or the log file is first written.
    """
    try:
        if machine.is_dir():
            with tempfile.TemporaryFile(dir=machine):
                pass
        elif machine.exists():
            raise NotADirectoryError(0, "exists but is not a folder")
        else:
            parent = next((p for p in machine.parents if p.exists()), None)
            if parent is None or not parent.is_dir():
                raise NotADirectoryError(0, "not a folder", str(parent))
            if not os.access(parent, os.W_OK | os.X_OK):
                raise PermissionError(0, f"{parent} is not writable, cannot create it")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return DataDir(per_user, (
            f"machine-wide data directory {machine} is not usable ({reason}); using the per-user "
            f"directory {per_user}: another OS user on this PC would get a separate database. "
            f"Create {machine} writable for the operators or set DATA_DIR (docs/packaging.md)"))
    return DataDir(machine)


@functools.lru_cache(maxsize=1)
def default_data_dir() -> DataDir:
    """The data directory used when DATA_DIR is empty (probed once per process)."""
    return resolve_data_dir(machine_data_dir(), Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def _mask_password_in(text: str) -> str:
    """A URL's password masked, also in a value that is not a valid setting (it is echoed in the error)."""
    try:
        return mask_url_password(text) if "://" in text else text
    except ValueError:
        return _MASK


def mask_url_password(url: str) -> str:
    """postgresql://user:secret@host/db -> postgresql://user:********@host/db"""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", f":{_MASK}@", 1)
    return url


# --------------------------------------------------------------------------- loading


def _read_ini(path: Path) -> dict[str, tuple[str, str]]:
    """env name -> (raw value, source) from settings.ini; unknown keys are errors."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#", ";"))
    parser.optionxform = str  # keep key case so the error can quote it as written
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except configparser.Error as exc:
        raise SettingsError(f"settings error: {path} is not a valid ini file: {first_line(exc)}") from None
    except OSError as exc:
        raise SettingsError(f"settings error: cannot read {path}: {exc.strerror}") from None
    values: dict[str, tuple[str, str]] = {}
    for section in parser.sections():
        for key, raw in parser.items(section):
            spec = _BY_INI.get((section.lower(), key.lower()))
            if spec is None:
                raise SettingsError(
                    f"settings error: unknown key [{section}] {key} in {path} "
                    f"(known keys are listed in the default settings.ini)"
                )
            values[spec.env] = (raw, SOURCE_INI)
    return values


def _read_dotenv(path: Path) -> dict[str, tuple[str, str]]:
    """KEY=value lines read by python-dotenv (quotes, ``export``, and an inline `` # comment`` after an
    unquoted value is a comment, as in settings.ini). No variable expansion: a password may hold a ``$``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"settings error: cannot read {path}: {exc.strerror}") from None
    parsed = dotenv_values(stream=io.StringIO(text), interpolate=False)
    # A .env is often shared with other tools (the seed's middleware read the same file),
    # so keys that are not ours are ignored rather than refused.
    return {key: (value or "", SOURCE_DOTENV) for key, value in parsed.items() if key in _BY_ENV}


def bundled_default_config() -> Path | None:
    """The default settings.ini shipped inside a PyInstaller bundle; None when run from a checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return None
    path = Path(bundle) / DEFAULT_CONFIG_NAME
    return path if path.is_file() else None


def user_config_path() -> Path:
    """Per-user settings file (Linux ~/.config/batch-hmi/, Windows %LOCALAPPDATA%\\batch-hmi\\)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / DEFAULT_CONFIG_NAME


def default_config_path(cwd: Path, bundled_default: Path | None, user_config: Path) -> Path:
    """The settings file used when no --config is given.

    ``./settings.ini`` wins when it exists (a checkout, or a plant that keeps its settings in the
    working folder). Otherwise an installed bundle (``bundled_default`` set) uses the per-user
    settings file, created from the bundled default on first start, so settings live outside the
    bundle folder and survive replacing it. A checkout without ./settings.ini keeps the built-in
    defaults. If the per-user copy cannot be written, the built-in defaults apply too.
    """
    local = cwd / DEFAULT_CONFIG_NAME
    if local.is_file() or bundled_default is None:
        return local
    if not user_config.is_file():
        try:
            user_config.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundled_default, user_config)
        except OSError:
            return local
    return user_config


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the effective settings.

    ``config_path`` None means ``./settings.ini`` if it exists, else (in a bundle) the per-user
    settings file, see :func:`default_config_path`; a path given explicitly must exist.
    ``.env`` is read from the folder of the settings file.
    """
    env = os.environ if environ is None else environ
    explicit = config_path is not None
    if explicit:
        path = Path(config_path)
    else:
        path = default_config_path(Path.cwd(), bundled_default_config(), user_config_path())
    if explicit and not path.is_file():
        raise SettingsError(f"settings error: config file {path} does not exist")

    raw: dict[str, tuple[str, str]] = {spec.env: (spec.default, SOURCE_DEFAULT) for spec in SPECS}
    if path.is_file():
        raw.update(_read_ini(path))
    dotenv = path.parent / ".env"
    if dotenv.is_file():
        raw.update(_read_dotenv(dotenv))
    for spec in SPECS:
        if spec.env in env:
            raw[spec.env] = (env[spec.env], SOURCE_ENV)

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in SPECS:
        text, source = raw[spec.env]
        try:
            values[spec.attr] = spec.parse(text)
        except ValueError as exc:
            shown = _MASK if spec.secret else repr(_mask_password_in(text))
            where = _describe_source(source, path, dotenv)
            raise SettingsError(f"settings error: {spec.env}={shown} (from {where}) {exc}") from None
        sources[spec.env] = source

    if values["plc_port"] is None:
        values["plc_port"] = DEFAULT_PLC_PORTS[values["plc_protocol"]]
    settings = Settings(**values, sources=sources, config_path=path if path.is_file() else None)
    _check_combinations(settings)
    return settings


def _describe_source(source: str, ini: Path, dotenv: Path) -> str:
    if source == SOURCE_INI:
        return f"ini {ini}"
    if source == SOURCE_DOTENV:
        return f".env {dotenv}"
    return source


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _check_combinations(settings: Settings) -> None:
    if settings.odoo_api == "json2" and not settings.odoo_api_key:
        source = settings.sources.get("ODOO_API", SOURCE_DEFAULT)
        raise SettingsError(f"settings error: ODOO_API='json2' (from {source}) needs ODOO_API_KEY "
                            "(JSON-2 accepts only API keys)")
    if settings.odoo_api != "grt_scada" and not (settings.odoo_picking_type or settings.odoo_workcenter):
        source = settings.sources.get("ODOO_API", SOURCE_DEFAULT)
        raise SettingsError(f"settings error: ODOO_API={settings.odoo_api!r} (from {source}) needs "
                            "ODOO_PICKING_TYPE or ODOO_WORKCENTER, so only this line's MOs are fetched")
    _check_fins(settings)
    if settings.api_enabled and settings.api_host not in _LOOPBACK and not settings.api_token:
        source = settings.sources.get("API_HOST", SOURCE_DEFAULT)
        raise SettingsError(
            f"settings error: API_HOST={settings.api_host!r} (from {source}) is not a loopback address; "
            f"set API_TOKEN so the admin API is not open to the network"
        )


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(part.isdigit() and 0 <= int(part) <= 255 for part in parts)


def _check_fins(settings: Settings) -> None:
    if not settings.plc_enabled or not settings.plc_protocol.startswith("fins"):
        return
    source = settings.sources.get
    if settings.plc_fins_node is None and settings.plc_protocol == "fins-udp":
        # (FINS/TCP learns the PLC's node in the handshake.)
        if not _is_ipv4(settings.plc_host):
            raise SettingsError(
                f"settings error: PLC_FINS_NODE is empty and PLC_HOST={settings.plc_host!r} "
                f"(from {source('PLC_HOST', SOURCE_DEFAULT)}) is not an IPv4 address; set PLC_FINS_NODE "
                f"to the PLC's FINS node"
            )
        if not 1 <= int(settings.plc_host.split(".")[3]) <= 254:
            raise SettingsError(
                f"settings error: PLC_HOST={settings.plc_host!r} ends in a number that is no FINS node (1..254); "
                f"set PLC_FINS_NODE"
            )
    plc_node = settings.plc_fins_node or (int(settings.plc_host.split(".")[3]) if _is_ipv4(settings.plc_host) else None)
    if settings.plc_fins_client_node is not None and settings.plc_fins_client_node == plc_node \
            and settings.plc_host not in _LOOPBACK:
        raise SettingsError(
            f"settings error: PLC_FINS_CLIENT_NODE={settings.plc_fins_client_node} "
            f"(from {source('PLC_FINS_CLIENT_NODE', SOURCE_DEFAULT)}) is the PLC's own FINS node; "
            f"our node must differ from the PLC's"
        )


def plc_protocol_options(s: Settings) -> dict:
    """The PlcLink options of the configured protocol (Modbus unit id, or the FINS addressing)."""
    if s.plc_protocol == "modbus":
        return {"device_id": s.plc_unit_id}
    return {"fins_node": s.plc_fins_node, "fins_client_node": s.plc_fins_client_node,
            "fins_network": s.plc_fins_network, "fins_max_read_words": s.plc_fins_max_read_words,
            "local_port": s.plc_fins_local_port}
