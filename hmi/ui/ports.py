"""What the operator window may use, typed: the port the composition root (hmi.app.gui) fills.

The window never sees the Runtime: it gets the services and callables below, so ``hmi.ui`` has no
import of ``hmi.app`` and no probing of a runtime's attributes. A service the deployment has not
got (no alarms, no reports, no PLC failures) is None here and the window leaves its part out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Coroutine, Protocol

from hmi.services.health import OdooHealth, PlcHealth, SyncRecord

if TYPE_CHECKING:
    from hmi.config import Settings
    from hmi.services.admin import AdminService
    from hmi.services.alarms import AlarmService
    from hmi.services.equipment_failures import EquipmentFailureService
    from hmi.services.operators import OperatorService
    from hmi.services.reports import ReportService
    from hmi.services.settings_editor import SavedChange
    from hmi.services.silo_assignment import SiloAssignmentService
    from hmi.services.tolerance import ToleranceService


@dataclass(frozen=True)
class HealthSnapshot:
    """The service layer's one judgement of the links at one moment, as the window shows it."""

    plc: PlcHealth
    odoo: OdooHealth
    #: The sync alert after repeated failures (an OperatorText or None).
    alert: object | None = None
    last_sync: SyncRecord | None = None


class SchedulerPort(Protocol):
    """The work timers the window listens to and drives (hmi.app.scheduler.Scheduler)."""

    poll_finished: Any
    completion_finished: Any
    sync_finished: Any
    auto_sync_changed: Any

    @property
    def auto_sync_enabled(self) -> bool: ...

    def set_auto_sync_enabled(self, enabled: bool, actor: str) -> None: ...

    def next_sync_in_seconds(self) -> float | None: ...

    def spawn(self, coroutine: Coroutine) -> Any: ...

    async def run_sync(self, trigger: str) -> Any: ...


@dataclass(frozen=True)
class WindowPort:
    """Everything the operator window reads and calls."""

    #: The batch table's rows, read fresh (AdminService.list_batches).
    batches: Callable[[], Awaitable[list]]
    #: The batch actions: held MOs and release, Clear, retry/cancel/archive, hand-add, history, audit.
    actions: AdminService
    #: The links' health now (``health(now)``).
    health: Callable[[datetime], HealthSnapshot]
    #: A sync is running now (the timer's, the API's or the button's).
    sync_running: Callable[[], bool]
    #: The settings in effect now (they change when the Settings dialog saves).
    settings: Callable[[], Settings]
    #: Take over saved settings without a restart: ``apply_settings(saved, actor)``.
    apply_settings: Callable[[SavedChange, str], None]
    #: Accounts and PINs (sign-in, approval, first engineer); None without a database.
    operators: OperatorService | None = None
    alarms: AlarmService | None = None
    reports: ReportService | None = None
    equipment_failures: EquipmentFailureService | None = None
    tolerance: ToleranceService | None = None
    silo_assignment: SiloAssignmentService | None = None
    api_tokens: object | None = None
    #: A batch's recorded readings for its dosing curve: ``await dosing_samples(mo_id, batch_no, since)``.
    dosing_samples: Callable[[str, int, datetime | None], Awaitable[list]] | None = None
