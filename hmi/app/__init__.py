"""Composition root: parse the command line, load settings, run the GUI, the service or a check.

Only this package and hmi.ui import Qt.
"""

from __future__ import annotations

import logging
import sys

from hmi.app.cli import build_parser

# Everything else is imported once the command line is parsed: `--version` and `--help` answer
# without loading the database, API and Qt stacks (packaged: well under a second).

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

log = logging.getLogger("hmi.app")


SIMULATORS = ("plc", "odoo")


def run_simulator(argv: list[str]) -> int:
    """``--sim plc|odoo [options]``: a simulator alone, as ``python -m hmi.sim.plc`` does.

    A bundled executable has no ``python -m``, so the simulators are reached through it.
    """
    if not argv or argv[0] not in SIMULATORS:
        print(f"usage: batch-hmi --sim {{{','.join(SIMULATORS)}}} [options]  (--sim plc --help lists them)",
              file=sys.stderr)
        return EXIT_USAGE
    if argv[0] == "plc":
        from hmi.sim.plc import main as simulator_main
    else:
        from hmi.sim.odoo import main as simulator_main
    return simulator_main(argv[1:])


def _one_line_usage_error(message: str) -> None:
    print(f"batch-hmi: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--sim"]:
        return run_simulator(argv[1:])
    parser = build_parser()
    if "--report" in argv:
        parser.error = _one_line_usage_error  # type: ignore[method-assign]  # scripts read one line
    args = parser.parse_args(argv)
    if args.sim is not None:
        parser.error("--sim must be the first option: batch-hmi --sim plc|odoo [simulator options]")
    if args.kiosk and (args.headless or args.self_check or args.overview):
        parser.error("--kiosk is a window option; it cannot be combined with --headless, --self-check or --overview")
    if args.plc_protocol and not args.demo:
        parser.error("--plc-protocol goes with --demo (otherwise set PLC_PROTOCOL in settings.ini)")
    from hmi.app.logging_setup import configure_console_and_file
    from hmi.app.process_exit import exit_abandoning_lingering_calls
    from hmi.app.startup_errors import STARTUP_ERRORS, describe_startup_error
    from hmi.config import SettingsError, load_settings

    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.report is not None:
        if args.demo or args.kiosk:
            _one_line_usage_error("--report cannot be combined with --demo or --kiosk")
        from hmi.app.report_cli import run_report

        return run_report(settings, args.report, args.format, args.out)
    if args.add_operator or args.list_operators or args.disable_operator:
        from hmi.app.accounts_cli import run_accounts_command

        return run_accounts_command(args, settings)
    demo = None
    if args.demo:
        from hmi.app.demo import DemoEnvironment

        demo = DemoEnvironment(settings, flavor=args.flavor, odoo_version=args.odoo_version,
                               plc_protocol=args.plc_protocol or "modbus")
        settings = demo.settings
    configure_console_and_file(settings.log_level, settings.log_path)
    if settings.data_dir_warning:
        log.warning("%s", settings.data_dir_warning)
    try:
        if args.self_check:
            from hmi.app.self_check import run_self_check

            return run_self_check(settings)
        if args.overview:
            from hmi.app.overview import run_overview

            return exit_abandoning_lingering_calls(run_overview(settings))
        if args.headless:
            from hmi.app.headless import run_headless

            code = run_headless(settings, demo)
        else:
            from hmi.app.gui import run_gui

            code = run_gui(settings, demo, kiosk=args.kiosk)
    except STARTUP_ERRORS as exc:
        # What failed first, in one line; the details after it; "stopped" last.
        failure = describe_startup_error(exc, settings.resolved_database_url)
        log.error("%s", failure.headline)
        for line in failure.details:
            log.error("  %s", line)
        code = EXIT_FAILURE
    log.info("Batch HMI stopped")
    # A database or Odoo call abandoned at stop would keep the interpreter waiting at exit.
    return exit_abandoning_lingering_calls(code)


__all__ = ["main"]
