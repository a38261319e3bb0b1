"""Runtime: the object graph of one running Batch HMI (Qt-free).

Built once by the composition root from the effective settings; the scheduler, the
admin API and the window all reach the services through it.
"""

from __future__ import annotations

import logging

from hmi.config import Settings, mask_url_password
from hmi.store import BatchStore, DbRunner, create_database_engine, migrate
from hmi.store.log_writer import SystemLogHandler

log = logging.getLogger("hmi.app")


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = None
        self.store: BatchStore | None = None
        self.db = DbRunner()
        self._log_handler: SystemLogHandler | None = None

    async def start(self) -> None:
        url = self.settings.resolved_database_url
        self.engine = create_database_engine(url)
        await self.db(migrate, self.engine)
        self.store = BatchStore(self.engine)
        self._log_handler = SystemLogHandler(self.store)
        logging.getLogger().addHandler(self._log_handler)
        log.info("Database ready: %s", mask_url_password(url))

    async def stop(self) -> None:
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None
        self.db.shutdown()
        if self.engine is not None:
            self.engine.dispose()
