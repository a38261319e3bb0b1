"""Running the exploration: the budget from the environment, the example database, and turning a
falsifying sequence Hypothesis printed into a ready-to-run regression test in tests/explore/found/."""

from __future__ import annotations

import inspect
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis.reporting import current_reporter, with_reporter
from hypothesis.stateful import INVARIANT_MARKER, run_state_machine_as_test

from tests.explore.machine import ExactlyOnceMachine, ExploreEnv

HERE = Path(__file__).parent
EXAMPLES_DIR = HERE / "examples"
FOUND_DIR = HERE / "found"

#: CI: examples per backend and steps per example, about 55 s on SQLite and 80 s on PostgreSQL on the
#: 2-core CI machine when nothing is found (docs/reliability.md, "Proved by exploration").
CI_EXAMPLES = {"sqlite": 100, "postgresql": 45}
CI_STEPS = 30
#: A long run explores in chunks of this many examples until EXPLORE_SECONDS have passed.
CHUNK_EXAMPLES = 20


@dataclass(frozen=True)
class Budget:
    examples: int
    steps: int
    seconds: float | None  # None: exactly ``examples`` examples

    @classmethod
    def from_environment(cls, backend: str) -> "Budget":
        """EXPLORE_SECONDS: explore (in chunks of EXPLORE_EXAMPLES, default 20) until that many seconds
        have passed; else EXPLORE_EXAMPLES examples (default: the CI budget). EXPLORE_STEPS: steps per example."""
        seconds = os.environ.get("EXPLORE_SECONDS")
        examples = os.environ.get("EXPLORE_EXAMPLES")
        steps = int(os.environ.get("EXPLORE_STEPS") or CI_STEPS)
        if seconds:
            return cls(int(examples or CHUNK_EXAMPLES), steps, float(seconds))
        return cls(int(examples or CI_EXAMPLES[backend]), steps, None)

    @classmethod
    def pytest_timeout_from_environment(cls) -> float:
        return max(cls.from_environment(backend).pytest_timeout for backend in CI_EXAMPLES)

    @property
    def pytest_timeout(self) -> float:
        """Seconds the test may take (pytest-timeout): the budget plus room for shrinking a failure."""
        if self.seconds is None:
            return max(600.0, self.examples * 30.0)
        return self.seconds + 900.0


def hypothesis_settings(budget: Budget, database=True, **overrides) -> settings:
    return settings(
        max_examples=budget.examples,
        stateful_step_count=budget.steps,
        deadline=None,
        database=DirectoryBasedExampleDatabase(str(EXAMPLES_DIR)) if database else None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
        report_multiple_bugs=False,
        **overrides,
    )


def explore(env: ExploreEnv, machine: type[ExactlyOnceMachine], budget: Budget, *, database: bool = True,
            write_found: bool = True, **overrides) -> int:
    """Run ``machine`` on ``env`` within ``budget``; on a failure write tests/explore/found/… and raise.
    Returns the number of chunks run."""
    machine.env = env
    chunks = 0
    end = None if budget.seconds is None else time.monotonic() + budget.seconds
    while True:
        printed: list[str] = []
        default = current_reporter()

        def reporter(text: str) -> None:
            printed.append(str(text))
            default(text)

        try:
            with with_reporter(reporter):
                run_state_machine_as_test(machine, settings=hypothesis_settings(budget, database, **overrides))
        except BaseException as exc:
            if write_found:
                skip = {name for name, value in inspect.getmembers(machine)
                        if getattr(value, INVARIANT_MARKER, None) is not None}
                # One error, or several distinct ones (report_multiple_bugs): Hypothesis reports each
                # one's steps, or (this version) attaches them to the error as notes.
                for error in _errors(exc):
                    notes = [*printed, *(str(n) for n in getattr(error, "__notes__", ()))]
                    path = write_regression(notes, env.backend, machine.__name__, error, skip)
                    if path is not None:
                        print(f"\nFalsifying steps written to {path.relative_to(HERE.parent.parent)}")
            raise
        chunks += 1
        if end is None or time.monotonic() >= end:
            return chunks


def _errors(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _errors(inner)]
    return [exc]


_STEP = re.compile(r"^state\.(?!teardown\(\))\w+\(.*\)$")


def falsifying_steps(printed: list[str], skip: set[str] = frozenset()) -> list[str] | None:
    """The last printed program (``state = X()`` … ``state.teardown()``): its step calls."""
    text = "\n".join(printed).splitlines()
    starts = [i for i, line in enumerate(text) if re.match(r"^state = \w+\(\)$", line.strip())]
    if not starts:
        return None
    steps = []
    for line in text[starts[-1] + 1:]:
        line = line.strip()
        if line == "state.teardown()":
            return steps
        if _STEP.match(line) and line[len("state."):].split("(")[0] not in skip:
            steps.append(line)
    return steps


def write_regression(printed: list[str], backend: str, machine_name: str, exc: BaseException,
                     skip: set[str] = frozenset()) -> Path | None:
    steps = falsifying_steps(printed, skip)
    if steps is None:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d_%H%M%S_%f")
    FOUND_DIR.mkdir(exist_ok=True)
    path = FOUND_DIR / f"test_found_{backend}_{stamp}.py"
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0].replace('"""', "'''")
    body = "\n".join(f"    {step}\n    state.check_all()" for step in steps)
    path.write_text(f'''"""Found by tests/explore ({machine_name}, {backend}) on {stamp} UTC:
{type(exc).__name__}: {first_line}

The falsifying steps as Hypothesis printed them, each followed by every invariant. Rename the test
after what it shows, keep it as a regression test (docs/reliability.md, "Proved by exploration").
"""

import pytest

from tests.explore.machine import machine_for

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("explore_env", ["{backend}"], indirect=True)
def test_found_{stamp}(explore_env):
    state = machine_for(explore_env)
    state.check_all()
{body}
    state.teardown()
''')
    return path
