"""SVG charts: valid XML, a text alternative, right-to-left mirroring, escaping, empty data."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspraak.results.charts import FONT_SIZE, Bar, StackedRow, bar_chart, stacked_chart
from inspraak.results.privacy import Hidden

NS = {"svg": "http://www.w3.org/2000/svg"}
FEWER = "fewer than 10"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def bars_svg(bars, **kw):
    return bar_chart(bars, chart_id="q1", title="How do you rate the lift?", format_percent=percent,
                     hidden_label=FEWER, empty_label="No answers", **kw)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root):
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def rects(root):
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill", "").startswith(("#1", "url"))]


def test_bar_chart_has_role_title_and_a_description_with_every_number():
    root = parse(bars_svg([Bar("Good", Fraction(3, 4)), Bar("Bad", Fraction(1, 4))]))
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "How do you rate the lift?"
    assert root.find("svg:desc", NS).text == "Good: 75%; Bad: 25%"
    assert root.get("aria-labelledby") == "q1-title q1-desc"
    assert {"Good", "Bad", "75%", "25%"} <= set(texts(root))


def test_bar_lengths_follow_the_shares():
    root = parse(bars_svg([Bar("A", 0.5), Bar("B", 0.25)]))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_hidden_share_gets_its_label_and_no_bar():
    root = parse(bars_svg([Bar("Yes", 0.9), Bar("No", Hidden(10))]))
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 1
    assert FEWER in texts(root)
    assert "No: fewer than 10" in root.find("svg:desc", NS).text


def test_share_hidden_to_protect_another_is_not_called_small():
    svg = bars_svg([Bar("Yes", Hidden(10, below_threshold=False)), Bar("No", Hidden(10))],
                   protected_label="hidden (protects a small group)")
    assert "Yes: hidden (protects a small group)" in svg and "No: " + FEWER in svg
    assert "Yes: " + FEWER not in svg


def test_right_to_left_bars_grow_from_the_right():
    ltr = parse(bars_svg([Bar("نعم", 0.5)]))
    rtl = parse(bars_svg([Bar("نعم", 0.5)], rtl=True))
    assert rtl.get("direction") == "rtl"
    width = 640
    (l_rect,), (r_rect,) = list(ltr.iter("{http://www.w3.org/2000/svg}rect")), list(rtl.iter("{http://www.w3.org/2000/svg}rect"))
    assert float(l_rect.get("x")) == 8
    assert float(r_rect.get("x")) + float(r_rect.get("width")) == pytest.approx(width - 8)
    label = next(rtl.iter("{http://www.w3.org/2000/svg}text"))
    assert label.get("direction") == "rtl" and float(label.get("x")) == width - 8
    assert ltr.get("direction") is None


@pytest.mark.parametrize("hostile", ['<script>alert(1)</script>', 'a "quoted" & \'single\'', "]]><x/>"])
def test_hostile_labels_are_escaped(hostile):
    svg = bar_chart([Bar(hostile, 0.5)], chart_id='x" onload="evil', title=hostile, format_percent=percent,
                    hidden_label=hostile, empty_label=hostile)
    root = parse(svg)
    assert "<script" not in svg
    assert root.find("svg:title", NS).text == hostile
    assert hostile in texts(root)
    assert all(el.tag.startswith("{http://www.w3.org/2000/svg}") for el in root.iter())
    assert "onload" not in {attr for el in root.iter() for attr in el.attrib}


def test_no_style_attributes_or_scripts():
    svg = stacked_chart([StackedRow("Lift", [0.2, 0.3, Hidden(10)])], ["Bad", "Fair", "Good"], chart_id="s",
                        title="t", format_percent=percent, hidden_label=FEWER, empty_label="none")
    root = parse(svg)
    assert all("style" not in el.attrib for el in root.iter())
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


def test_zero_respondents_render_an_empty_chart_with_its_label():
    root = parse(bars_svg([]))
    assert "No answers" in texts(root)
    assert root.find("svg:desc", NS).text == "No answers"
    root = parse(bars_svg([Bar("Yes", None), Bar("No", None)]))
    assert not list(root.iter("{http://www.w3.org/2000/svg}rect"))
    assert texts(root).count("No answers") == 2


def test_stacked_chart_draws_segments_with_patterns_and_a_legend():
    svg = stacked_chart(
        [StackedRow("Kitchen", [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]),
         StackedRow("Bathroom", [0.6, Hidden(10), Hidden(10, False)])],
        ["Bad", "Fair", "Good"], chart_id="m1", title="Rate your rooms", format_percent=percent,
        hidden_label=FEWER, empty_label="none",
    )
    root = parse(svg)
    patterns = root.findall("svg:defs/svg:pattern", NS)
    assert len(patterns) == 4  # three segments and the hidden hatch
    assert {"Bad", "Fair", "Good", "Kitchen", "Bathroom", "50%", "60%"} <= set(texts(root))
    desc = root.find("svg:desc", NS).text
    assert "Bathroom: Bad: 60%, Fair: fewer than 10, Good: fewer than 10" in desc
    hatched = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == "url(#m1-hidden)"]
    assert len(hatched) == 1 and float(hatched[0].get("width")) == pytest.approx(624 * 0.4)


def test_stacked_chart_mirrors_in_rtl():
    rows = [StackedRow("A", [0.25, 0.75])]
    kw = dict(chart_id="m", title="t", format_percent=percent, hidden_label=FEWER, empty_label="none")
    ltr, rtl = parse(stacked_chart(rows, ["x", "y"], **kw)), parse(stacked_chart(rows, ["x", "y"], rtl=True, **kw))

    def first_segment(root):
        return next(r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == "url(#m-p0)"
                    and r.get("height") == "28")

    assert float(first_segment(ltr).get("x")) == 8
    seg = first_segment(rtl)
    assert float(seg.get("x")) + float(seg.get("width")) == pytest.approx(632)


def test_shares_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError):
        bars_svg([Bar("x", 1.5)])
    with pytest.raises(ValueError):
        stacked_chart([StackedRow("r", [0.5])], ["a", "b"], chart_id="c", title="t", format_percent=percent,
                      hidden_label=FEWER, empty_label="none")


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.floats(0, 1), st.just(Hidden(10)))), max_size=8),
       st.booleans())
def test_any_labels_and_shares_give_valid_svg(items, rtl):
    svg = bars_svg([Bar(label, share) for label, share in items], rtl=rtl)
    root = parse(svg)  # control characters, which XML cannot hold, are dropped
    assert root.find("svg:title", NS) is not None
    assert len(root.findall("svg:text", NS)) >= 2 * len(items)


def test_a_label_wider_than_the_chart_is_broken_into_lines_not_cut_off():
    """SVG text does not wrap: on a phone-wide chart a long label ran past the edge and was cut off."""
    label = "Eén keer per week schoonmaken door een bedrijf uit de buurt"
    hidden = "verborgen (beschermt een kleine groep)"
    root = parse(bars_svg([Bar(label, 0.5), Bar("Nee", Hidden(10, below_threshold=False))], width=328,
                          protected_label=hidden))
    lines = texts(root)
    assert " ".join(lines[:lines.index("50%")]) == label
    assert " ".join(lines[lines.index("Nee") + 1:]) == hidden
    assert all(len(line) * FONT_SIZE * 0.66 <= 328 - 16 for line in lines), lines
    ys = [float(t.get("y")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)  # one line under the other, none on top of another
    assert float(root.get("viewBox").split()[3]) > ys[-1]  # the chart is as tall as its lines


def test_a_no_break_space_keeps_its_words_on_one_line():
    root = parse(bars_svg([Bar("a\u00a0b " * 20, 0.5)], width=328))
    assert all(line.count("a\u00a0b") == line.count("a") for line in texts(root))
