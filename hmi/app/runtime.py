"""Runtime: the object graph of one running Batch HMI (Qt-free).

Built once by the composition root from the effective settings; the scheduler, the
admin API and the window all reach the services through it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from hmi.config import Settings, mask_url_password, plc_protocol_options
from hmi.odoo import AsyncOdooClient
from hmi.odoo.factory import build_odoo_client
from hmi.plc import PlcLink, load_register_map
from hmi.services.admin import AdminService
from hmi.services.alarms import AlarmService
from hmi.services.completion import CompletionService
from hmi.services.hand_add import HandAddService
from hmi.services.equipment_failures import EquipmentFailureService
from hmi.services.health import HealthMonitor
from hmi.services.operators import OperatorService
from hmi.services.ownership import LineOwnership
from hmi.services.poll import PollService
from hmi.clock import PlantClock
from hmi.services.readings import ReadingRecorder
from hmi.services.reports import ReportService
from hmi.services.silo_assignment import SiloAssignmentService
from hmi.services.sync import SyncService
from hmi.services.tolerance import Tolerance, ToleranceService
from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
from hmi.store.database import interrupt_statements, warn_if_not_durable
from hmi.store.equipment_failures import EquipmentFailureStore
from hmi.store.instance_lock import LineInstanceLock
from hmi.store.log_records import LogRecordStore
from hmi.store.log_writer import SystemLogHandler
from hmi.store.alarms import AlarmStore
from hmi.store.readings import ReadingsStore
from hmi.store.operators import OperatorStore
from hmi.store.silo_assignment import SiloAssignmentStore
from hmi.store.tolerances import SiloToleranceStore
from hmi.store.hand_add import HandAddStore

if TYPE_CHECKING:
    from hmi.api import ApiServer
    from hmi.api.tokens import ApiTokens

log = logging.getLogger("hmi.app")

#: Caps of the stop steps (each also limited by what is left of the budget).
API_STOP_GRACE_SECONDS = 0.5
ODOO_CLOSE_GRACE_SECONDS = 0.3
DB_CALLS_GRACE_SECONDS = 1.0
DB_INTERRUPT_GRACE_SECONDS = 0.3
LOG_FLUSH_GRACE_SECONDS = 0.5


class _IoPool(ThreadPoolExecutor):
    """The loop's default executor (Odoo requests). Closing the loop never waits for its threads:
    an Odoo request without an answer must not hold the stop (hmi.app.process_exit ends them)."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=cancel_futures)


