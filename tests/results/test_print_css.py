"""Printed pages: a normal margin everywhere, no margin only for letters, tables not clipped."""
from __future__ import annotations

import re
from pathlib import Path

import inspraak

PRINT_CSS = (Path(inspraak.__file__).parent / "static" / "css" / "print.css").read_text(encoding="utf-8")


def _rule(selector: str) -> str:
    match = re.search(r"(?:^|\n)" + re.escape(selector) + r"\s*\{([^}]*)\}", PRINT_CSS)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_pages_have_a_margin_and_only_letters_print_edge_to_edge():
    assert re.search(r"margin:\s*1\dmm", _rule("@page"))
    assert re.search(r"margin:\s*0", _rule("@page letter"))
    assert "page: letter" in _rule(".letter")
    assert "padding" not in _rule("main.wrap")
    assert re.search(r"padding:\s*0", _rule("main.wrap:has(.letter)"))


def test_results_tables_are_not_clipped_on_paper():
    assert "overflow: visible" in _rule(".table-scroll")
