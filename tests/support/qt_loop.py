"""One qasync event loop for the whole test session, over pytest-qt's QApplication.

Tests that need Qt timers, signals and asyncio tasks on one thread (the window, the
scheduler) are plain pytest functions that drive coroutines with ``run(loop, coro)``; they
never use pytest-asyncio's loop.
"""

from __future__ import annotations

import asyncio

import pytest
import qasync

from tests.support.live import wait_for


class ReentrantQEventLoop(qasync.QEventLoop):
    """qasync's loop, with ``run_until_complete`` safe to call many times in one process.

    qasync 0.28 ends ``run_until_complete`` with one more ``processEvents`` *after*
    ``run_forever`` has unset the running loop; an asyncio task stepped there fails with
    "no running event loop" or "bound to a different event loop". The product calls
    ``run_until_complete`` once (at shutdown nothing is left to step), tests call it often,
    so here pending events simply wait for the next run.
    """

    def run_until_complete(self, future):
        future = asyncio.ensure_future(future, loop=self)

        def stop(*_args) -> None:
            self.stop()

        future.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            future.remove_done_callback(stop)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()


def _events_inside(loop: ReentrantQEventLoop) -> None:
    """pytest-qt processes Qt events between a test's phases (before our fixtures stop the
    simulators and the runtime). A bare processEvents() fires qasync's timers with no running
    loop, and an asyncio task stepped there dies with "no running event loop". Process them
    inside the session loop instead, so they run as they do in the product."""
    from pytestqt import plugin

    plain = plugin._process_events

    def inside_the_loop() -> None:
        if loop.is_closed() or loop.is_running():
            plain()
        else:
            loop.run_until_complete(asyncio.sleep(0))

    plugin._process_events = inside_the_loop


@pytest.fixture(scope="session")
def _session_qloop(qapp):
    """One qasync loop for the whole session, as the product has one per process.

    A fresh QEventLoop per test crashed PySide6 6.11 + qasync 0.28 now and then (a segfault
    inside run_forever while an old loop's timers/notifiers were collected: qasync #154,
    fixed upstream after 0.28.0).
    """
    # As in the product: closing a window must not quit the application under the loop.
    qapp.setQuitOnLastWindowClosed(False)
    loop = ReentrantQEventLoop(qapp)
    _events_inside(loop)
    yield loop
    try:
        loop.close()
    finally:
        asyncio.set_event_loop(None)


@pytest.fixture
def qloop(_session_qloop):
    asyncio.set_event_loop(_session_qloop)
    yield _session_qloop
    asyncio.set_event_loop(None)


def run(loop, coroutine, timeout: float = 20.0):
    return loop.run_until_complete(asyncio.wait_for(coroutine, timeout))


def run_until(loop, predicate, timeout: float = 10.0, interval: float = 0.02):
    """Spin the qasync loop (Qt events included) until ``predicate()`` is truthy; fail if it never is."""
    value = run(loop, wait_for(predicate, timeout=timeout, interval=interval), timeout + 5)
    assert value, f"condition not met within {timeout} s"
    return value
