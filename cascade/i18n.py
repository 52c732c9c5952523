"""The interface language: gettext catalogues, English msgids, Vietnamese in `locale/vi`.

`cascade/locale/vi/LC_MESSAGES/cascade.po` is the source; the `.mo` beside it is compiled from it with
`msgfmt` (Debian `gettext`; `scripts/locale.sh` extracts, merges and compiles) and shipped as package
data. The language is chosen by `set_language("vi"|"en")` (the CLI's `--lang`), else by the
environment (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, in that order, as gettext reads them).
`_()` looks the current language up at call time, so views translate when they render.
"""
from __future__ import annotations

import gettext as _gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

DOMAIN = "cascade"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "en"

_state = {"lang": DEFAULT, "tr": _gettext.NullTranslations()}


def from_environment(environ=None) -> str:
    """The language the environment asks for: the first of LANGUAGE (a list), LC_ALL,
    LC_MESSAGES, LANG that is set; `vi_VN.UTF-8` → vi; C, POSIX or anything else → en."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for part in value.split(":"):
            code = part.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if var != "LANGUAGE":       # LANGUAGE may list only languages we lack: go on to the locale
            return DEFAULT
    return DEFAULT


def from_argv(argv: Sequence[str]) -> Optional[str]:
    """The value of `--lang X` / `--lang=X` on a command line (help text is built before options
    are parsed, so the CLI reads it first); None when absent."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def set_language(lang: Optional[str] = None, libraries: bool = False) -> str:
    """Use `lang` (vi or en; None: the environment's) from now on; ValueError for another value.
    `libraries`: click's and typer's own strings (Usage, Options, their errors) follow it too — they
    call gettext's global domain, which reads the language from the environment, so the CLI's
    process sets LANGUAGE."""
    lang = (lang or from_environment()).strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _state["lang"] = lang
    _state["tr"] = translator(lang)
    if libraries:
        _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
        _gettext.textdomain(DOMAIN)
        os.environ["LANGUAGE"] = lang
    return lang


@lru_cache(maxsize=None)
def translator(lang: str) -> _gettext.NullTranslations:
    """The catalogue of one language, whatever the interface's (an HTML report in English from a
    Vietnamese terminal)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def language() -> str:
    return _state["lang"]


def _(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    return _state["tr"].gettext(message)


def N_(message: str) -> str:
    """Marks a msgid for the catalogue without translating it (strings other code translates)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state["tr"].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in a context, for a word that translates differently in two places
    (the level "province" is `tỉnh`; the column "province" is `tỉnh/thành`)."""
    return _state["tr"].pgettext(context, message)


def level_name(level: Optional[str]) -> str:
    """The one name of a level shown everywhere (tree, docs, show): `tỉnh` / `province`."""
    names = {"central": pgettext("level", "central"), "province": pgettext("level", "province"),
             "district": pgettext("level", "district"), "commune": pgettext("level", "commune")}
    return names.get(level or "", level or "")
