"""Takes over saved settings that can change without a restart (the Settings dialog's Save)."""

from __future__ import annotations

import dataclasses

from hmi.services.settings_editor import SavedChange, spec_of


def apply_at_runtime(runtime, scheduler, saved: SavedChange, actor: str) -> None:
    """Take over what can change without a restart (see hmi.services.settings_editor.APPLIED_AT_RUNTIME)."""
    new = saved.settings
    applied = {}
    for env in saved.applied_now:
        attr = spec_of(env).attr
        applied[attr] = getattr(new, attr)
    if not applied:
        return
    if "sync_interval_minutes" in applied or "plc_poll_interval_seconds" in applied:
        scheduler.set_intervals(new.sync_interval_minutes, new.plc_poll_interval_seconds, actor)
    if "enable_auto_sync" in applied:
        scheduler.set_auto_sync_enabled(new.enable_auto_sync, actor)
    if "sync_batch_limit" in applied and runtime.sync is not None:
        limit = new.sync_batch_limit
        if runtime.plc is not None:
            limit = min(limit, runtime.plc.slot_count)
        runtime.sync.batch_limit = limit
    runtime.settings = dataclasses.replace(runtime.settings, **applied)
