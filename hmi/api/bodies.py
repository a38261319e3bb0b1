"""The admin API's request bodies, read strictly, and the sentence that says why one was refused."""

# Strict means JSON types are taken at their word: a boolean is true/false (not "yes", not 1), a
# number is a JSON number (a whole number such as 5 is accepted where a decimal is expected, "5" is
# not; NaN and Infinity are not), a text is a JSON string, a list a JSON array, and a key the body
# does not know is refused rather than ignored. A refused request answers HTTP 422
# {"status": "error", "message": ...} (create_app's handler) and changes nothing.

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from hmi.services.alarms import MAX_SHELF_MINUTES

STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class StrictBody(BaseModel):
    """A JSON object body: strict types, unknown keys refused."""

    model_config = STRICT


class SchedulerRequest(StrictBody):
    enabled: bool


class ClearRequest(StrictBody):
    #: The operator says the PLC was reset: cleared MOs that never started dosing are released.
    plc_was_reset: bool = False
    #: The batches the caller was shown (batch-status); when the table holds others now, 409 and nothing cleared.
    mo_ids: list[str] | None = None


class ReleaseRequest(StrictBody):
    mo_ids: list[str]
    reason: str


class BookedRequest(StrictBody):
    #: The ids of ``GET /api/admin/dosed-bookings`` rows a person booked in Odoo.
    ids: list[int]


class ConfirmRequest(StrictBody):
    #: What the scale showed, in kg (a JSON number; the window reads typed text, the API does not).
    weighed_kg: float | None = None
    #: True: the scale showed exactly the target.
    accept_target: bool = False


class ShelveRequest(StrictBody):
    minutes: float = Field(gt=0, le=MAX_SHELF_MINUTES)
    reason: str


class ToleranceEntry(StrictBody):
    silo: str
    kg: float | None = Field(default=None, ge=0)
    percent: float | None = Field(default=None, ge=0)


# -- the refusal in words ---------------------------------------------------------------------

_KINDS = {
    "bool_type": "must be true or false (a JSON boolean)",
    "bool_parsing": "must be true or false",
    "float_type": "must be a number (a JSON number)",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number (a JSON number)",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "finite_number": "must be a finite number",
    "string_type": "must be a text (a JSON string)",
    "list_type": "must be a list (a JSON array)",
    "model_type": "must be an object (a JSON object)",
    "model_attributes_type": "must be an object (a JSON object)",
    "dict_type": "must be an object (a JSON object)",
    "missing": "is required",
}
_BOUNDS = {"greater_than": ("gt", "greater than"), "greater_than_equal": ("ge", "at least"),
           "less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}
_SHOWN_CHARACTERS = 60


def _shown(value: Any) -> str:
    """A refused value as the caller sent it (JSON), cut short."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS - 1] + "…"


def _field(source: str, path: tuple[Any, ...]) -> str:
    """('body', 0, 'kg') -> 'kg of entry 1'; ('body', 'mo_ids', 1) -> 'entry 2 of mo_ids';
    ('query', 'limit') -> 'query parameter limit'; ('path', 'product_id') -> 'product_id in the path'."""
    words = [f"entry {part + 1}" if isinstance(part, int) else str(part) for part in reversed(path)]
    name = " of ".join(words)
    if source == "query":
        return f"query parameter {name}"
    if source == "path":
        return f"{name} in the path"
    if source == "header":
        return f"header {name}"
    return name


def _describe(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    source, *rest = tuple(error.get("loc") or ("body",))
    ctx = error.get("ctx") or {}
    if kind == "json_invalid":
        at = f" (at character {rest[0]})" if rest and isinstance(rest[0], int) else ""
        return f"the body is not JSON: {ctx.get('error', 'it cannot be read')}{at}"
    path = tuple(rest)
    if kind == "extra_forbidden":
        where = f" in {_field(source, path[:-1])}" if path[:-1] else ""
        return f"unknown field {json.dumps(str(path[-1]) if path else '')}{where}"
    value = error.get("input")
    if source == "body" and not path:  # the body as a whole
        if isinstance(value, (bytes, bytearray)):
            return "the body must be JSON, sent with Content-Type: application/json"
        if kind == "missing":
            return "the request needs a JSON body"
        return f"the body {_KINDS.get(kind, _fallback(error))}, not {_shown(value)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        what = f"must be {words} {ctx.get(key):g}" if isinstance(ctx.get(key), (int, float)) else _fallback(error)
    else:
        what = _KINDS.get(kind) or _fallback(error)
    shown = "" if kind == "missing" else f", not {_shown(value)}"
    return f"{_field(source, path)}: {what}{shown}"


def _fallback(error: Mapping[str, Any]) -> str:
    """pydantic's own words, turned to read after the field name ('Input should be x' -> 'must be x')."""
    message = str(error.get("msg") or "is not valid")
    if message.startswith("Input should be"):
        return "must be" + message[len("Input should be"):]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return message[:1].lower() + message[1:]


def refusal_message(errors: Iterable[Mapping[str, Any]]) -> str:
    """One English sentence for pydantic's error list, each naming its field: 'plc_was_reset: must be
    true or false (a JSON boolean), not "yes"'; several are joined with '; '."""
    parts: list[str] = []
    for error in errors:
        text = _describe(error)
        if text not in parts:
            parts.append(text)
    return "; ".join(parts) or "the request is not valid"


async def json_of(request: Request) -> Any:
    """The request body as JSON, for a route that checks it itself (an empty body reads as null);
    a body that is not JSON is refused as every other route refuses it."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        position = getattr(exc, "pos", None)
        reason = getattr(exc, "msg", None) or str(exc)
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body", position) if position is not None
                                       else ("body",), "msg": "JSON decode error", "input": {},
                                       "ctx": {"error": reason}}]) from None


__all__ = ["ClearRequest", "ConfirmRequest", "ReleaseRequest", "STRICT", "SchedulerRequest", "ShelveRequest",
           "StrictBody", "ToleranceEntry", "json_of", "refusal_message"]
