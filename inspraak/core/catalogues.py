"""Checks of the translation catalogues: a stale template, and untranslated or fuzzy entries."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
# The same keywords `make translations` passes to pybabel: its defaults (_, gettext, N_ …) and ours.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "_n": (1, 2), "lazy_ngettext": (1, 2)}
METHOD_MAP = [
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]


def _key(message_id: str | tuple, context: str | None) -> tuple:
    first = message_id[0] if isinstance(message_id, (tuple, list)) else message_id
    return (context, first)


def _walk_into(path: str) -> bool:
    """Scan every folder but hidden ones and caches (templates/_macros holds strings too)."""
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def extracted_ids() -> set[tuple]:
    """Every message id in the source code and templates right now."""
    options = {"**/templates/**.html": {"trimmed": "true"}, "**/templates/**.txt": {"trimmed": "true"}}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "inspraak"), METHOD_MAP, options_map=options, keywords=KEYWORDS, directory_filter=_walk_into
    ):
        found.add(_key(message, context))
    return found


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def template_ids() -> set[tuple]:
    catalogue = read_catalogue(TRANSLATIONS / "messages.pot")
    return {_key(m.id, m.context) for m in catalogue if m.id}


def catalogue_gaps(language: str) -> dict[str, list[str]]:
    """Entries of one language that are missing, untranslated or fuzzy."""
    catalogue = read_catalogue(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    wanted = template_ids()
    have = {_key(m.id, m.context): m for m in catalogue if m.id}
    missing = sorted(str(k[1]) for k in wanted - set(have))
    untranslated, fuzzy = [], []
    for key, message in have.items():
        if key not in wanted:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if not all(strings):
            untranslated.append(str(key[1]))
        if message.fuzzy:
            fuzzy.append(str(key[1]))
    return {"missing": missing, "untranslated": sorted(untranslated), "fuzzy": sorted(fuzzy)}


def main() -> int:
    from config import Config

    problems = 0
    for language in Config.LANGUAGES:
        gaps = catalogue_gaps(language)
        count = sum(len(v) for v in gaps.values())
        problems += count
        print(f"{language}: {len(gaps['missing'])} missing, {len(gaps['untranslated'])} untranslated, {len(gaps['fuzzy'])} fuzzy")
    return 1 if problems and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
