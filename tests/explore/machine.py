"""The exactly-once rule as a Hypothesis state machine over the real stack (docs/reliability.md,
"Proved by exploration").

Rule: an MO whose recipe reached a PLC is never downloaded again unless an operator releases it;
every batch a PLC finished has its consumption reported to Odoo exactly once.

The machine drives the production object graph (``Runtime``: sync, poll, completion, admin) on a
real database (a SQLite file or the throwaway PostgreSQL) against PLC simulators on loopback
Modbus and one fake Odoo. The PLC simulators are paused for good: the machine steps their scan by
hand (``plc_runs``), so what a PLC does between two service calls is a drawn step, not timing.
After every step the invariants below are checked; at teardown Odoo is healed, rounds are run
until the plant is quiet and every finished batch must be in Odoo with the PLC's actuals.

Nothing here is imported by hmi/.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy
from hypothesis import note as hypothesis_note
from hypothesis.errors import InvalidArgument
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from hmi.config import load_settings
from hmi.domain import DownloadState
from hmi.plc.keys import plc_keys
from hmi.services import crash_points
from hmi.services.admin import ActionRefused
from hmi.services.alarms import ALARM_KINDS
from hmi.sim.odoo import DEFAULT_PASSWORD, FakeOdoo
from hmi.sim.plc import PlcSimulator
from hmi.store.database import create_database_engine, migrate
from hmi.store.instance_lock import ADVISORY_NAMESPACE, InstanceConflict, _int4
from tests.support.live import wait_for

log = logging.getLogger("tests.explore")

LINE_CODES = ("PLC01", "PLC02")
#: 19 characters, longer than the PLC's 16-character MO field; the two lines' MOs of one number share
#: their last 15 characters, so both PLCs see the same short key ("~NE/MIX/MO/00001") for different MOs.
NAME_FORMATS = ("A-LINE/MIX/MO/{number:05d}", "B-LINE/MIX/MO/{number:05d}")
MOS_PER_LINE = 40
BATCH_LIMIT = 3
BATCH_SECONDS = 1.0
PLC_TEXT_LENGTH = 16
ACTOR = "explorer"
OWNERSHIP_LOST = "line.ownership_lost"
QUIET_TIMEOUT = 60.0
#: A row still needing Odoo after this many operator retries at teardown is left as it is (Odoo is
#: then asked directly whether it has the consumption).
TEARDOWN_RETRIES = 3


def note(text: str) -> None:
    """Hypothesis's note inside a run (printed with the falsifying steps); the log in a replay."""
    try:
        hypothesis_note(text)
    except InvalidArgument:
        log.info("%s", text)


def mo_names(line: int) -> list[str]:
    return [NAME_FORMATS[line].format(number=n) for n in range(1, MOS_PER_LINE + 1)]


# ---------------------------------------------------------------------------------------------- environment


