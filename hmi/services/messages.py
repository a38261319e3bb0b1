"""Turning errors into the one line an operator reads (the function lives in the kernel, hmi.operator_text)."""

from __future__ import annotations

from hmi.operator_text import first_line

__all__ = ["first_line"]
