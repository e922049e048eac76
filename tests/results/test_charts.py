"""Charts: every label and number is HTML text, bars are SVGs without text, right-to-left, escaping, empty data."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspraak.results.charts import Bar, StackedRow, bar_chart, stacked_chart
from inspraak.results.privacy import Hidden

FEWER = "fewer than 10"


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def bars_html(bars, **kw):
    return bar_chart(bars, chart_id="q1", title="How do you rate the lift?", format_percent=percent,
                     hidden_label=FEWER, empty_label="No answers", **kw)


def stacked_html(rows, segments, **kw):
    return stacked_chart(rows, segments, chart_id="m1", title="Rate your rooms", format_percent=percent,
                         hidden_label=FEWER, empty_label="none", **kw)


def parse(html: str) -> ET.Element:
    """The chart's markup (well-formed, so the XML parser reads it) under one root."""
    return ET.fromstring(f"<div>{html}</div>")


def texts(root: ET.Element, css_class: str) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter() if css_class in (el.get("class") or "").split()]


def bars(root: ET.Element) -> list[ET.Element]:
    """The drawn rects of every bar (not the grey track behind them)."""
    return [rect for svg in root.iter("svg") if svg.get("class") == "chart-bar" for rect in svg.iter("rect")
            if rect.get("width") != "100%"]


def test_bar_chart_is_a_named_list_with_each_label_and_number_as_text():
    """Text in an SVG kept its 16 px when the reader doubled the text size, and did not wrap on a phone."""
    root = parse(bars_html([Bar("Good", Fraction(3, 4)), Bar("Bad", Fraction(1, 4))]))
    chart = root.find("ul")
    assert chart.get("class") == "chart" and chart.get("aria-label") == "How do you rate the lift?"
    assert [li.get("class") for li in chart] == ["chart-row", "chart-row"]
    assert texts(root, "chart-label") == ["Good", "Bad"]
    assert texts(root, "chart-value") == ["75%", "25%"]
    for svg in root.iter("svg"):  # the bars: drawn only, hidden from screen readers, nothing to read in them
        assert svg.get("aria-hidden") == "true"
        assert not list(svg.iter("text")) and not "".join(svg.itertext()).strip()


def test_numbers_are_isolated_from_the_label_around_them():
    root = parse(bars_html([Bar("نعم", 0.5)], rtl=True))
    (value,) = [el for el in root.iter("span") if el.get("class") == "chart-value"]
    assert value.find("bdi").text == "50%"


def test_bar_lengths_follow_the_shares_as_parts_of_the_row():
    root = parse(bars_html([Bar("A", 0.5), Bar("B", 0.25)]))
    assert [rect.get("width") for rect in bars(root)] == ["50.00%", "25.00%"]
    assert all(svg.get("viewBox") is None for svg in root.iter("svg"))  # stretched by CSS, never distorted


def test_hidden_share_gets_its_label_and_no_bar():
    root = parse(bars_html([Bar("Yes", 0.9), Bar("No", Hidden(10))]))
    assert len(list(root.iter("svg"))) == 1
    assert texts(root, "chart-value") == ["90%", FEWER]


def test_share_hidden_to_protect_another_is_not_called_small():
    root = parse(bars_html([Bar("Yes", Hidden(10, below_threshold=False)), Bar("No", Hidden(10))],
                           protected_label="hidden (protects a small group)"))
    assert texts(root, "chart-value") == ["hidden (protects a small group)", FEWER]


def test_right_to_left_bars_grow_from_the_right():
    (ltr,), (rtl,) = bars(parse(bars_html([Bar("نعم", 0.5)]))), bars(parse(bars_html([Bar("نعم", 0.25)], rtl=True)))
    assert ltr.get("x") == "0.00%" and ltr.get("width") == "50.00%"
    assert rtl.get("x") == "75.00%" and rtl.get("width") == "25.00%"


