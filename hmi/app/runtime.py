"""Runtime: the object graph of one running Batch HMI (Qt-free).

Built once by the composition root from the effective settings; the scheduler, the
admin API and the window all reach the services through it.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from hmi.api import ApiServer, create_app
from hmi.config import Settings, mask_url_password
from hmi.odoo import AsyncOdooClient
from hmi.plc import PlcLink, load_register_map
from hmi.services.admin import AdminService
from hmi.services.completion import CompletionService
from hmi.services.equipment_failures import EquipmentFailureService
from hmi.services.health import HealthMonitor
from hmi.services.poll import PollService
from hmi.services.sync import SyncService
from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
from hmi.store.equipment_failures import EquipmentFailureStore
from hmi.store.log_writer import SystemLogHandler

log = logging.getLogger("hmi.app")


def plc_protocol_options(s: Settings) -> dict:
    """The PlcLink options of the configured protocol (Modbus unit id, or the FINS addressing)."""
    if s.plc_protocol == "modbus":
        return {"device_id": s.plc_unit_id}
    return {"fins_node": s.plc_fins_node, "fins_client_node": s.plc_fins_client_node,
            "fins_network": s.plc_fins_network, "fins_max_read_words": s.plc_fins_max_read_words,
            "local_port": s.plc_fins_local_port}


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = None
        self.store: BatchStore | None = None
        self.db = DbRunner()
        self.health = HealthMonitor(stuck_minutes=settings.stuck_minutes)
        self.plc: PlcLink | None = None
        self.odoo: AsyncOdooClient | None = None
        self.sync: SyncService | None = None
        self.poll: PollService | None = None
        self.equipment_failures: EquipmentFailureService | None = None
        self.completion: CompletionService | None = None
        self.admin: AdminService | None = None
        self.api: ApiServer | None = None
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
        self._io_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="hmi-io")
        asyncio.get_running_loop().set_default_executor(self._io_pool)
        line = s.line_filter
        url = s.resolved_database_url
        self.engine = create_database_engine(url)
        await self.db(migrate, self.engine)
        self.store = BatchStore(self.engine)
        self._log_handler = SystemLogHandler(self.store)
        logging.getLogger().addHandler(self._log_handler)
        log.info("Database ready: %s", mask_url_password(url))

        self.odoo = AsyncOdooClient(s.odoo_base_url, s.odoo_db, s.odoo_username, s.odoo_password,
                                    timeout=s.odoo_timeout_seconds)
        batch_limit = s.sync_batch_limit
        if s.plc_enabled:
            register_map = load_register_map(s.plc_register_map or None)
            if batch_limit > register_map.slot_count:
                log.warning("SYNC_BATCH_LIMIT=%d but the PLC map has %d slots; fetching %d per sync",
                            batch_limit, register_map.slot_count, register_map.slot_count)
                batch_limit = register_map.slot_count
            self.plc = PlcLink(s.plc_host, s.plc_port, protocol=s.plc_protocol, register_map=register_map,
                               timeout=s.plc_timeout_seconds, **plc_protocol_options(s))
            await self.plc.start()
        else:
            log.info("PLC_ENABLED=false: batches are stored without being written to a PLC")

        table_lock = asyncio.Lock()
        self.sync = SyncService(self.store, self.db, self.odoo, self.plc, self.health, table_lock,
                                batch_limit=batch_limit, line=line)
        if self.plc is not None:
            self.poll = PollService(self.store, self.db, self.plc, self.odoo,
                                    max_kg_per_silo=s.plc_max_kg_per_silo, line=line)
            if self.plc.register_map.failure_area is not None:
                self.equipment_failures = EquipmentFailureService(EquipmentFailureStore(self.engine), self.db,
                                                                  self.plc, self.odoo, line=line)
                self.poll.equipment_failures = self.equipment_failures
        self.completion = CompletionService(self.store, self.db, self.odoo, max_push_attempts=s.max_push_attempts,
                                            mark_done=s.odoo_mark_done, line=line)
        self.admin = AdminService(self.store, self.db, self.sync, self.health, table_lock, self.odoo, self.plc,
                                  line=line)
        if s.api_enabled:
            self.api = ApiServer(create_app(self.admin, self.completion, token=s.api_token), s.api_host, s.api_port)
            await self.api.start()

    async def poll_and_complete(self) -> None:
        """One PLC poll followed by completion of whatever it finished (the poll timer's job)."""
        if self.poll is not None:
            await self.poll.poll()
        if self.completion is not None:
            await self.completion.complete()

    async def stop(self) -> None:
        if self.equipment_failures is not None:
            await self.equipment_failures.stop()
        if self.api is not None:
            await self.api.stop()
            self.api = None
        if self.plc is not None:
            await self.plc.stop()
        if self.odoo is not None:
            await self.odoo.close()
            self.odoo = None
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None
        self.db.shutdown()
        if self._io_pool is not None:
            self._io_pool.shutdown(wait=False, cancel_futures=True)
            self._io_pool = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