class StopBudget:
    """Seconds left until a stop must be done; each step takes at most its cap of what is left."""

    def __init__(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds

    def left(self, cap: float) -> float:
        return max(0.0, min(cap, self._deadline - time.monotonic()))


class Runtime:
    def __init__(self, settings: Settings, claim_line: bool = True) -> None:
        """``claim_line``: refuse to start while another instance serves the same line on the same
        database (hmi.store.instance_lock). Only tests of what the database itself guarantees when
        two instances run anyway turn it off."""
        self.settings = settings
        self.claim_line = claim_line
        self.line_lock: LineInstanceLock | None = None
        #: Whether this instance may automate its line now (the fenced line lock; see hmi.services.ownership).
        self.ownership: LineOwnership | None = None
        self.engine = None
        self.store: BatchStore | None = None
        #: system_log's plain writes and newest-first reads (the log handler writes through it).
        self.log_records: LogRecordStore | None = None
        self.db = DbRunner()
        self.health = HealthMonitor(stuck_minutes=settings.stuck_minutes)
        self.plc: PlcLink | None = None
        self.odoo: AsyncOdooClient | None = None
        self.sync: SyncService | None = None
        self.poll: PollService | None = None
        self.equipment_failures: EquipmentFailureService | None = None
        self.readings: ReadingsStore | None = None
        self.recorder: ReadingRecorder | None = None
        self.reports: ReportService | None = None
        self.completion: CompletionService | None = None
        self.admin: AdminService | None = None
        self.silo_assignment: SiloAssignmentService | None = None
        self.alarms: AlarmService | None = None
        self.tolerance: ToleranceService | None = None
        self.hand_add: HandAddService | None = None
        self.api: ApiServer | None = None
        self.api_tokens: ApiTokens | None = None
        self.operators: OperatorService | None = None
        self._log_handler: SystemLogHandler | None = None
        self._io_pool: ThreadPoolExecutor | None = None

    async def start(self) -> None:
        """Open the database (migrating it), connect the PLC link, serve the API.

        If any step fails, what was started is stopped again before the error propagates.
        """
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        s = self.settings
        # Blocking Odoo requests (asyncio.to_thread) run in plain Python threads owned here, not in
        # qasync's QThread pool: QThreads still alive at interpreter exit abort the process.
        self._io_pool = _IoPool(max_workers=4, thread_name_prefix="hmi-io")
        asyncio.get_running_loop().set_default_executor(self._io_pool)
        line = s.line_filter
        url = s.resolved_database_url
        self.engine = create_database_engine(url, connect_timeout=s.database_connect_timeout_seconds,
                                             statement_timeout=s.database_statement_timeout_seconds,
                                             pool_size=s.database_pool_size)
        await self.db(migrate, self.engine)
        fence = None
        if self.claim_line:
            line_lock = LineInstanceLock(self.engine, line)
            fence = await self.db(line_lock.acquire)
            self.line_lock = line_lock
        self.store = BatchStore(self.engine, fence)
        self.log_records = LogRecordStore(self.engine)
        self._log_handler = SystemLogHandler(self.log_records, line=s.line_equipment_code)
        logging.getLogger().addHandler(self._log_handler)
        log.info("Database ready: %s", mask_url_password(url))
        await self.db(warn_if_not_durable, self.engine)  # one WARNING (also in system_log) if commits may not survive a crash

        silo_store = SiloAssignmentStore(self.engine, line=s.line_equipment_code)
        # ODOO_API picks the protocol; stock Odoo reads the silo assignment from the store on each fetch/push.
        self.odoo = build_odoo_client(s, silo_store.load)
        self.silo_assignment = SiloAssignmentService(silo_store, self.db, self.odoo)
        batch_limit = s.sync_batch_limit
        if s.plc_enabled:
            register_map = load_register_map(s.plc_register_map or None)
            if batch_limit > register_map.slot_count:
                log.warning("SYNC_BATCH_LIMIT=%d but the PLC map has %d slots; fetching %d per sync",
                            batch_limit, register_map.slot_count, register_map.slot_count)
                batch_limit = register_map.slot_count
            self.plc = PlcLink(s.plc_host, s.plc_port, protocol=s.plc_protocol, register_map=register_map,
                               timeout=s.plc_timeout_seconds, **plc_protocol_options(s))
            await self.plc.connection.start()
        else:
            log.info("PLC_ENABLED=false: batches are stored without being written to a PLC")

        self.health.watch_links(self.plc, self.odoo, s.plc_poll_interval_seconds)
        self.alarms = AlarmService(AlarmStore(self.engine), self.db, line=line)
        self.ownership = LineOwnership(fence, self.alarms)
        self.tolerance = ToleranceService(SiloToleranceStore(self.engine, line=s.line_equipment_code), self.db,
                                          Tolerance(s.dosing_tolerance_kg, s.dosing_tolerance_percent))
        table_lock = asyncio.Lock()
        self.sync = SyncService(self.store, self.db, self.odoo, self.plc, self.health, table_lock,
                                batch_limit=batch_limit, line=line, alarms=self.alarms, ownership=self.ownership,
                                max_kg_per_silo=s.plc_max_kg_per_silo)
        self.readings = ReadingsStore(self.engine)
        self.recorder = ReadingRecorder(self.readings, self.db, retention_days=s.readings_retention_days,
                                        max_kg_per_silo=s.plc_max_kg_per_silo)
        self.reports = ReportService(self.engine, self.db, PlantClock.from_settings(s), line=line)
        self.hand_add = HandAddService(HandAddStore(self.engine), self.db)
        if self.plc is not None:
            self.poll = PollService(self.store, self.db, self.plc,
                                    max_kg_per_silo=s.plc_max_kg_per_silo, line=line, alarms=self.alarms,
                                    health=self.health, recorder=self.recorder, hand_add=self.hand_add,
                                    ownership=self.ownership)
            self.poll.withdraw_orphaned_recipes = self.sync.withdraw_orphaned_recipes
            if self.plc.has_failure_area:
                self.equipment_failures = EquipmentFailureService(EquipmentFailureStore(self.engine), self.db,
                                                                  self.plc, self.odoo, line=line,
                                                                  clock=PlantClock.from_settings(s))
                self.poll.equipment_failures = self.equipment_failures
        self.completion = CompletionService(self.store, self.db, self.odoo, max_push_attempts=s.max_push_attempts,
                                            mark_done=s.odoo_mark_done, line=line, alarms=self.alarms,
                                            tolerance=self.tolerance, hand_add_required=s.hand_add_required,
                                            ownership=self.ownership)
        self.admin = AdminService(self.store, self.db, self.sync, self.health, table_lock, self.odoo, self.plc,
                                  line=line, alarms=self.alarms)
        self.admin.hand_add = self.hand_add
        self.admin.system_log_stats = self.system_log_stats
        await self.admin.review_alarms()
        self.operators = OperatorService(OperatorStore(self.engine), self.db)
        if s.api_enabled:
            from hmi.api import ApiServer, create_app  # FastAPI and uvicorn only when the API runs
            from hmi.api.tokens import ApiTokens

            self.api_tokens = await asyncio.to_thread(ApiTokens.from_settings, s)
            self.api = ApiServer(create_app(self.admin, self.api_tokens, host=s.api_host,
                                            silo_assignment=self.silo_assignment, alarms=self.alarms,
                                            tolerance=self.tolerance, reports=self.reports),
                                 s.api_host, s.api_port)
            await self.api.start()

    def system_log_stats(self) -> dict[str, int] | None:
        """What the audit trail (system_log) lost and holds back; None before start / after stop.

        For health: ``dropped`` > 0 means records exist only in the file log.
        """
        return self._log_handler.stats() if self._log_handler is not None else None

    async def line_heartbeat(self) -> None:
        """Refresh this instance's row in line_instances (the scheduler calls it every half minute).

        A lost line lock stops automation at once (the fence refuses every write, the ownership
        alarm goes up); the lock is then taken again with a new epoch as soon as nobody else
        holds the line, and automation resumes only after the PLC was asked what it holds."""
        if self.line_lock is not None:
            await self._keep_the_line()
        if self.recorder is not None:
            # Old dosing samples go in small steps, at most once an hour, never during a poll.
            await self.recorder.prune_if_due()

    async def _keep_the_line(self) -> None:
        lock, ownership = self.line_lock, self.ownership
        if lock.held and await self.db(lock.heartbeat):
            return
        if ownership is not None and lock.fence is not None and lock.fence.lost:
            await ownership.report(lock.fence.lost)
        if not await self.db(lock.reacquire):
            return  # another instance serves the line: stay stopped, the alarm says why
        if ownership is None or self.sync is None:
            return
        ownership.reconciling = True
        if await self.sync.reconcile():
            await ownership.resumed()

    async def poll_and_complete(self) -> None:
        """One PLC poll followed by one completion round and the equipment-failure reports (tests and
        benchmarks step the cycle with it; the scheduler runs poll and completion on separate timers so
        that Odoo never delays a PLC reading)."""
        if self.poll is not None:
            await self.poll.poll()
        if self.completion is not None:
            await self.completion.complete()
        if self.equipment_failures is not None:
            await self.equipment_failures.report_outstanding()

    async def stop(self, budget: StopBudget | None = None) -> None:
        """Stop everything within ``budget`` (default: the caps of the steps), never blocking the loop.

        A database call still running when its grace ends gets its statement cancelled and is
        then abandoned (hmi.store.runner); an Odoo request still waiting for its answer is
        abandoned too. Neither can hold the process: see hmi.app.process_exit.
        """
        budget = budget or StopBudget(API_STOP_GRACE_SECONDS + ODOO_CLOSE_GRACE_SECONDS + DB_CALLS_GRACE_SECONDS
                                      + DB_INTERRUPT_GRACE_SECONDS + LOG_FLUSH_GRACE_SECONDS)
        if self.api is not None:
            await self.api.stop(grace=budget.left(API_STOP_GRACE_SECONDS))
            self.api = None
        if self.plc is not None:
            await self.plc.connection.stop()
        if self.odoo is not None:
            try:
                await asyncio.wait_for(self.odoo.close(), budget.left(ODOO_CLOSE_GRACE_SECONDS) or 0.01)
            except asyncio.TimeoutError:
                log.warning("Stopping: Odoo requests still waiting for an answer are abandoned")
            self.odoo = None
        engine = self.engine
        await self.db.stop(grace=budget.left(DB_CALLS_GRACE_SECONDS),
                           interrupt=(lambda: interrupt_statements(engine)) if engine is not None else None,
                           interrupt_grace=budget.left(DB_INTERRUPT_GRACE_SECONDS))
        if self.line_lock is not None:
            self.line_lock.release()
            self.line_lock = None
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            handler, self._log_handler = self._log_handler, None
            # The last records are written in the handler's own thread while the loop waits for it.
            handler.request_stop()
            deadline = time.monotonic() + budget.left(LOG_FLUSH_GRACE_SECONDS)
            while not handler.stopped and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if not handler.stopped:
                log.warning("Stopping: %d record(s) not yet written to system_log; they are in this log only",
                            handler.stats()["waiting"])
            handler.close(timeout=0)
        if self._io_pool is not None:
            self._io_pool.shutdown(wait=False, cancel_futures=True)
            self._io_pool = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