class ExploreEnv:
    """What outlives one example: the event loop, the fake Odoo and a migrated database template."""

    def __init__(self, backend: str, workdir: Path, postgres=None) -> None:
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(backend)
        if backend == "postgresql" and postgres is None:
            raise ValueError("the postgresql backend needs the throwaway server")
        self.backend = backend
        self.workdir = workdir
        self.postgres = postgres
        self.loop = asyncio.new_event_loop()
        # The loop's executor while no runtime owns it (a stopped runtime shuts its own pool down).
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="explore-io")
        self.loop.set_default_executor(self.executor)
        self._names = itertools.count(1)
        self.odoo = FakeOdoo(host="127.0.0.1", port=0, mo_count=MOS_PER_LINE, mo_name_format=NAME_FORMATS[0],
                             lines=LINE_CODES)
        self.odoo.start()
        self.odoo_port = self.odoo.port
        self.odoo_url = self.odoo.base_url
        self._template = self._make_template()

    # ---- Odoo
    def reset_odoo(self) -> None:
        """Fresh MOs for both lines, no faults, no records; drops answers still delayed by a hang fault."""
        self.odoo.stop()
        self.odoo.requested_port = self.odoo_port
        self.odoo.reset()
        first = mo_names(0)
        self.odoo.set_mo_line(first, LINE_CODES[0])
        for name, twin in zip(first, mo_names(1)):
            self.odoo.clone_mo(name, twin, LINE_CODES[1])
        self.odoo.start()

    def odoo_up(self) -> None:
        self.odoo.clear_faults()
        if not self.odoo.running:
            self.odoo.requested_port = self.odoo_port
            self.odoo.start()

    # ---- databases
    def _make_template(self) -> str:
        if self.backend == "sqlite":
            path = self.workdir / "template.db"
            url = f"sqlite:///{path}"
        else:
            url = self.postgres.create_database("explore_template")
        engine = create_database_engine(url)
        migrate(engine)
        engine.dispose()
        return url

    def new_database(self) -> str:
        number = next(self._names)
        if self.backend == "sqlite":
            folder = self.workdir / f"ex{number}"
            folder.mkdir()
            path = folder / "plant.db"
            shutil.copyfile(self.workdir / "template.db", path)
            return f"sqlite:///{path}"
        name = f"explore_{number}"
        admin = sqlalchemy.create_engine(self.postgres.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE explore_template')
        admin.dispose()
        return self.postgres.url(name)

    def drop_database(self, url: str) -> None:
        if self.backend == "sqlite":
            shutil.rmtree(Path(sqlalchemy.engine.make_url(url).database).parent, ignore_errors=True)
            return
        name = sqlalchemy.engine.make_url(url).database
        admin = sqlalchemy.create_engine(self.postgres.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    def data_dir(self) -> Path:
        folder = self.workdir / f"data{next(self._names)}"
        folder.mkdir()
        return folder

    # ---- loop
    def run(self, awaitable, timeout: float = 90.0):
        return self.loop.run_until_complete(asyncio.wait_for(awaitable, timeout))

    def close(self) -> None:
        crash_points.arm(None)
        self.odoo.stop()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
        self.executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------------------------------- the model


@dataclass
class Line:
    index: int
    code: str
    sim: PlcSimulator
    runtime: object  # hmi.app.runtime.Runtime (the instance that owns the line)
    key_to_mo: dict[str, str]
    #: Instances that lost the line's lock to a newer one but were not stopped (PostgreSQL only).
    zombies: list = field(default_factory=list)


def _tracked(function):
    """A rule: the example counts as failed while it raises (the teardown then only cleans up), and
    each PLC takes a download waiting for it afterwards, as a PLC does within its next scan cycle
    (a PLC still dosing its queue lets the download wait)."""

    def step(self, **kwargs):
        self._ok = False
        function(self, **kwargs)
        for line in self.lines:
            line.sim.scan(0.0)
        self._ok = True

    return _named(step, function)


def _checked(function):
    """An invariant: the example counts as failed while it raises."""

    def check(self):
        self._ok = False
        function(self)
        self._ok = True

    return _named(check, function)


def _named(wrapper, function):
    wrapper.__name__ = function.__name__
    wrapper.__qualname__ = function.__qualname__
    wrapper.__doc__ = function.__doc__
    wrapper.__wrapped__ = function
    return wrapper


LINE = st.integers(min_value=0, max_value=1)
ODOO_MODES = ("up", "down", "http_500", "hang", "push_refused", "cancel_500")


class ExactlyOnceMachine(RuleBasedStateMachine):
    """Set ``env`` (an :class:`ExploreEnv`) on the class (or a subclass) before running it."""

    env: ExploreEnv | None = None

    def __init__(self) -> None:
        super().__init__()
        if self.env is None:
            raise RuntimeError("ExactlyOnceMachine.env is not set")
        self._ok = True
        self.env.reset_odoo()
        self.url = self.env.new_database()
        self.engine = sqlalchemy.create_engine(self.url, pool_size=1, max_overflow=2)
        self.lines: list[Line] = []
        self.stopped: list = []
        #: Model: how many times an operator released each MO (each allows one more PLC take).
        self.releases: Counter[str] = Counter()
        #: Model: MO -> how many times PLCs had taken it when an operator last archived it (clear,
        #: cancel, archive as failed): runs up to that take are the operator's, not the system's.
        self.archived_takes: dict[str, int] = {}
        #: Model: (MO, take) runs a PLC finished and then lost at its panel before the HMI read them.
        self.lost_runs: set[tuple[str, int]] = set()
        self.dispatch_seen: set[str] = set()
        #: (line index, instance) that lost the line's lock while still running.
        self.lock_lost: list[tuple[int, object]] = []
        self.env.run(self._open_line(0))

    # ------------------------------------------------------------------ plumbing

    def run(self, awaitable, timeout: float = 90.0):
        return self.env.run(awaitable, timeout)

    def _settings(self, line_index: int, sim: PlcSimulator):
        env = {
            "DATABASE_URL": self.url,
            "DATA_DIR": str(self.env.data_dir()),
            "ODOO_BASE_URL": self.env.odoo_url,
            "ODOO_DB": self.env.odoo.db,
            "ODOO_USERNAME": self.env.odoo.login,
            "ODOO_PASSWORD": DEFAULT_PASSWORD,
            "ODOO_TIMEOUT_SECONDS": "0.5",
            "ODOO_MARK_DONE": "true",
            "PLC_ENABLED": "true",
            "PLC_HOST": "127.0.0.1",
            "PLC_PORT": str(sim.port),
            "PLC_TIMEOUT_SECONDS": "1",
            "API_ENABLED": "false",
            "LINE_EQUIPMENT_CODE": LINE_CODES[line_index],
            "SYNC_BATCH_LIMIT": str(BATCH_LIMIT),
            "MAX_PUSH_ATTEMPTS": "3",
        }
        ini = self.env.workdir / "settings.ini"
        ini.write_text("")
        return load_settings(ini, environ=env)

    async def _start_runtime(self, line_index: int, sim: PlcSimulator):
        from hmi.app.runtime import Runtime

        runtime = Runtime(self._settings(line_index, sim), claim_line=True)
        try:
            await runtime.start()
        finally:
            self.env.loop.set_default_executor(self.env.executor)
        if not await runtime.plc.connection.wait_connected(timeout=5):
            await self._stop_runtime(runtime)
            raise AssertionError(f"line {LINE_CODES[line_index]}: the PLC link did not connect")
        runtime.completion.backoff_initial = timedelta(0)
        runtime.completion.backoff_cap = timedelta(0)
        return runtime

    async def _stop_runtime(self, runtime) -> None:
        try:
            await runtime.stop()
        finally:
            self.env.loop.set_default_executor(self.env.executor)

    async def _open_line(self, index: int) -> None:
        sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=BATCH_SECONDS, seed=index + 1,
                           scan_interval=0.05)
        await sim.start()
        sim.pause()  # the machine steps the scan itself
        names = mo_names(index)
        keys = {plc_keys([name], PLC_TEXT_LENGTH)[name]: name for name in names}
        line = Line(index, LINE_CODES[index], sim, None, keys)
        self.lines.append(line)
        line.runtime = await self._start_runtime(index, sim)

    def _line(self, index: int) -> Line:
        """Line ``index``; on a one-line plant every index is that line (no step is wasted as a no-op)."""
        return self.lines[index % len(self.lines)]

    def _learn_keys(self) -> None:
        """What each line's PLC sees of its MOs: a short key avoids every key in use in the database,
        so it is read from the dispatch ledger (which keeps each MO's key) as the run goes."""
        for line in self.lines:
            for key, mo in self._sql("SELECT plc_key, mo_id FROM mo_dispatch WHERE line = :line", line=line.code):
                line.key_to_mo.setdefault(key, mo)

    def _takes(self) -> Counter[str]:
        """How many times any PLC took each MO (by the MO's full name)."""
        self._learn_keys()
        takes: Counter[str] = Counter()
        for line in self.lines:
            for key, count in line.sim.takes_by_mo.items():
                takes[line.key_to_mo.get(key, f"{key!r} on {line.code} (no MO of that line)")] += count
        return takes

    def _runs(self):
        """Every batch a PLC finished: (line, MO, FinishedBatch)."""
        self._learn_keys()
        for line in self.lines:
            for finished in line.sim.finished_batches:
                yield line, line.key_to_mo.get(finished.mo_id, finished.mo_id), finished

    def _operator_archived(self, mo: str, take_no: int) -> bool:
        return take_no <= self.archived_takes.get(mo, 0)

    def _archived_by_operator(self, mo_ids) -> None:
        takes = self._takes()
        for mo in mo_ids:
            self.archived_takes[mo] = takes[mo]

    def _sql(self, query: str, **params) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sqlalchemy.text(query), params)]

    def _table_mo_ids(self, line: Line | None = None) -> set[str]:
        if line is None:
            return {row[0] for row in self._sql("SELECT mo_id FROM mo_batch")}
        return {row[0] for row in self._sql("SELECT mo_id FROM mo_batch WHERE equipment_id_batch = :line",
                                            line=line.code)}

    def _history(self, mo: str) -> list[str]:
        return [row[0] for row in self._sql("SELECT status FROM mo_histories WHERE mo_id = :mo", mo=mo)]

    async def _restart(self, line: Line) -> None:
        await self._stop_runtime(line.runtime)
        line.runtime = None
        line.runtime = await self._start_runtime(line.index, line.sim)

    # ------------------------------------------------------------------ rules: the services

    @rule(line=LINE)
    @_tracked
    def sync(self, line):
        """The sync timer (or the operator's Sync button) fires on this line's instance."""
        ln = self._line(line)
        outcome = self.run(ln.runtime.sync.sync("timer"))
        note(f"sync {ln.code}: {outcome.outcome} {outcome.message}")

    @rule(line=LINE)
    @_tracked
    def poll_and_complete(self, line):
        """One PLC poll, then one completion round (reporting to / cancelling in Odoo)."""
        ln = self._line(line)
        self.run(ln.runtime.poll_and_complete())

    # ------------------------------------------------------------------ rules: the PLC

    @rule(line=LINE, run=st.sampled_from(("a while", "one batch", "the whole queue")))
    @_tracked
    def plc_runs(self, line, run):
        """The PLC scans: takes a waiting download, then doses (part of a batch, one batch, or all)."""
        ln = self._line(line)
        if run == "a while":
            ln.sim.scan(BATCH_SECONDS * 0.3)
        elif run == "one batch":
            ln.sim.scan(BATCH_SECONDS)
        else:
            ln.sim.scan(BATCH_SECONDS)
            for _ in range(20):
                if not ln.sim.busy:
                    break
                ln.sim.scan(BATCH_SECONDS)

    @rule(line=LINE)
    @_tracked
    def plc_fails_running_batch(self, line):
        """The batch the PLC is dosing (if any) fails halfway (status_operation = 1)."""
        if not (ln := self._line(line)).sim.queued_mo_ids:
            return
        ln.sim.fail_mo.add(ln.sim.queued_mo_ids[0])

    @rule(line=LINE)
    @_tracked
    def plc_reset_at_panel(self, line):
        """Someone resets the PLC at its panel: the queue stops, every READ and WRITE slot is blanked."""
        ln = self._line(line)
        seen_done = {row[0] for row in self._sql(
            "SELECT mo_id FROM mo_batch WHERE status_manufacturing OR status_operation")}
        for finished in ln.sim.finished_batches:
            mo = ln.key_to_mo.get(finished.mo_id, finished.mo_id)
            if mo in seen_done or set(self._history(mo)) & {"completed", "cancelled"}:
                continue
            self.lost_runs.add((mo, finished.take_no))  # the HMI never read this batch's end
        ln.sim.panel_reset()

    # ------------------------------------------------------------------ rules: Odoo

    @rule(mode=st.sampled_from(ODOO_MODES))
    @_tracked
    def odoo(self, mode):
        """Odoo is well, down (port closed), answers HTTP 500, hangs beyond the timeout, refuses
        consumption pushes, or fails cancels."""
        odoo = self.env.odoo
        self.env.odoo_up()
        if mode == "down":
            odoo.stop()
        elif mode == "http_500":
            odoo.set_faults(http_500=True)
        elif mode == "hang":
            odoo.set_faults(delay_seconds=1.0)
        elif mode == "push_refused":
            odoo.set_faults(application_error="Stock is locked by another user",
                            route="/api/scada/mo/update-with-consumptions")
        elif mode == "cancel_500":
            odoo.set_faults(http_500=True, route="/api/scada/mo/cancel")

    # ------------------------------------------------------------------ rules: the operator

    @rule(line=LINE, plc_was_reset=st.booleans())
    @_tracked
    def clear(self, line, plc_was_reset):
        """Clear (holds every cleared MO), or "Clear and release - the PLC was reset"."""
        ln = self._line(line)
        before = self._table_mo_ids(ln)
        finished_done = self._latest_run_done()
        self.run(ln.runtime.admin.clear(ACTOR, plc_was_reset=plc_was_reset))
        archived = before - self._table_mo_ids(ln)
        self._archived_by_operator(archived)
        if plc_was_reset:
            # The operator says the PLC holds none of them: one more take is theirs to allow, except of
            # a batch the PLC finished where the HMI could see it (dosing it again is what the rule
            # forbids). A run whose DONE a panel reset wiped before any poll read it is invisible to
            # the product: releasing it is the operator's word (the Clear question asks them to check
            # at the mixer), as such a run is also excused from being reported to Odoo.
            for mo in archived - (finished_done - self._done_unseen(archived)):
                self.releases[mo] += 1

    def _done_unseen(self, mos: set[str]) -> set[str]:
        """Of ``mos``, those whose latest take the PLC finished but a panel reset wiped before the HMI read it."""
        takes = self._takes()
        return {mo for mo in mos if (mo, takes[mo]) in self.lost_runs}

    def _latest_run_done(self) -> set[str]:
        latest: dict[str, tuple[int, str]] = {}
        for _, mo, finished in self._runs():
            if finished.take_no >= latest.get(mo, (0, ""))[0]:
                latest[mo] = (finished.take_no, finished.outcome)
        takes = self._takes()
        return {mo for mo, (take_no, outcome) in latest.items() if outcome == "done" and take_no == takes[mo]}

    @rule(line=LINE, which=st.integers(min_value=0, max_value=5), everything=st.booleans())
    @_tracked
    def release_held(self, line, which, everything):
        """A supervisor releases one held MO (or all of this line's) with a reason."""
        ln = self._line(line)
        held = [h.mo_id for h in self.run(ln.runtime.admin.held())]
        if not held:
            return
        chosen = held if everything else [held[which % len(held)]]
        released = self.run(ln.runtime.admin.release(chosen, "checked at the PLC", "supervisor"))
        for mo in released:
            self.releases[mo] += 1

    @rule(line=LINE, action=st.sampled_from(("retry_push", "cancel_in_odoo", "archive_failed")),
          which=st.integers(min_value=0, max_value=5))
    @_tracked
    def batch_action(self, line, action, which):
        """Retry, Cancel in Odoo or Archive as failed on one batch (refused where it does not apply)."""
        ln = self._line(line)
        rows = self.run(ln.runtime.admin.list_batches())
        if not rows:
            return
        mo = rows[which % len(rows)].mo_id
        try:
            self.run(getattr(ln.runtime.admin, action)(mo, ACTOR))
        except ActionRefused as exc:
            note(f"{action} {mo} refused: {exc}")
            return
        if mo not in self._table_mo_ids():
            self._archived_by_operator([mo])

    # ------------------------------------------------------------------ rules: crashes and instances

    @rule(line=LINE, point=st.sampled_from(crash_points.POINTS))
    @_tracked
    def crash_then_restart(self, line, point):
        """Arm a crash point, run what reaches it, let the process 'die' there, start a new instance
        on the same database and PLC. (Until the services call the points, nothing crashes and this is
        a plain restart after the round.)"""
        ln = self._line(line)
        fired = []

        def decide(name: str) -> bool:
            if name == point and not fired:
                fired.append(name)
                return True
            return False

        before = self._table_mo_ids(ln)
        crash_points.arm(decide)
        try:
            if point.startswith("sync."):
                self.run(ln.runtime.sync.sync("timer"))
            elif point.startswith("clear."):
                self.run(ln.runtime.admin.clear(ACTOR))
            else:
                self.run(ln.runtime.poll_and_complete())
        except crash_points.SimulatedCrash:
            pass
        finally:
            crash_points.arm(None)
        note(f"crash point {point}: {'crashed' if fired else 'not reached'}")
        if point.startswith("clear."):
            self._archived_by_operator(before - self._table_mo_ids(ln))
        self.run(self._restart(ln))

    @rule(line=LINE)
    @_tracked
    def restart(self, line):
        """The service is stopped and started again (same database, same PLC)."""
        ln = self._line(line)
        self.run(self._restart(ln))

    @rule(line=LINE)
    @_tracked
    def second_instance_is_refused(self, line):
        """A second instance for the same line on the same database must refuse to start."""
        ln = self._line(line)
        self.run(self._second_instance_refused(ln))

    async def _second_instance_refused(self, ln: Line) -> None:
        try:
            second = await self._start_runtime(ln.index, ln.sim)
        except InstanceConflict:
            return
        await self._stop_runtime(second)
        raise AssertionError(f"a second instance started on line {ln.code} while another one holds it")

    @rule(line=LINE)
    @_tracked
    def line_lock_session_killed(self, line):
        """PostgreSQL ends the session holding the line's lock (pg_terminate_backend); a second instance
        then starts and owns the line; the first keeps running (a zombie) and sees its loss at its heartbeat.
        (SQLite: the lock is the process's file lock, which only the process's end releases: no-op.)"""
        if self.env.backend != "postgresql":
            return
        self.run(self._steal_line(self._line(line)))

    async def _steal_line(self, ln: Line) -> None:
        key = _int4(__import__("zlib").crc32(ln.code.encode("utf-8")))
        database = sqlalchemy.engine.make_url(self.url).database
        pids = self._sql(
            "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :ns AND l.objid = :key "
            "AND d.datname = :db", ns=ADVISORY_NAMESPACE & 0xFFFFFFFF, key=key & 0xFFFFFFFF, db=database)
        assert pids, f"line {ln.code}: no session holds the line lock while its instance runs"
        for (pid,) in pids:
            self._sql("SELECT pg_terminate_backend(:pid)", pid=pid)
        old = ln.runtime

        async def second_starts():
            try:
                return await self._start_runtime(ln.index, ln.sim)
            except InstanceConflict:
                return None

        new = await wait_for(second_starts, timeout=10, interval=0.1)
        assert new is not None, f"line {ln.code}: no instance could take the line after its lock session ended"
        ln.runtime = new
        ln.zombies.append(old)
        self.lock_lost.append((ln.index, old))
        await old.line_heartbeat()  # the scheduler's half-minute heartbeat, now

    @rule(line=LINE, what=st.sampled_from(("sync", "poll_and_complete")))
    @_tracked
    def zombie_round(self, line, what):
        """The instance that lost the line's lock runs a round (its timers still fire)."""
        if not (ln := self._line(line)).zombies:
            return
        zombie = ln.zombies[-1]
        if what == "sync":
            self.run(zombie.sync.sync("timer"))
        else:
            self.run(zombie.poll_and_complete())

    @rule()
    @_tracked
    def open_second_line(self):
        """A second line (PLC02, its own PLC) starts on the same database; its MOs' PLC keys are the
        first line's. (Rules have no preconditions, so that a shrunk sequence keeps its rule choices.)"""
        if len(self.lines) == 1:
            self.run(self._open_line(1))

    # ------------------------------------------------------------------ invariants

    @invariant()
    @_checked
    def no_mo_taken_more_than_released_plus_one(self):
        for mo, count in sorted(self._takes().items()):
            allowed = self.releases[mo] + 1
            assert count <= allowed, (
                f"MO {mo} was taken by a PLC {count} times, but operators released it {self.releases[mo]} "
                f"time(s): at most {allowed} allowed")

    @invariant()
    @_checked
    def no_ledger_row_deleted(self):
        if not sqlalchemy.inspect(self.engine).has_table("mo_dispatch"):
            return
        now = {row[0] for row in self._sql("SELECT mo_id FROM mo_dispatch")}
        missing = sorted(self.dispatch_seen - now)
        assert not missing, f"mo_dispatch rows deleted: {', '.join(missing)} ({len(now)} rows left)"
        self.dispatch_seen |= now

    @invariant()
    @_checked
    def no_finished_batch_lost(self):
        in_table = self._table_mo_ids()
        for line, mo, finished in self._runs():
            if mo in in_table or self._operator_archived(mo, finished.take_no):
                continue
            wanted = "completed" if finished.outcome == "done" else "cancelled"
            history = self._history(mo)
            assert wanted in history, (
                f"MO {mo} ({finished.outcome} on {line.code}'s PLC, take {finished.take_no}) is neither in "
                f"mo_batch nor in mo_histories as {wanted} (history: {history or 'none'}), and no operator "
                f"archived it")

    @invariant()
    @_checked
    def lost_line_ownership_is_alarmed(self):
        if OWNERSHIP_LOST not in ALARM_KINDS or not self.lock_lost:
            return
        for index, _ in self.lock_lost:
            code = LINE_CODES[index]
            active = self._sql("SELECT count(*) FROM alarms WHERE kind = :kind AND line = :line "
                               "AND state IN ('unack_active', 'ack_active')", kind=OWNERSHIP_LOST, line=code)
            assert active[0][0] > 0, (f"an instance of line {code} lost its line lock, but no active "
                                      f"{OWNERSHIP_LOST} alarm says so")

    def check_all(self) -> None:
        """Every invariant (replays of found failures call it after each step)."""
        self.no_mo_taken_more_than_released_plus_one()
        self.no_ledger_row_deleted()
        self.no_finished_batch_lost()
        self.lost_line_ownership_is_alarmed()

    # ------------------------------------------------------------------ teardown

    def teardown(self):
        try:
            if self._ok:
                self.run(self._settle(), timeout=QUIET_TIMEOUT + 30)
                self.no_mo_taken_more_than_released_plus_one()
                self.no_finished_batch_lost()
                self.every_finished_batch_reported_once()
        finally:
            self.run(self._cleanup())

    async def _settle(self) -> None:
        """Odoo healed, zombies stopped; rounds until no line has work left (bounded by a deadline)."""
        crash_points.arm(None)
        self.env.odoo_up()
        for line in self.lines:
            for zombie in line.zombies:
                await self._stop_runtime(zombie)
                self.stopped.append(zombie)
            line.zombies.clear()
        retries: Counter[str] = Counter()

        async def quiet_after_a_round() -> bool:
            quiet = True
            for line in self.lines:
                if line.sim.download_pending or line.sim.busy:
                    line.sim.scan(BATCH_SECONDS)
                    quiet = False
                runtime = line.runtime
                rows = await runtime.admin.list_batches()
                for row in rows:
                    if row.needs_attention and retries[row.mo_id] < TEARDOWN_RETRIES:
                        retries[row.mo_id] += 1
                        await runtime.admin.retry_push(row.mo_id, ACTOR)
                        quiet = False
                if any(row.download_state is not DownloadState.DOWNLOADED for row in rows):
                    await runtime.sync.sync("manual")  # asks the PLC again about held rows
                await runtime.poll_and_complete()
                for row in await runtime.admin.list_batches():
                    # A HELD row waits for an operator (the PLC could not say whether it has it): no round
                    # changes it, so it does not keep the line busy; a download in progress does.
                    if row.download_state in (DownloadState.PENDING, DownloadState.WRITING):
                        quiet = False
                    needs_odoo = ((row.status_manufacturing and not row.status_operation and not row.update_odoo)
                                  or (row.status_operation and not row.odoo_cancelled))
                    if needs_odoo and not row.needs_attention:
                        quiet = False
            return quiet

        self.quiet = await wait_for(quiet_after_a_round, timeout=QUIET_TIMEOUT, interval=0)

    def every_finished_batch_reported_once(self) -> None:
        """Invariant 4: each batch a PLC finished (and no operator archived) is in Odoo with the PLC's
        final actuals, and Odoo never received other values for it."""
        pushes = self.env.odoo.pushes
        left = sorted(self._table_mo_ids())
        for line, mo, finished in self._runs():
            if finished.outcome != "done" or self._operator_archived(mo, finished.take_no):
                continue
            if (mo, finished.take_no) in self.lost_runs:
                continue
            reading = finished.reading
            expected = {silo.odoo_code: round(kg, 2) for silo, kg in reading.actual_kg.items() if kg > 0}
            received = [p for p in pushes if p["mo_id"] == mo]
            bodies = {tuple(sorted((k, round(float(v), 2)) for k, v in p["body"].items() if k != "mo_id"))
                      for p in received}
            context = (f"MO {mo} (finished on {line.code}'s PLC, take {finished.take_no}; teardown "
                       f"{'quiet' if self.quiet else 'NOT quiet'}, table left: {left or 'empty'})")
            assert any(p["result"].get("status") == "success" for p in received), (
                f"{context}: Odoo never took its consumption ({len(received)} push(es) received)")
            assert len(bodies) == 1, f"{context}: Odoo received {len(bodies)} different values: {sorted(bodies)}"
            body = dict(next(iter(bodies)))
            consumption = {k: v for k, v in body.items() if k != "quantity"}
            assert _close(consumption, expected), (
                f"{context}: Odoo has {consumption}, the PLC's final actuals are {expected}")
            assert abs(body.get("quantity", 0.0) - round(reading.weight_finished_good, 2)) <= 0.011, (
                f"{context}: Odoo has finished weight {body.get('quantity')}, the PLC {reading.weight_finished_good}")

    async def _cleanup(self) -> None:
        crash_points.arm(None)
        for line in self.lines:
            for runtime in [*line.zombies, line.runtime]:
                if runtime is not None:
                    with contextlib.suppress(Exception):
                        await self._stop_runtime(runtime)
            await line.sim.stop()
        self.engine.dispose()
        self.env.drop_database(self.url)


def _close(got: dict[str, float], expected: dict[str, float]) -> bool:
    return set(got) == set(expected) and all(abs(got[k] - expected[k]) <= 0.011 for k in expected)


#: The printed steps name the machine's class; a replay file builds it from its environment.
def machine_for(env: ExploreEnv, machine: type[ExactlyOnceMachine] = ExactlyOnceMachine) -> ExactlyOnceMachine:
    bound = type(machine.__name__, (machine,), {"env": env})
    return bound()


__all__ = ["ExactlyOnceMachine", "ExploreEnv", "machine_for"]
