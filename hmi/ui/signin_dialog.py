"""Sign-in, approval and first-engineer dialogs, made for a touch panel without a keyboard.

Names are big buttons in a list; the PIN is typed on an on-screen numeric keypad (a hardware
keyboard works too). Every target is at least 48 px. The PIN check runs in a task (scrypt off
the GUI thread, see hmi.services.operators); the dialog says in one line why it refused.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Coroutine

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.services.operators import AccountError, SignInRefused

KEY_SIZE = 64
ROW_HEIGHT = 52


class Keypad(QWidget):
    """Digits 0-9, Clear and Backspace; types into whichever PIN field ``target()`` returns."""

    def __init__(self, target: Callable[[], QLineEdit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinKeypad")
        self._target = target
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        for position, key in enumerate(keys):
            text = {"clear": self.tr("Clear"), "back": "⌫"}.get(key, key)
            button = QPushButton(text, self)
            button.setObjectName(f"key_{key}")
            button.setMinimumSize(KEY_SIZE + 16, KEY_SIZE)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the focus
            button.setStyleSheet("font-size: 16pt;")
            if key == "back":
                button.setAccessibleName(self.tr("Delete the last digit"))
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, position // 3, position % 3)
            self.buttons[key] = button

    def press(self, key: str) -> None:
        field = self._target()
        if key == "clear":
            field.clear()
        elif key == "back":
            field.backspace()
        else:
            field.insert(key)


def _pin_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumHeight(ROW_HEIGHT)
    field.setStyleSheet("font-size: 18pt;")
    field.setMaxLength(64)
    return field


def refusal_text(exc: SignInRefused) -> str:
    """Why the PIN was refused, in the window's language (the log keeps the English line)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("SignInDialog", text)

    values = exc.values
    if exc.reason == "unknown":
        return tr(QT_TRANSLATE_NOOP("SignInDialog", "Unknown name or account disabled"))
    if exc.reason == "locked":
        return tr(QT_TRANSLATE_NOOP("SignInDialog", "Account locked after {tries} wrong PINs: try again in "
                                                    "{seconds} s")).format(**values)
    if exc.reason == "now_locked":
        return tr(QT_TRANSLATE_NOOP("SignInDialog", "Wrong PIN. Account locked for {seconds} s after {tries} "
                                                    "wrong PINs")).format(**values)
    if exc.reason == "wrong_pin":
        text = (QT_TRANSLATE_NOOP("SignInDialog", "Wrong PIN: 1 more try before the account is locked for "
                                                  "{seconds} s") if values.get("left") == 1 else
                QT_TRANSLATE_NOOP("SignInDialog", "Wrong PIN: {left} more tries before the account is locked "
                                                  "for {seconds} s"))
        return tr(text).format(**values)
    if exc.reason == "role_too_low":
        return tr(QT_TRANSLATE_NOOP("SignInDialog", "{name} is {role}; a {needed} must approve")).format(**values)
    return str(exc)


