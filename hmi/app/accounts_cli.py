"""``--add-operator NAME --role R``, ``--list-operators``, ``--disable-operator NAME`` (no window).

The PIN is read twice from the terminal without echo (getpass), never from the command line,
where it would stay in the shell history and the process list. The actor recorded is the OS
user at the terminal ("cli:<user>").
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
from typing import Callable

from hmi.config import Settings
from hmi.services.access import Role
from hmi.services.audit import current_os_user
from hmi.services.operators import AccountError, OperatorService, check_pin
from hmi.store import DbRunner, create_database_engine, migrate
from hmi.store.database import DatabaseError
from hmi.store.log_writer import SystemLogHandler
from hmi.store.operators import OperatorStore
from hmi.store.log_records import LogRecordStore

EXIT_OK, EXIT_FAILURE = 0, 1


def ask_pin_twice(ask: Callable[[str], str] = getpass.getpass) -> str:
    for _ in range(3):
        pin = ask("PIN (at least 4 digits): ")
        try:
            check_pin(pin)
        except AccountError as exc:
            print(str(exc), file=sys.stderr)
            continue
        if ask("PIN again: ") == pin:
            return pin
        print("The two PINs differ; try again.", file=sys.stderr)
    raise AccountError("no PIN set")


def run_accounts_command(args, settings: Settings, ask: Callable[[str], str] = getpass.getpass) -> int:
    actor = f"cli:{current_os_user()}"
    try:
        engine = create_database_engine(settings.resolved_database_url,
                                        connect_timeout=settings.database_connect_timeout_seconds)
        migrate(engine)
    except DatabaseError as exc:
        print(f"Batch HMI: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    handler = SystemLogHandler(LogRecordStore(engine))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    db = DbRunner()
    service = OperatorService(OperatorStore(engine), db)
    try:
        if args.add_operator:
            pin = ask_pin_twice(ask)
            operator = asyncio.run(service.add(args.add_operator, Role.parse(args.role), pin, actor))
            print(f"Operator {operator.name} ({operator.role.label}) created")
        elif args.disable_operator:
            asyncio.run(service.set_active(args.disable_operator, False, actor))
            print(f"Operator {args.disable_operator} disabled")
        else:
            rows = asyncio.run(service.list())
            if not rows:
                print("No operator accounts yet (add one: --add-operator NAME --role engineer)")
            for op in rows:
                print(f"{op.name:<24} {op.role.label:<11} {'active' if op.active else 'disabled'}")
        return EXIT_OK
    except AccountError as exc:
        print(f"Batch HMI: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        root.removeHandler(handler)
        handler.request_stop()
        handler.close(timeout=2)
        asyncio.run(db.stop(grace=1))
        engine.dispose()
