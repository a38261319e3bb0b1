"""Who does things: the operator name recorded with actions (the OS user on the plant PC)."""

from __future__ import annotations

import getpass


def current_os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service contexts
        return "unknown"
