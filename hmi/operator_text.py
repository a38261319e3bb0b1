"""Sentences the lower layers write for the operator, which the window shows in its language.

A service or adapter that composes a sentence an operator reads (a Test button's answer, why an
action was refused) returns an ``OperatorText``: a plain English ``str`` — so logs, ``system_log``
and the admin API, which stay English, use it as any string — that also remembers its template
and values. The window (``hmi.ui.i18n.localized``) looks the template up in the Indonesian
translation and fills in the same values. Qt stays out of these layers: ``QT_TRANSLATE_NOOP``
here is only the marker ``pyside6-lupdate`` reads to collect the template (context "OperatorText").

    raise ActionRefused(OperatorText(QT_TRANSLATE_NOOP("OperatorText", "MO {mo} is not in the batch table"),
                                     mo=mo_id))
"""

from __future__ import annotations

import json
from typing import Any

CONTEXT = "OperatorText"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for translation; returns it unchanged (the window translates it when shown)."""
    return text


class OperatorText(str):
    """An English sentence (the ``str`` itself) with its template and values for the window."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> "OperatorText":
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def __reduce__(self):  # pickles (and copies) as the same sentence
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, Any]) -> OperatorText:
    return OperatorText(template, **values)


def joined(parts: list, separator: str) -> OperatorText:
    """Sentences joined with ``separator``, each still shown in the window's language (the joining
    template holds only placeholders and the separator, so it needs no translation)."""
    names = [f"p{i}" for i in range(len(parts))]
    return OperatorText(separator.join("{" + name + "}" for name in names), **dict(zip(names, parts)))


# ---------------------------------------------------------------- stored sentences (the alarms table)

_NESTED = "__text__"


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: a nested sentence as {"__text__": template, "values": {...}}."""
    if isinstance(value, OperatorText):
        return {_NESTED: value.template, "values": {key: _plain(v) for key, v in value.values.items()}}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _revive(value: Any) -> Any:
    if isinstance(value, dict) and _NESTED in value:
        return OperatorText(value[_NESTED], **{key: _revive(v) for key, v in (value.get("values") or {}).items()})
    return value


def stored_parts(text: str) -> tuple[str | None, str | None]:
    """(template, values as JSON) to store beside the English of ``text``; (None, None) for a plain str."""
    if not isinstance(text, OperatorText):
        return None, None
    return text.template, json.dumps({key: _plain(v) for key, v in text.values.items()}, ensure_ascii=False)


def from_stored(message: str, template: str | None, values: str | None) -> str:
    """The sentence stored as ``stored_parts`` wrote it; the stored English when there is no template
    (or the stored parts no longer make the same sentence)."""
    if not template:
        return message
    try:
        text = OperatorText(template, **{key: _revive(v) for key, v in json.loads(values or "{}").items()})
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return message
    return text if str(text) == message else message


def first_line(error: BaseException | str) -> str:
    """The one line an operator reads of an error: its first line of text.

    Driver errors carry the SQL and a help link on further lines; the first line says what
    happened. An exception without text gives its class name; an empty string gives "".
    """
    text = str(error).strip()
    if text:
        return text.splitlines()[0]
    return type(error).__name__ if isinstance(error, BaseException) else ""
