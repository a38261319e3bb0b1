"""Command line of the PLC simulator: ``python -m hmi.sim.plc`` / ``python main.py --sim plc``.

Modbus TCP (default port 5020) or Omron FINS over UDP/TCP (default port 9600); Ctrl+C or SIGTERM
stops it cleanly. ``--failure-every S`` raises an equipment-failure record every S seconds and
SIGUSR1 raises one at once.

The simulator class is handed in by hmi.sim.plc's ``main`` (this module does not import it, so the
two form no circle).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from typing import Callable, Protocol, Sequence

from hmi.plc.errors import RegisterMapError
from hmi.plc.register_map import load_register_map
from hmi.sim.plc_core import PROTOCOLS


class Simulator(Protocol):
    """What the command line needs of hmi.sim.plc.PlcSimulator."""

    @property
    def port(self) -> int: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def raise_failure(self, equipment_code: str, info: str) -> None: ...


MakeSimulator = Callable[..., Simulator]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hmi.sim.plc",
        description="Simulated batching PLC on Modbus TCP or Omron FINS (origin register map).",
    )
    parser.add_argument("--protocol", choices=PROTOCOLS, default="modbus",
                        help="modbus (holding registers), fins-udp or fins-tcp (DM area); default modbus")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None,
                        help="port (default 5020 for Modbus, 9600 for FINS; 0 = any free port)")
    parser.add_argument("--fins-node", type=int, default=None,
                        help="the simulated PLC's FINS node (default: last number of --host, 1 for 127.0.0.1)")
    parser.add_argument("--failure-every", type=float, default=0.0, metavar="S",
                        help="raise an equipment-failure record every S seconds (0 = never; SIGUSR1 raises one now)")
    parser.add_argument("--speed", type=float, default=1.0, help="time factor; 10 runs batches ten times faster")
    parser.add_argument("--batch-seconds", type=float, default=10.0, help="seconds per batch at speed 1 (default 10)")
    parser.add_argument("--deviation", type=float, default=0.02, help="max relative deviation of actuals (default 0.02)")
    parser.add_argument(
        "--fail-mo", action="append", default=[], metavar="MO",
        help="make the batch of this MO fail halfway (status_operation = 1); repeatable",
    )
    parser.add_argument("--slots", type=int, default=None, help="number of batch slots (default: the map's, 10)")
    parser.add_argument("--register-map", default=None, metavar="PATH", help="register map JSON (default: built-in)")
    parser.add_argument("--device-id", type=int, default=1, help="Modbus unit id (default 1)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for reproducible deviations")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


async def _serve(args: argparse.Namespace, make_simulator: MakeSimulator) -> None:
    register_map = load_register_map(args.register_map, slot_count=args.slots)
    simulator = make_simulator(
        args.host, args.port, protocol=args.protocol, fins_node=args.fins_node, speed=args.speed, deviation=args.deviation, fail_mo=args.fail_mo,
        batch_seconds=args.batch_seconds, register_map=register_map, device_id=args.device_id, seed=args.seed,
    )
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Ctrl+C and SIGTERM set the same event, installed before the simulator starts and long before
    # "listening" is printed. SIGINT is not left to asyncio.run's handler: that one is installed only
    # when SIGINT had Python's default handler at start-up, so a simulator started with SIGINT ignored
    # (a background job of a non-interactive shell, some CI runners) never stopped on Ctrl+C.
    with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows' loop
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop_requested.set)
    failures = 0

    def raise_failure() -> None:
        nonlocal failures
        failures += 1
        simulator.raise_failure(f"MIXER{failures:02d}", "MOTOR OVERLOAD")

    with contextlib.suppress(NotImplementedError, AttributeError):  # no SIGUSR1 on Windows
        loop.add_signal_handler(signal.SIGUSR1, raise_failure)
    await simulator.start()
    protocol = "" if args.protocol == "modbus" else f" ({args.protocol})"
    print(f"PLC simulator listening on {args.host}:{simulator.port}{protocol} - press Ctrl+C to stop", flush=True)
    try:
        if args.failure_every > 0:
            while not stop_requested.is_set():
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop_requested.wait(), args.failure_every)
                if not stop_requested.is_set():
                    raise_failure()
        await stop_requested.wait()
    finally:
        await simulator.stop()


def main(argv: Sequence[str] | None, make_simulator: MakeSimulator) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        load_register_map(args.register_map, slot_count=args.slots)  # fail early with a readable message
    except RegisterMapError as exc:
        parser.error(str(exc))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("pymodbus").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C before the loop's handler is installed
        asyncio.run(_serve(args, make_simulator))
    print("PLC simulator stopped", flush=True)
    return 0
