"""How a fake HTTP server runs: bound on a port (0 = any free one) and served in a daemon thread.

Both fake Odoos subclass ``LoopbackHttpServer`` (hmi.sim.odoo.FakeOdoo, hmi.sim.stock_http.FakeStockOdoo):
it gives them start / stop, the context manager, ``port``, ``base_url``, ``running`` and ``pause`` (the
wait of a delay fault, cut short by stop). Each fake hands in its request handler class; the handler finds
the fake as ``self.server.fake``. Standard library only; nothing here knows Odoo.
"""

from __future__ import annotations

import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

log = logging.getLogger("hmi.sim.odoo")


class FakeHttpServer(ThreadingHTTPServer):
    """The socket server of a fake: one thread per request, none waited for on close."""

    daemon_threads = True
    block_on_close = False  # stop() must not wait for a handler sleeping in a delay fault
    allow_reuse_address = True
    fake: Any  # the LoopbackHttpServer subclass that serves through this server

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("Client %s went away: %s", client_address, exc)  # e.g. a client that timed out first
        else:
            log.exception("Error while handling a request from %s", client_address)


class FakeRequestHandler(BaseHTTPRequestHandler):
    """GET and POST both go to ``_dispatch(method)``; the request line is logged at debug level."""

    server: FakeHttpServer
    sys_version = "Python/3"

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        log.debug("%s %s", self.address_string(), format % args)

    def _dispatch(self, method: str) -> None:
        raise NotImplementedError


class LoopbackHttpServer:
    """The lifecycle of a fake HTTP server. A subclass calls ``__init__`` with its request handler class,
    the name of the serving thread, a title for the log (``"Fake Odoo"``) and what it serves
    (``"db feedmill, 40 MOs"``)."""

    def __init__(self, host: str, port: int, handler: type[FakeRequestHandler], *, thread_name: str, title: str,
                 serves: str = "") -> None:
        self.host = host
        self.requested_port = port
        self._handler = handler
        self._thread_name = thread_name
        self._title = title
        self._serves = serves
        self._stopping = threading.Event()
        self._server: FakeHttpServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Bind and serve in a daemon thread; returns the bound port."""
        if self._server is not None:
            return self.port
        self._stopping.clear()
        server = FakeHttpServer((self.host, self.requested_port), self._handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=self._thread_name, daemon=True,
                                        kwargs={"poll_interval": 0.1})
        self._thread.start()
        log.info("%s listening on %s%s", self._title, self.base_url, f" ({self._serves})" if self._serves else "")
        return self.port

    def stop(self) -> None:
        """Stop serving and close the socket; delayed answers are abandoned."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("%s stopped", self._title)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def pause(self, seconds: float) -> bool:
        """Sleep for a delay fault; True if the server is stopping meanwhile (the answer is then dropped)."""
        return self._stopping.wait(seconds)
