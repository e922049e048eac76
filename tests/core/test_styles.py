"""Phone layout rules in site.css that a screenshot review at 360 px found missing."""
from __future__ import annotations

import re
from pathlib import Path

import inspraak

SITE_CSS = Path(inspraak.__file__).parent / "static" / "css" / "site.css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _declarations(selector: str) -> dict[str, str]:
    """Every declaration for exactly this selector (outside media queries), later rules winning."""
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text(encoding="utf-8"), flags=re.S)
    found: dict[str, str] = {}
    for selectors, body in RULE.findall(css):
        if selector in (s.strip() for s in selectors.split(",")):
            for declaration in body.split(";"):
                if ":" in declaration:
                    name, value = declaration.split(":", 1)
                    found[name.strip()] = value.strip()
    return found


def test_a_table_caption_starts_where_the_text_starts():
    """Centred over a table wider than the phone, the caption's start was scrolled out of sight."""
    assert _declarations("caption")["text-align"] == "start"


def test_the_caption_of_a_scrolling_table_stays_in_view_and_wraps():
    rule = _declarations(".table-scroll caption")
    assert rule["position"] == "sticky" and rule["inset-inline-start"] == "0"
    assert "100vw" in rule["max-width"]


def test_a_long_choice_wraps_beside_its_button_not_under_it():
    """Radio buttons, checkboxes and ranking selects keep their own column; the label's lines align."""
    assert _declarations(".choices li")["display"] == "flex"
    assert _declarations(".choices li > label")["flex"] == "1 1 0"
    assert _declarations(".choices .other-text")["flex-basis"] == "100%"  # the "other, namely" box on its own line


def test_legends_line_up_with_labels():
    """Browsers pad a legend by 2 px: a choice question stood out of line with a text question."""
    assert _declarations("legend")["padding-inline"] == "0"


def test_a_card_starts_with_its_first_line_whatever_its_heading_level():
    """Motion boxes start with an h4: only an h2 lost its top margin, leaving a gap above 'Motion'."""
    assert _declarations(".card > :first-child")["margin-block-start"] == "0"


def test_the_number_field_is_narrow():
    """`.input-number` alone lost to `input[type="text"]` (more specific): the number field was full width."""
    assert _declarations("input.input-number")["max-width"] == "12rem"


def test_a_condition_rule_fits_a_phone():
    """The rules of a condition (question and test lists) share a line when they fit, take one each on a 360 px
    phone, and a list is never wider than its line; the questions stand in full above them, wrapping."""
    assert _declarations(".rule-row > .field")["min-width"] == "0"
    assert _declarations(".rule-row select")["max-width"] == "100%"
    assert _declarations(".earlier-questions")["overflow-wrap"] == "anywhere"
