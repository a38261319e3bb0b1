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
