"""Who is signed in at this window, and the automatic sign-out after a quiet spell.

The session only remembers the operator the service accepted; the PIN check, the lockout and
the log records live in hmi.services.operators. Any touch, click, wheel or key anywhere in
the application restarts the idle timer; after ``idle_minutes`` without input the operator
is signed out and the window falls back to view only (the process stays visible).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from hmi.services.access import Role, can
from hmi.services.operators import Operator, OperatorService

_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                 QEvent.Type.Wheel, QEvent.Type.TouchUpdate}


class OperatorSession(QObject):
    #: The operator signed in (an Operator) or out (None).
    changed = Signal(object)

    def __init__(self, service: OperatorService | None, idle_minutes: float = 15.0, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.operator: Operator | None = None
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(1, int(idle_minutes * 60_000)))
        self._idle.timeout.connect(self._on_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def role(self) -> Role | None:
        return self.operator.role if self.operator is not None else None

    @property
    def name(self) -> str:
        return self.operator.name if self.operator is not None else "nobody"

    def can(self, action: str) -> bool:
        return can(self.role, action)

    async def sign_in(self, name: str, pin: str) -> Operator:
        """Check the PIN through the service (raises SignInRefused) and make the operator current."""
        operator = await self.service.sign_in(name, pin)
        self._set(operator)
        return operator

    def sign_out(self, why: str = "") -> None:
        if self.operator is None:
            return
        operator, self.operator = self.operator, None
        self._idle.stop()
        if self.service is not None:
            self.service.signed_out(operator, why)
        self.changed.emit(None)

    def _set(self, operator: Operator) -> None:
        previous = self.operator
        if previous is not None and previous.name != operator.name and self.service is not None:
            self.service.signed_out(previous, f"{operator.name} signed in")
        self.operator = operator
        self._idle.start()
        self.changed.emit(operator)

    def _on_idle(self) -> None:
        minutes = self._idle.interval() / 60_000
        self.sign_out(f"automatic, no input for {minutes:g} min")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.operator is not None and event.type() in _INPUT_EVENTS:
            self._idle.start()
        return False

    def detach(self) -> None:
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