@pytest.mark.parametrize("hostile", ['<script>alert(1)</script>', 'a "quoted" & \'single\'', "]]><x/>"])
def test_hostile_labels_are_escaped(hostile):
    html = bar_chart([Bar(hostile, 0.5)], chart_id='x" onload="evil', title=hostile, format_percent=percent,
                     hidden_label=hostile, empty_label=hostile)
    root = parse(html)
    assert "<script" not in html
    assert root.find("ul").get("aria-label") == hostile
    assert texts(root, "chart-label") == [hostile]
    assert {el.tag for el in root.iter()} <= {"div", "ul", "li", "span", "bdi", "svg", "rect"}
    assert "onload" not in {attr for el in root.iter() for attr in el.attrib}


def test_no_style_attributes_or_scripts():
    root = parse(stacked_html([StackedRow("Lift", [0.2, 0.3, Hidden(10)])], ["Bad", "Fair", "Good"]))
    assert all("style" not in el.attrib for el in root.iter())
    assert not list(root.iter("script"))


def test_zero_respondents_render_an_empty_chart_with_its_label():
    root = parse(bars_html([]))
    assert "".join(root.itertext()) == "No answers"
    root = parse(bars_html([Bar("Yes", None), Bar("No", None)]))
    assert not list(root.iter("svg"))
    assert texts(root, "chart-value") == ["No answers", "No answers"]


def test_stacked_chart_writes_each_segment_as_text_beside_its_pattern():
    root = parse(stacked_html(
        [StackedRow("Kitchen", [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]),
         StackedRow("Bathroom", [0.6, Hidden(10), Hidden(10, False)])],
        ["Bad", "Fair", "Good"],
    ))
    patterns = [p.get("id") for p in root.iter("pattern")]
    assert patterns == ["m1-p0", "m1-p1", "m1-p2", "m1-hidden"]  # three segments and the hidden hatch
    assert texts(root, "chart-row-label") == ["Kitchen", "Bathroom"]
    assert texts(root, "chart-value") == ["50%", "25%", "25%", "60%", FEWER, FEWER]
    swatches = [svg.find("rect").get("fill") for svg in root.iter("svg") if svg.get("class") == "chart-swatch"]
    assert swatches == ["url(#m1-p0)", "url(#m1-p1)", "url(#m1-p2)"] * 2
    kitchen, bathroom = [svg for svg in root.iter("svg") if svg.get("class") == "chart-bar"]
    assert [r.get("fill") for r in kitchen.iter("rect")][1:] == ["url(#m1-p0)", "url(#m1-p1)", "url(#m1-p2)"]
    hatched = [r for r in bathroom.iter("rect") if r.get("fill") == "url(#m1-hidden)"]
    assert len(hatched) == 1 and hatched[0].get("width") == "40.00%"
    assert all(not "".join(svg.itertext()).strip() for svg in root.iter("svg"))


def test_stacked_chart_mirrors_in_rtl():
    rows = [StackedRow("A", [0.25, 0.75])]

    def first_segment(root):
        return next(r for r in root.iter("rect") if r.get("fill") == "url(#m1-p0)" and r.get("height") == "100%"
                    and r.get("width") != "100%")

    assert first_segment(parse(stacked_html(rows, ["x", "y"]))).get("x") == "0.00%"
    assert first_segment(parse(stacked_html(rows, ["x", "y"], rtl=True))).get("x") == "75.00%"


def test_shares_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError):
        bars_html([Bar("x", 1.5)])
    with pytest.raises(ValueError):
        stacked_html([StackedRow("r", [0.5])], ["a", "b"])


@settings(deadline=None)  # the machine is shared: timing is not what these test
@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.floats(0, 1), st.just(Hidden(10)))), max_size=8),
       st.booleans())
def test_any_labels_and_shares_give_well_formed_markup(items, rtl):
    root = parse(bars_html([Bar(label, share) for label, share in items], rtl=rtl))  # control characters are dropped
    if items:
        assert root.find("ul").get("aria-label") == "How do you rate the lift?"
        assert len(texts(root, "chart-value")) == len(items)
