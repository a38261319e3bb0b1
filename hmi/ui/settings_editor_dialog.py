"""The engineer's Settings dialog: connections with Test buttons, operator accounts, the admin API token.

Everything that reads or writes files, talks to Odoo or the PLC, or hashes a PIN runs in a task
(hmi.services.*); the dialog only collects values and shows one line per outcome.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable, Coroutine

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.services.messages import first_line
from hmi.config import PLC_PROTOCOLS, Settings
from hmi.services.access import Role
from hmi.services.connection_check import check_odoo, check_plc
from hmi.services.operators import AccountError
from hmi.services.settings_editor import (
    SECTIONS,
    SavedChange,
    SettingsChangeError,
    env_override,
    save,
    spec_of,
    text_of,
    validate,
)
from hmi.ui.i18n import localized

log = logging.getLogger("hmi.ui")

Spawn = Callable[[Coroutine], asyncio.Task]


class SettingsEditorDialog(QDialog):
    def __init__(self, settings: Settings, spawn: Spawn, parent: QWidget | None = None, *,
                 actor: Callable[[], str] = lambda: "engineer", operators=None, api_tokens=None,
                 on_saved: Callable[[SavedChange], str] | None = None, show_effective=None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsEditor")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self._spawn = spawn
        self._actor = actor
        self._operators = operators
        self._api_tokens = api_tokens
        self._on_saved = on_saved
        self.fields: dict[str, QWidget] = {}
        self.notes: dict[str, QLabel] = {}
        self.test_results: dict[str, QLabel] = {}
        self.test_buttons: dict[str, QPushButton] = {}
        self.tests_running = 0

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_connections(), self.tr("Connections"))
        if operators is not None:
            self.tabs.addTab(self._build_operators(), self.tr("Operators"))
        if api_tokens is not None:
            self.tabs.addTab(self._build_api_token(), self.tr("Admin API token"))

        self.save_result = QLabel(self)
        self.save_result.setObjectName("saveResult")
        self.save_result.setWordWrap(True)
        self.save_result.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self.save)
        self.effective_button = QPushButton(self.tr("All settings in effect…"), self)
        if show_effective is not None:
            self.effective_button.clicked.connect(show_effective)
        else:
            self.effective_button.hide()
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.effective_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.save_result)
        layout.addLayout(buttons)
        self.resize(900, 680)

    # ------------------------------------------------------------------ connections

    def label_of(self, env: str) -> str:
        return {
            "ODOO_BASE_URL": self.tr("Server URL"), "ODOO_DB": self.tr("Database"), "ODOO_USERNAME": self.tr("User"),
            "ODOO_PASSWORD": self.tr("Password"), "ODOO_API_KEY": self.tr("API key"), "ODOO_API": self.tr("Protocol"),
            "PLC_PROTOCOL": self.tr("Protocol"), "PLC_FINS_NODE": self.tr("FINS node"),
            "PLC_HOST": self.tr("Address"), "PLC_PORT": self.tr("Port"), "PLC_UNIT_ID": self.tr("Unit id"),
            "PLC_POLL_INTERVAL_SECONDS": self.tr("Poll interval (s)"),
            "SYNC_INTERVAL_MINUTES": self.tr("Sync interval (min)"), "SYNC_BATCH_LIMIT": self.tr("MOs per sync"),
            "ENABLE_AUTO_SYNC": self.tr("Automatic sync"), "LINE_EQUIPMENT_CODE": self.tr("Line code"),
        }[env]

    def section_title(self, title: str) -> str:
        return {"Odoo": self.tr("Odoo"), "PLC": self.tr("PLC"), "Sync": self.tr("Sync"), "Line": self.tr("Line")}[title]

    def _build_connections(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        for title, keys in SECTIONS:
            group = QGroupBox(self.section_title(title), page)
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for env in keys:
                field = self._field(env, group)
                self.fields[env] = field
                reason = env_override(self.settings, env)
                note = QLabel(group)
                note.setObjectName(f"note_{env}")
                note.setWordWrap(True)
                note.setTextFormat(Qt.TextFormat.PlainText)
                note.setStyleSheet("color: #5a5a5a;")
                if reason:
                    why = self.tr("Read-only: set by the environment variable {env}, which wins over settings.ini "
                                  "and .env; change it there").format(env=env)
                    field.setEnabled(False)
                    field.setToolTip(why)
                    note.setText(why)
                else:
                    field.setToolTip(f"{env}: {spec_of(env).help}")
                    note.hide()
                self.notes[env] = note
                cell = QWidget(group)
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.addWidget(field)
                cell_layout.addWidget(note)
                form.addRow(self.label_of(env), cell)
            if title in ("Odoo", "PLC"):
                button = QPushButton(self.tr("Test"), group)
                button.setObjectName(f"test{title}")
                result = QLabel(group)
                result.setObjectName(f"testResult{title}")
                result.setTextFormat(Qt.TextFormat.PlainText)
                result.setWordWrap(True)
                button.clicked.connect(lambda _checked=False, t=title: self.run_test(t))
                row = QHBoxLayout()
                row.addWidget(button)
                row.addWidget(result, 1)
                form.addRow(row)
                self.test_buttons[title] = button
                self.test_results[title] = result
            column.addWidget(group)
        restart = QLabel(self.tr("Sync interval, MOs per sync, automatic sync and the poll interval apply at once; "
                                 "Odoo, PLC address and line code apply after a restart."), page)
        restart.setWordWrap(True)
        column.addWidget(restart)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _field(self, env: str, parent: QWidget) -> QWidget:
        spec = spec_of(env)
        if env in ("ODOO_API", "PLC_PROTOCOL"):
            combo = QComboBox(parent)
            combo.setObjectName(f"field_{env}")
            combo.addItems(["grt_scada", "jsonrpc", "json2", "auto"] if env == "ODOO_API" else list(PLC_PROTOCOLS))
            combo.setCurrentText(text_of(self.settings, env))
            return combo
        if env == "ENABLE_AUTO_SYNC":
            box = QCheckBox(self.tr("on"), parent)
            box.setChecked(self.settings.enable_auto_sync)
            return box
        edit = QLineEdit(text_of(self.settings, env), parent)
        edit.setObjectName(f"field_{env}")
        if spec.secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            is_set = bool(getattr(self.settings, spec.attr))
            edit.setPlaceholderText(self.tr("unchanged (set)") if is_set else self.tr("not set"))
        return edit

    def values(self) -> dict[str, str]:
        """What the fields say, for the keys that can be edited (empty secret = keep the current one)."""
        values = {}
        for env, field in self.fields.items():
            if not field.isEnabled():
                continue
            if isinstance(field, QComboBox):
                text = field.currentText()
            elif isinstance(field, QCheckBox):
                text = "true" if field.isChecked() else "false"
            else:
                text = field.text().strip()
            if spec_of(env).secret and not text:
                continue
            if not spec_of(env).secret and text == text_of(self.settings, env):
                continue
            values[env] = text
        return values

    def run_test(self, title: str) -> None:
        result = self.test_results[title]
        try:
            candidate = validate(self.settings, self.values())
        except SettingsChangeError as exc:
            result.setText(str(exc))
            return
        self.test_buttons[title].setEnabled(False)
        result.setText(self.tr("Testing…"))
        self.tests_running += 1
        self._spawn(self._test(title, candidate))

    async def _test(self, title: str, candidate: Settings) -> None:
        try:
            check = check_odoo if title == "Odoo" else check_plc
            ok, line = await check(candidate)
        except Exception as exc:  # noqa: BLE001 - one line, whatever it is
            ok, line = False, first_line(exc)
        finally:
            self.tests_running -= 1
        log.info("Connection test %s by %s: %s", title, self._actor(), line, extra={"actor": self._actor()})
        self.test_results[title].setText(localized(line))
        self.test_results[title].setProperty("ok", ok)
        self.test_buttons[title].setEnabled(True)

    def save(self) -> None:
        changes = self.values()
        if not changes:
            self.save_result.setText(self.tr("Nothing changed."))
            return
        self.save_button.setEnabled(False)
        self._spawn(self._save(changes))

    async def _save(self, changes: dict[str, str]) -> None:
        try:
            saved = await asyncio.to_thread(save, self.settings, changes)
        except SettingsChangeError as exc:
            self.save_result.setText(self.tr("Not saved: {error}").format(error=str(exc)))
            log.warning("Settings not saved (%s): %s", self._actor(), exc, extra={"actor": self._actor()})
            return
        except OSError as exc:
            self.save_result.setText(self.tr("Not saved: {error}").format(error=exc.strerror or str(exc)))
            return
        finally:
            self.save_button.setEnabled(True)
        log.warning("Settings changed by %s: %s (written to %s%s)", self._actor(), ", ".join(saved.changed),
                    saved.ini_path, f" and {saved.dotenv_path}" if saved.dotenv_path else "",
                    extra={"actor": self._actor()})
        self.settings = saved.settings
        for env in saved.changed:
            field = self.fields.get(env)
            if isinstance(field, QLineEdit) and spec_of(env).secret:
                field.clear()
                field.setPlaceholderText(self.tr("unchanged (set)"))
        now = ", ".join(saved.applied_now)
        later = ", ".join(saved.need_restart)
        parts = [self.tr("Saved.")]
        if now:
            parts.append(self.tr("Applied now: {keys}.").format(keys=now))
        if later:
            parts.append(self.tr("Needs a restart: {keys}.").format(keys=later))
        if self._on_saved is not None:
            self._on_saved(saved)
        self.save_result.setText(" ".join(parts))

    # ------------------------------------------------------------------ operators

    def _build_operators(self) -> QWidget:
        page = QWidget(self)
        self.operator_list = QListWidget(page)
        self.operator_list.setObjectName("operatorList")
        self.new_name = QLineEdit(page)
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_role = QComboBox(page)
        for role in Role:
            self.new_role.addItem(self.role_name(role), role)
        self.new_pin = QLineEdit(page)
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setPlaceholderText(self.tr("PIN (at least 4 digits)"))
        self.new_repeat = QLineEdit(page)
        self.new_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_repeat.setPlaceholderText(self.tr("PIN again"))
        add = QPushButton(self.tr("Add account"), page)
        add.clicked.connect(self.add_operator)
        self.toggle_button = QPushButton(self.tr("Disable / enable the selected account"), page)
        self.toggle_button.clicked.connect(self.toggle_operator)
        self.operator_result = QLabel(page)
        self.operator_result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.new_name)
        form.addRow(self.tr("Role"), self.new_role)
        form.addRow(self.tr("PIN"), self.new_pin)
        form.addRow(self.tr("PIN again"), self.new_repeat)
        form.addRow(add)
        layout = QVBoxLayout(page)
        layout.addWidget(self.operator_list, 1)
        layout.addWidget(self.toggle_button)
        layout.addLayout(form)
        layout.addWidget(self.operator_result)
        self._spawn(self._reload_operators())
        return page

    def role_name(self, role: Role) -> str:
        return {Role.OPERATOR: self.tr("Operator"), Role.SUPERVISOR: self.tr("Supervisor"),
                Role.ENGINEER: self.tr("Engineer")}[role]

    async def _reload_operators(self) -> None:
        accounts = await self._operators.list()
        self.operator_list.clear()
        self._accounts = accounts
        for account in accounts:
            state = self.tr("active") if account.active else self.tr("disabled")
            self.operator_list.addItem(f"{account.name} — {self.role_name(account.role)} — {state}")

    def add_operator(self) -> None:
        if self.new_pin.text() != self.new_repeat.text():
            self.operator_result.setText(self.tr("The two PINs differ."))
            return
        self._spawn(self._add(self.new_name.text(), self.new_role.currentData(), self.new_pin.text()))

    async def _add(self, name: str, role: Role, pin: str) -> None:
        try:
            account = await self._operators.add(name, role, pin, self._actor())
        except AccountError as exc:
            self.operator_result.setText(str(exc))
            return
        self.new_name.clear()
        self.new_pin.clear()
        self.new_repeat.clear()
        self.operator_result.setText(self.tr("Account {name} created.").format(name=account.name))
        await self._reload_operators()

    def toggle_operator(self) -> None:
        row = self.operator_list.currentRow()
        if row < 0:
            return
        account = self._accounts[row]
        if account.name == self._actor():
            self.operator_result.setText(self.tr("You cannot disable your own account."))
            return
        self._spawn(self._toggle(account.name, not account.active))

    async def _toggle(self, name: str, active: bool) -> None:
        await self._operators.set_active(name, active, self._actor())
        await self._reload_operators()

    # ------------------------------------------------------------------ admin API token

    def _build_api_token(self) -> QWidget:
        page = QWidget(self)
        self.token_field = QLineEdit(page)
        self.token_field.setObjectName("apiToken")
        self.token_field.setReadOnly(True)
        self.token_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_field.setText(self._api_tokens.engineer.secret)
        show = QPushButton(self.tr("Show"), page)
        show.setCheckable(True)
        show.toggled.connect(lambda on: self.token_field.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.regenerate_button = QPushButton(self.tr("Regenerate"), page)
        self.regenerate_button.setEnabled(self._api_tokens.regenerable)
        self.regenerate_button.clicked.connect(self.regenerate_token)
        where = (self.tr("Generated; kept in {path} (readable only by this OS user).").format(
            path=self._api_tokens.token_file) if self._api_tokens.regenerable
            else self.tr("Set by API_TOKEN; change it where it is set."))
        text = QLabel(self.tr("The engineer's token for the admin API (header Authorization: Bearer <token>). ")
                      + where, page)
        text.setWordWrap(True)
        self.token_result = QLabel(page)
        row = QHBoxLayout()
        row.addWidget(self.token_field, 1)
        row.addWidget(show)
        row.addWidget(self.regenerate_button)
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.token_result)
        layout.addStretch(1)
        return page

    def regenerate_token(self) -> None:
        self._spawn(self._regenerate())

    async def _regenerate(self) -> None:
        try:
            secret = await asyncio.to_thread(self._api_tokens.regenerate, self._actor())
        except Exception as exc:  # noqa: BLE001
            self.token_result.setText(str(exc))
            return
        self.token_field.setText(secret)
        self.token_result.setText(self.tr("New token in effect; the old one no longer works."))

