"""Command line of the product (a stable interface: plant scripts and the packaged .exe use it)."""

from __future__ import annotations

import argparse

from hmi import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="batch-hmi",
        description="Batch HMI: fetches manufacturing orders from Odoo, doses them on the PLC, reports back.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--headless", action="store_true",
                      help="run as a service without a window (scheduler + admin API, logs to console and file)")
    parser.add_argument("--demo", action="store_true",
                        help="start the built-in PLC simulator and fake Odoo on loopback with a temporary "
                             "database and short intervals (combine with --headless for a windowless demo)")
    parser.add_argument("--plc-protocol", choices=("modbus", "fins-udp", "fins-tcp"), default=None,
                        help="with --demo: the protocol of the built-in PLC simulator and the link to it "
                             "(default modbus)")
    mode.add_argument("--overview", action="store_true",
                      help="open the plant overview: one tile per line sharing the database (DATABASE_URL), "
                           "read only, with no PLC or Odoo connection of its own")
    mode.add_argument("--self-check", action="store_true",
                      help="open or create the database, run migrations, load resources, print one line "
                           "per check and exit 0 only if all pass")
    parser.add_argument("--kiosk", action="store_true",
                        help="operator panel mode: the window fills the screen without a frame; "
                             "quitting asks for confirmation")
    parser.add_argument("--config", metavar="PATH",
                        help="settings file (default: ./settings.ini; in the packaged executable, when that is "
                             "missing, the per-user settings.ini; .env beside it is read too)")
    parser.add_argument("--sim", choices=("plc", "odoo"), metavar="{plc,odoo} ...",
                        help="run the PLC simulator or the fake Odoo alone instead of the application; "
                             "must come first, the simulator's own options follow (e.g. --sim plc --port 5020; "
                             "--sim plc --help lists them)")
    parser.add_argument("--flavor", choices=("grt_scada", "stock"), default="grt_scada",
                        help="with --demo: which fake Odoo to run (grt_scada addon, or stock Odoo; default grt_scada)")
    parser.add_argument("--odoo-version", type=int, choices=(16, 17, 18, 19), default=18,
                        help="with --demo --flavor stock: stock Odoo version (18: JSON-RPC, 19: JSON-2; default 18)")
    mode.add_argument("--report", metavar="RANGE",
                      help="write the production report and exit: this-shift, today, yesterday, last-7-days "
                           "(plant time, PLANT_TIMEZONE) or FROM..TO (e.g. 2026-11-01T06:00..2026-11-02T06:00; "
                           "whole dates include the last day: 2026-11-01..2026-11-30 is all of November)")
    parser.add_argument("--format", default="csv", metavar="{json,csv,xlsx,pdf}",
                        help="with --report: file format (default csv)")
    parser.add_argument("--out", metavar="FILE",
                        help="with --report: the file to write (default: standard output, for json and csv)")
    accounts = parser.add_argument_group("operator accounts (no window; the PIN is asked on the terminal)")
    accounts.add_argument("--add-operator", metavar="NAME",
                          help="create an operator account; asks the PIN twice on the terminal (never an argument)")
    accounts.add_argument("--role", choices=("operator", "supervisor", "engineer"), default="operator",
                          help="with --add-operator: the account's role (default operator)")
    accounts.add_argument("--list-operators", action="store_true", help="list the accounts with role and state")
    accounts.add_argument("--disable-operator", metavar="NAME", help="disable an account (kept for the audit trail)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser
