"""Turning errors into the one line an operator reads."""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """Driver errors carry the SQL and a help link on further lines; the first line says what happened."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
