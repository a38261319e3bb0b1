"""Requests and time per READ scan and per 10-recipe download: Modbus TCP, FINS/UDP, FINS/TCP side by side.

    python -m bench.plc_protocols          # prints the table (BENCH_REPEATS, default 50)
    BENCH_ONLY=protocols make bench        # the same inside the full benchmark run

Loopback against our own simulator: the figures say what the driver costs per exchange, not what a
real PLC's Ethernet unit and cycle time add (FINS manual: roughly 20 ms + 0.02 ms per word + one
PLC cycle per request), so the request count is the figure that carries over to a plant.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import time

PROTOCOLS = ("modbus", "fins-udp", "fins-tcp")


def _stats(samples_s: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples_s)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[max(0, int(round(len(ms) * 0.95)) - 1)], 2)}


def _recipes(count: int = 10):
    from hmi.domain import ALL_SILOS, BatchRecipe

    return [BatchRecipe(batch_no=n, mo_id=f"WH/MO/{n:05d}", bom_code=f"BOM/{n}", product_name="LAYER FEED",
                        quantity=1500.0, targets_kg={silo: 100.0 for silo in ALL_SILOS})
            for n in range(1, count + 1)]


async def must_download(link, recipes) -> None:
    """One download that must land (a refused or uncertain one would make the figures meaningless)."""
    outcome = await link.write_recipes(recipes)
    if not outcome.written:
        raise RuntimeError(f"benchmark download {outcome.result.value}: {outcome.error}")


async def bench_protocol(protocol: str, repeats: int) -> dict:
    from hmi.plc import PlcLink
    from hmi.sim.plc import PlcSimulator

    sim = PlcSimulator("127.0.0.1", 0, protocol=protocol, batch_seconds=1000, scan_interval=0.05)
    await sim.start()
    sim.pause()  # the PLC never takes the recipes, so the same download can be repeated
    link = PlcLink("127.0.0.1", sim.port, protocol=protocol, timeout=2)
    connection = link.connection
    await connection.start()
    assert await connection.wait_connected(5)
    link.watch_failure_area = True  # as in production: the failure area is read with every scan
    recipes = _recipes()
    m = link.register_map

    async def measure(work, prepare=None):
        times, requests = [], []
        for _ in range(repeats):
            if prepare:
                prepare()
            before = connection.request_count
            started = time.perf_counter()
            await work()
            times.append(time.perf_counter() - started)
            requests.append(connection.request_count - before)
        return {"requests": max(requests), **_stats(times)}

    try:
        scan = await measure(link.read_all_slots)
        download = await measure(lambda: must_download(link, recipes),
                                 lambda: sim.write_registers(m.write_ready_address, [1]))
    finally:
        await connection.stop()
        await sim.stop()
    return {"scan_10_slots_with_failure_area": scan, "download_10_recipes": download}


def run(repeats: int) -> dict:
    return {protocol: asyncio.run(bench_protocol(protocol, repeats)) for protocol in PROTOCOLS}


def table(results: dict) -> str:
    lines = ["| PLC exchange (loopback) | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for key, label in (("scan_10_slots_with_failure_area", "READ scan, 10 slots + failure area"),
                       ("download_10_recipes", "download, 10 recipes (handshake included)")):
        cells = [f"{r[key]['requests']} req, median {r[key]['median_ms']} ms, p95 {r[key]['p95_ms']} ms"
                 for r in results.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    results = run(int(os.environ.get("BENCH_REPEATS", 50)))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
