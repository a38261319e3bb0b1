"""Command line of the fake Odoo: `python -m hmi.sim.odoo [--flavor grt_scada|stock] ...`.

hmi.sim.odoo's ``main`` hands in its FakeOdoo class (this module does not import hmi.sim.odoo, so the two
form no circle); the stock flavour is hmi.sim.stock_http's.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Any, Callable, Sequence

from hmi.sim import stock_http
from hmi.sim.odoo_catalogue import DEFAULT_DB, DEFAULT_LOGIN, DEFAULT_MO_COUNT, DEFAULT_PASSWORD


def main(argv: Sequence[str] | None, make_grt_scada: Callable[..., Any]) -> int:
    """``make_grt_scada``: hmi.sim.odoo.FakeOdoo (started, stopped and asked its base_url here)."""
    parser = argparse.ArgumentParser(
        prog="python -m hmi.sim.odoo",
        description="Fake Odoo. --flavor grt_scada (default): the addon routes (login, MO list, consumption push, "
                    "mark-done, cancel). --flavor stock: stock Odoo 16-19 (/jsonrpc, and /json/2 on 19) with MOs, "
                    "raw moves, products, units and the mark-done wizards. /fake/* routes inspect what it received "
                    "and switch faults. See docs/odoo.md.",
    )
    parser.add_argument("--flavor", choices=("grt_scada", "stock"), default="grt_scada",
                        help="which Odoo to imitate (default grt_scada)")
    parser.add_argument("--odoo-version", type=int, choices=(16, 17, 18, 19), default=18,
                        help="stock flavor: Odoo major version (default 18; 19 also serves JSON-2)")
    parser.add_argument("--api-key", default=stock_http.DEFAULT_API_KEY,
                        help="stock flavor: the API key accepted on /jsonrpc and /json/2")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8070, help="TCP port (default 8070; 0 = any free port)")
    parser.add_argument("--mos", type=int, default=None,
                        help=f"MOs to seed (default {DEFAULT_MO_COUNT}; stock {stock_http.DEFAULT_MO_COUNT})")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the MO data (default 1)")
    parser.add_argument("--lines", default="",
                        help="grt_scada flavor: comma-separated line codes the MOs are dealt to in turn "
                             "(e.g. PLC01,PLC02,PLC03); default every MO on PLC01")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database name to accept (default {DEFAULT_DB})")
    parser.add_argument("--login", default=DEFAULT_LOGIN, help=f"login to accept (default {DEFAULT_LOGIN})")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password to accept (default admin)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every HTTP request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.flavor == "stock":
        fake = stock_http.FakeStockOdoo(host=args.host, port=args.port, version=args.odoo_version,
                                        mo_count=args.mos or stock_http.DEFAULT_MO_COUNT, seed=args.seed,
                                        db=args.db, login=args.login, password=args.password, api_key=args.api_key)
    else:
        fake = make_grt_scada(host=args.host, port=args.port, mo_count=args.mos or DEFAULT_MO_COUNT, seed=args.seed,
                        db=args.db, login=args.login, password=args.password,
                        lines=[code.strip() for code in args.lines.split(",") if code.strip()])
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        fake.start()
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    what = f"Fake stock Odoo {args.odoo_version}" if args.flavor == "stock" else "Fake Odoo"
    print(f"{what} on {fake.base_url}  db={args.db} login={args.login}  (Ctrl+C to stop)", flush=True)
    while not stop.wait(0.5):
        pass
    fake.stop()
    return 0

