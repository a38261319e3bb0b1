"""The plant's clock now lives in the kernel (hmi.clock); this name stays for the admin API's import."""

from hmi.clock import PRESET_TEXT, PRESETS, PlantClock, TimeRange, os_zone, zone_name

__all__ = ["PRESETS", "PRESET_TEXT", "PlantClock", "TimeRange", "os_zone", "zone_name"]
