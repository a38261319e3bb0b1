"""The window's own dialogs: sign-in and the first engineer, Settings (and the settings in effect),
Silos and About.

Handed the port, the session and a way to check a role; each dialog opens window-modal without a
nested event loop and is kept as an attribute (tests and screenshots find it there).
"""

from __future__ import annotations

from typing import Callable, Coroutine

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from hmi.services.access import Action, Role
from hmi.ui import dialogs
from hmi.ui.ports import WindowPort
from hmi.ui.session import OperatorSession
from hmi.ui.signin_dialog import FirstEngineerDialog, SignInDialog

translate = QCoreApplication.translate


class WindowDialogs(QObject):
    def __init__(self, parent: QWidget, port: WindowPort, session: OperatorSession, *,
                 spawn: Callable[[Coroutine], object], allowed: Callable[[str], bool]) -> None:
        super().__init__(parent)
        self.window = parent  # the dialogs' parent only
        self.port = port
        self.session = session
        self._spawn = spawn
        self._allowed = allowed
        self.sign_in_dialog = self.first_engineer_dialog = None
        self.settings_dialog = self.effective_settings_dialog = self.silos_dialog = self.about_box = None

    def _actor(self) -> str:
        return self.session.name

    def dialogs(self) -> list:
        """The dialogs that need a role (closed when the operator signs out)."""
        return [self.settings_dialog, self.silos_dialog]

    # ------------------------------------------------------------------ sign-in

    def sign_in_or_out(self) -> None:
        if self.session.operator is not None:
            self.session.sign_out()
            return
        self._spawn(self._open_sign_in())

    async def _open_sign_in(self) -> None:
        names = [op.name for op in await self.session.service.list() if op.active]
        dialog = SignInDialog(names, self.session.sign_in, self._spawn, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.sign_in_dialog = dialog

    async def check_first_start(self) -> None:
        """No active engineer yet: ask for the first one (the window stays view only until then)."""
        service = self.session.service
        if service is None or not await service.needs_first_engineer():
            return

        async def create(name: str, pin: str):
            await service.add(name, Role.ENGINEER, pin, "first start")
            return await self.session.sign_in(name, pin)

        dialog = FirstEngineerDialog(create, self._spawn, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.first_engineer_dialog = dialog

    # ------------------------------------------------------------------ settings, silos, about

    def show_settings(self) -> None:
        if not self._allowed(Action.EDIT_SETTINGS):
            return
        from hmi.ui.settings_editor_dialog import SettingsEditorDialog

        dialog = SettingsEditorDialog(
            self.port.settings(), self._spawn, self.window, actor=self._actor, operators=self.session.service,
            api_tokens=self.port.api_tokens,
            on_saved=lambda saved: self.port.apply_settings(saved, self._actor()),
            show_effective=self.show_effective_settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.settings_dialog = dialog

    def show_effective_settings(self) -> None:
        """Every setting in effect and where it came from (read-only)."""
        dialog = dialogs.SettingsDialog(self.port.settings(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.effective_settings_dialog = dialog

    def show_silos(self) -> None:
        from hmi.ui.silos_dialog import SilosDialog

        if self.port.silo_assignment is None or not self._allowed(Action.EDIT_SILO_ASSIGNMENT):
            return
        dialog = SilosDialog(self.port.silo_assignment, self._spawn, self._actor, self.window,
                             tolerance=self.port.tolerance)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.silos_dialog = dialog

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "About Batch HMI"),
                          dialogs.about_text(), QMessageBox.StandardButton.Close, self.window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.about_box = box
