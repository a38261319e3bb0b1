"""The window's language: English (the source text) or Bahasa Indonesia.

Every operator-facing text goes through ``tr()``; the Indonesian words live in
``resources/i18n/batch_hmi_id.ts`` (Qt Linguist source made with ``pyside6-lupdate`` over every
module of ``hmi/ui`` and filled from the word tables in ``tools/id_words/`` by
``python -m tools.id_words``; checked into git).
The compiled ``.qm`` is build output: ``make translations`` (and the bundle build, and the
test session) writes it beside the ``.ts``; when it is missing, it is compiled once into the
per-user cache with the ``pyside6-lrelease`` that ships in the PySide6-Essentials wheel.

Log records, system_log and the admin API stay English: they are the plant's record.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from hmi.operator_text import CONTEXT as OPERATOR_TEXT_CONTEXT
from hmi.operator_text import OperatorText
from hmi.resources import resources_dir

log = logging.getLogger("hmi.ui")

#: Each language in its own words (the menu shows them so).
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}
DOMAIN = "batch_hmi"

#: The window's modules: pyside6-lupdate reads every one of them (and so does the translation check).
UI_DIR = Path(__file__).resolve().parent

_installed: list[QTranslator] = []
_current = "en"


def translated_modules() -> list[str]:
    """For pyside6-lupdate (paths relative to ``UI_DIR``): every module of the window, and each module
    of the lower layers that marks operator sentences (hmi.operator_text) for translation."""
    window = sorted(path.name for path in UI_DIR.glob("*.py"))
    package = UI_DIR.parent
    marked = sorted(
        os.path.relpath(path, UI_DIR) for path in package.rglob("*.py")
        if path.parent != UI_DIR and path.name != "operator_text.py" and "migrations" not in path.parts
        and 'QT_TRANSLATE_NOOP("OperatorText"' in path.read_text(encoding="utf-8"))
    return window + marked


def localized(text: object) -> str:
    """A sentence from the lower layers in the window's language: an OperatorText's template is
    looked up (context "OperatorText") and filled with its values, themselves localized; anything
    else (a driver's own error text, a name) is shown as it is."""
    if isinstance(text, OperatorText):
        template = QCoreApplication.translate(OPERATOR_TEXT_CONTEXT, text.template)
        values = {key: localized(value) for key, value in text.values.items()}
        try:
            return template.format(**values) if values else template
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English
            log.warning("The translation of %r does not fit its values; shown in English", text.template)
            return str(text)
    return "" if text is None else str(text)


def ts_path(code: str) -> Path:
    return resources_dir() / "i18n" / f"{DOMAIN}_{code}.ts"


def _qt_tool(tool: str) -> Path:
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for name in (tool, f"{tool}.exe"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{tool} is not in the PySide6 package")


def lrelease_executable() -> Path:
    return _qt_tool("lrelease")


def lupdate_executable() -> Path:
    return _qt_tool("lupdate")


def compile_ts(ts: Path, qm: Path) -> Path:
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(lrelease_executable()), "-silent", str(ts), "-qm", str(qm)], check=True,
                   capture_output=True, timeout=60)
    return qm


def qm_path(code: str) -> Path | None:
    """The compiled translation: beside the .ts (build), else compiled into the per-user cache."""
    ts = ts_path(code)
    built = ts.with_suffix(".qm")
    # In the bundle the build compiled it (file times are the copy's, and there is no lrelease);
    # from source, a .qm older than its .ts is stale.
    frozen = getattr(sys, "frozen", False)
    if built.is_file() and (frozen or not ts.is_file() or built.stat().st_mtime >= ts.stat().st_mtime):
        return built
    if not ts.is_file():
        return None
    cached = Path(platformdirs.user_cache_dir("batch-hmi", appauthor=False)) / "translations" / built.name
    if cached.is_file() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    try:
        return compile_ts(ts, cached)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("The %s translation cannot be compiled (%s); the window stays in English", code, exc)
        return None


def current_language() -> str:
    return _current


def install_language(app: QApplication | None, code: str) -> str:
    """Switch every window to ``code`` now; unknown codes or a missing translation fall back to English."""
    global _current
    code = code if code in LANGUAGES else "en"
    app = app or QApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code != "en":
        path = qm_path(code)
        ours = QTranslator(app)
        if path is not None and ours.load(str(path)):
            app.installTranslator(ours)
            _installed.append(ours)
            # Qt's own buttons (OK, Cancel, Yes, No) in the same language, when the wheel has them.
            qt = QTranslator(app)
            if qt.load(QLocale(code), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                app.installTranslator(qt)
                _installed.append(qt)
        else:
            code = "en"
    _current = code
    if app is not None:
        QLocale.setDefault(QLocale(QLocale.Language.Indonesian if code == "id" else QLocale.Language.English))
    return code


if __name__ == "__main__":  # pragma: no cover - `python -m hmi.ui.i18n` = make translations
    for language in LANGUAGES:
        if language != "en" and ts_path(language).is_file():
            print(compile_ts(ts_path(language), ts_path(language).with_suffix(".qm")))
    sys.exit(0)