class _TaskDialog(QDialog):
    """A dialog whose OK runs a coroutine; errors it expects are shown in one line."""

    def __init__(self, spawn: Callable[[Coroutine], asyncio.Task], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._spawn = spawn
        self._busy = False
        self.message = QLabel(self)
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #a40000; font-weight: bold;")
        self.ok_button = QPushButton(self)
        self.ok_button.setDefault(True)
        self.ok_button.setMinimumHeight(ROW_HEIGHT)
        self.cancel_button = QPushButton(QCoreApplication.translate("SignInDialog", "Cancel"), self)
        self.cancel_button.setMinimumHeight(ROW_HEIGHT)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.result_value: Any = None

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        return row

    def submit(self) -> None:
        if self._busy:
            return
        work = self._work()
        if work is None:
            return
        self._busy = True
        self.ok_button.setEnabled(False)
        self.message.setText(QCoreApplication.translate("SignInDialog", "Checking…"))
        self._spawn(self._run(work))

    def _work(self) -> Awaitable | None:
        raise NotImplementedError

    def _failed(self) -> None:
        """After a refusal (the PIN field is emptied)."""

    async def _run(self, work: Awaitable) -> None:
        try:
            self.result_value = await work
        except SignInRefused as exc:
            self.message.setText(refusal_text(exc))
            self._failed()
        except AccountError as exc:
            self.message.setText(str(exc))
            self._failed()
        else:
            self.message.clear()
            self.accept()
        finally:
            self._busy = False
            self.ok_button.setEnabled(True)


class SignInDialog(_TaskDialog):
    """Pick your name, type your PIN. ``submit(name, pin)`` signs in (or approves) and may refuse."""

    def __init__(self, names: list[str], submit: Callable[[str, str], Awaitable], spawn, parent: QWidget | None = None,
                 *, title: str | None = None, prompt: str | None = None, ok_text: str | None = None) -> None:
        super().__init__(spawn, parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(title or self.tr("Sign in"))
        self._submit = submit
        self.names = QListWidget(self)
        self.names.setObjectName("signInNames")
        self.names.setStyleSheet(f"QListWidget::item {{ min-height: {ROW_HEIGHT}px; font-size: 13pt; }}")
        for name in names:
            QListWidgetItem(name, self.names)
        if names:
            self.names.setCurrentRow(0)
        self.pin = _pin_field(self)
        self.pin.setObjectName("signInPin")
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.returnPressed.connect(self.submit)
        self.keypad = Keypad(lambda: self.pin, self)
        self.ok_button.setText(ok_text or self.tr("Sign in"))

        heading = QLabel(prompt or self.tr("Choose your name and enter your PIN."), self)
        heading.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Name"), self))
        left.addWidget(self.names, 1)
        right = QVBoxLayout()
        right.addWidget(self.pin)
        right.addWidget(self.keypad)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        self.resize(640, 500)
        self.pin.setFocus()

    def selected_name(self) -> str:
        item = self.names.currentItem()
        return item.text() if item is not None else ""

    def _work(self) -> Awaitable | None:
        if not self.selected_name():
            self.message.setText(self.tr("Choose your name first."))
            return None
        if not self.pin.text():
            self.message.setText(self.tr("Enter your PIN on the keypad."))
            return None
        return self._submit(self.selected_name(), self.pin.text())

    def _failed(self) -> None:
        self.pin.clear()
        self.pin.setFocus()


class FirstEngineerDialog(_TaskDialog):
    """First start without any engineer: create one (name, PIN twice), who is then signed in."""

    def __init__(self, create: Callable[[str, str], Awaitable], spawn, parent: QWidget | None = None) -> None:
        super().__init__(spawn, parent)
        self.setObjectName("firstEngineerDialog")
        self.setWindowTitle(self.tr("First start: create the engineer account"))
        self._create = create
        self.name = QLineEdit(self)
        self.name.setObjectName("firstEngineerName")
        self.name.setMinimumHeight(ROW_HEIGHT)
        self.name.setMaxLength(64)
        self.name.setPlaceholderText(self.tr("Name"))
        self.pin = _pin_field(self)
        self.pin.setObjectName("firstEngineerPin")
        self.pin.setPlaceholderText(self.tr("PIN (at least 4 digits)"))
        self.repeat = _pin_field(self)
        self.repeat.setObjectName("firstEngineerRepeat")
        self.repeat.setPlaceholderText(self.tr("PIN again"))
        self._pin_target = self.pin
        self.pin.installEventFilter(self)
        self.repeat.installEventFilter(self)
        self.keypad = Keypad(lambda: self._pin_target, self)
        self.ok_button.setText(self.tr("Create and sign in"))
        text = QLabel(self.tr("No engineer account exists yet. Create the first one: it can add operators and "
                              "supervisors, change the settings and set up the connections. Until someone signs "
                              "in, the window only shows the process."), self)
        text.setWordWrap(True)
        fields = QVBoxLayout()
        fields.addWidget(self.name)
        fields.addWidget(self.pin)
        fields.addWidget(self.repeat)
        fields.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(fields, 1)
        columns.addWidget(self.keypad)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        self.resize(680, 440)
        self.name.setFocus()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == event.Type.FocusIn and watched in (self.pin, self.repeat):
            self._pin_target = watched
        return False

    def _work(self) -> Awaitable | None:
        if not self.name.text().strip():
            self.message.setText(self.tr("Enter a name."))
            return None
        if self.pin.text() != self.repeat.text():
            self.message.setText(self.tr("The two PINs differ."))
            self._failed()
            return None
        return self._create(self.name.text().strip(), self.pin.text())

    def _failed(self) -> None:
        self.pin.clear()
        self.repeat.clear()
        self._pin_target = self.pin
