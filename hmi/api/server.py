"""Runs the API's uvicorn server as a task on the application's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

import uvicorn
from fastapi import FastAPI

from hmi.api.errors import ApiStartError

log = logging.getLogger("hmi.api")



class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        # The application owns SIGINT/SIGTERM and stops the server itself.
        yield


class ApiServer:
    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        self.host = host
        self.port = port
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", loop="none")
        self._server = _EmbeddedServer(config)
        self._task: asyncio.Task | None = None
        self._socket: socket.socket | None = None

    async def start(self) -> None:
        # Bind here so "address in use" is our clear error, not uvicorn's sys.exit inside a task.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise ApiStartError(f"admin API cannot listen on {self.host}:{self.port}: {exc.strerror}") from None
        sock.listen(64)
        sock.setblocking(False)
        self._socket = sock
        self.port = sock.getsockname()[1]
        self._task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[sock]), name="admin-api")
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():
            raise ApiStartError(f"admin API stopped at start: {self._task.exception()!r}")
        log.info("Admin API listening on http://%s:%d", self.host, self.port)

    async def stop(self, grace: float = 3.0) -> None:
        """Stop serving; requests still running after ``grace`` seconds are cancelled."""
        if self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout=max(grace, 0.01))
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - shutting down anyway
            self._task.cancel()
        self._task = None
        if self._socket is not None:
            self._socket.close()
