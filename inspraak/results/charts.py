"""Server-rendered charts: HTML text with bars drawn by small SVGs, no JavaScript, no inline styles.

Every label, number and percentage is HTML text laid out by the page's CSS (``site.css``,
``.chart``), so it grows when the reader enlarges the text, wraps on a narrow phone and
takes the page's direction; the SVGs only draw the bars (no text inside, ``aria-hidden``).
Text drawn inside an SVG did none of that: at 200 % text it stayed 16 px and did not wrap.
Pages show a data table beside each chart as its text alternative. Only presentation
attributes are used in the SVGs (``fill`` …), which the Content-Security-Policy allows where
``style`` is not. Numbers arrive already formatted by the caller (Babel in the reader's
locale) and sit in ``<bdi>``, so a percentage keeps its sign where it belongs in Arabic;
every text is escaped here. Hidden (suppressed) numbers get no bar, only their label
("fewer than 10"). In right-to-left languages bars grow from the right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence, Union
from xml.sax.saxutils import escape, quoteattr

from .privacy import Hidden

ShareValue = Union[Fraction, float, int, Hidden, None]
Formatter = Callable[[float], str]

# Dark, high-contrast fills (each ≥ 4.5:1 against white and against the white page; bars need 3:1),
# each paired with its own pattern so segments differ without colour.
PALETTE = ("#1d3f6e", "#8a3b00", "#24592b", "#5c2a6e", "#6b4e00", "#1f5d63", "#7a1f3d", "#3d3d3d")
PATTERNS = ("solid", "stripes", "dots", "cross", "back-stripes", "grid", "waves", "checks")
HIDDEN_FILL = "#ffffff"
# The empty part of a bar's track: a light grey that shows how long a whole bar would be. It carries no
# information of its own (the bar and its percentage do), so it needs no 3:1.
TRACK_FILL = "#e4e7ea"
# A bar is drawn in a 100 × 1 box stretched to the width of its row (CSS), so its length is the share in percent.
TRACK = 100

@dataclass(frozen=True)
class Bar:
    """One option: its label and its share (0…1), or a :class:`Hidden` marker."""

    label: str
    share: ShareValue


@dataclass(frozen=True)
class StackedRow:
    """One scale item or matrix row: shares per segment, in the order of the segment labels."""

    label: str
    shares: Sequence[ShareValue]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    """Escaped for XML text, without the control characters XML cannot hold."""
    return escape(_NOT_XML.sub("", text))


def _id(raw: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", raw)
    return cleaned if cleaned[:1].isalpha() else f"c-{cleaned}"


def _share(value: ShareValue) -> float | None:
    if value is None or isinstance(value, Hidden):
        return None
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError(f"a share lies between 0 and 1, not {value!r}")
    return number


def _bar(pieces: Sequence[tuple[float, str]], *, rtl: bool) -> str:
    """A bar with no text in it: ``pieces`` of (share, fill) laid end to end from the start of a grey track.

    Lengths are percentages of the SVG's width, which the page's CSS stretches over its row: no viewBox, so a
    pattern is not distorted however wide the phone. Right to left, the first piece starts at the right.
    """
    rects = [f'<rect width="100%" height="100%" fill="{TRACK_FILL}"/>']
    position = 0.0
    for share, fill in pieces:
        length = TRACK * share
        if length <= 0:
            continue
        x = TRACK - position - length if rtl else position
        rects.append(f'<rect x="{x:.2f}%" width="{length:.2f}%" height="100%" fill={quoteattr(fill)}'
                     ' stroke="#ffffff" stroke-width="1"/>')
        position += length
    return ('<svg class="chart-bar" width="100%" height="24" aria-hidden="true">'
            + "".join(rects) + "</svg>")


def _swatch(fill: str) -> str:
    return ('<svg class="chart-swatch" width="18" height="18" aria-hidden="true">'
            f'<rect width="100%" height="100%" fill={quoteattr(fill)} stroke="#1a1a1a" stroke-width="2"/></svg>')


def _value_text(value: ShareValue, format_percent: Formatter, hidden_label: str, empty_label: str,
                protected_label: str | None = None) -> str:
    if isinstance(value, Hidden):
        return hidden_label if value.below_threshold or protected_label is None else protected_label
    number = _share(value)
    return empty_label if number is None else format_percent(number)


def _value(text: str) -> str:
    # bdi: the number is isolated from the label around it ("34%" stays "34%" in an Arabic line).
    return f'<span class="chart-value"><bdi>{_escape(text)}</bdi></span>'


def _chart(cid: str, title: str, rows: list[str], empty_label: str, extra_class: str = "", defs: str = "") -> str:
    if not rows:
        return f'<p class="chart chart-empty" id="{cid}">{_escape(empty_label)}</p>'
    return (defs + f'<ul class="chart{extra_class}" id="{cid}" aria-label={quoteattr(_NOT_XML.sub("", title))}>'
            + "".join(rows) + "</ul>")


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    format_percent: Formatter,
    hidden_label: str,
    empty_label: str,
    rtl: bool = False,
    protected_label: str | None = None,
) -> str:
    """A list of options, each its label and percentage as text, with a bar of its share below them.

    Args:
        bars: options in display order.
        chart_id: unique on the page (the list's id).
        title: what the chart shows (the question): the list's accessible name.
        format_percent: 0.25 → "25%" in the reader's locale.
        hidden_label: the text for a hidden share ("fewer than 10").
        empty_label: the text when there is no share (nobody answered).
        rtl: right-to-left page: bars grow from the right (the text follows the page's direction).
        protected_label: the text for a share hidden to protect another cell (it is not small,
            so "fewer than 10" would not be true); ``hidden_label`` when not given.
    """
    rows = []
    for bar in bars:
        share = _share(bar.share)
        text = _value_text(bar.share, format_percent, hidden_label, empty_label, protected_label)
        drawn = _bar([(share, PALETTE[0])], rtl=rtl) if share is not None else ""
        rows.append(f'<li class="chart-row"><span class="chart-label">{_escape(bar.label)}</span> '
                    f"{_value(text)}{drawn}</li>")
    return _chart(_id(chart_id), title, rows, empty_label)


def _pattern_defs(cid: str, count: int) -> str:
    """The segments' patterns, in an SVG of no size that the bars and swatches of the chart refer to."""
    defs = []
    for i in range(count):
        colour, kind = PALETTE[i % len(PALETTE)], PATTERNS[i % len(PATTERNS)]
        mark = {
            "solid": "",
            "stripes": '<path d="M0 8 L8 0" stroke="#ffffff" stroke-width="2"/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
            "cross": '<path d="M0 8 L8 0 M0 0 L8 8" stroke="#ffffff" stroke-width="1.5"/>',
            "back-stripes": '<path d="M0 0 L8 8" stroke="#ffffff" stroke-width="2"/>',
            "grid": '<path d="M4 0 V8 M0 4 H8" stroke="#ffffff" stroke-width="1.5"/>',
            "waves": '<path d="M0 6 Q2 2 4 6 T8 6" stroke="#ffffff" stroke-width="1.5" fill="none"/>',
            "checks": '<rect x="0" y="0" width="4" height="4" fill="#ffffff" fill-opacity="0.5"/>',
        }[kind]
        defs.append(
            f'<pattern id="{cid}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{mark}</pattern>'
        )
    defs.append(
        f'<pattern id="{cid}-hidden" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{HIDDEN_FILL}"/>'
        f'<path d="M0 8 L8 0" stroke="#595959" stroke-width="1"/></pattern>'
    )
    return ('<svg class="chart-defs" width="0" height="0" aria-hidden="true"><defs>'
            + "".join(defs) + "</defs></svg>")


def stacked_chart(
    rows: Sequence[StackedRow],
    segments: Sequence[str],
    *,
    chart_id: str,
    title: str,
    format_percent: Formatter,
    hidden_label: str,
    empty_label: str,
    rtl: bool = False,
) -> str:
    """One stacked bar per row (scale items, matrix rows), segments in the order of ``segments``.

    Each row is its label, the bar, and a list of its segments as text (a swatch, the segment's
    label and its percentage). Each segment has its own colour *and* pattern, the same in the
    swatch and the bar. Hidden shares are drawn together as one hatched white segment (their sum
    is the rest of the bar, which readers can work out anyway).
    """
    cid = _id(chart_id)
    items = []
    for row in rows:
        if len(row.shares) != len(segments):
            raise ValueError(f"row {row.label!r} has {len(row.shares)} shares for {len(segments)} segments")
        visible = [(i, _share(s)) for i, s in enumerate(row.shares) if not isinstance(s, Hidden)]
        hidden_count = len(row.shares) - len(visible)
        pieces = [(v or 0.0, f"url(#{cid}-p{i})") for i, v in visible]
        if hidden_count:
            pieces.append((max(0.0, 1.0 - sum(v for v, _ in pieces)), f"url(#{cid}-hidden)"))
        drawn = "" if all(v is None for _, v in visible) and not hidden_count else _bar(pieces, rtl=rtl)
        parts = "".join(
            f'<li>{_swatch(f"url(#{cid}-p{i})")}<span class="chart-label">{_escape(segments[i])}</span> '
            f"{_value(_value_text(share, format_percent, hidden_label, empty_label))}</li>"
            for i, share in enumerate(row.shares)
        )
        items.append(f'<li class="chart-row"><span class="chart-label chart-row-label">{_escape(row.label)}</span>'
                     f'{drawn}<ul class="chart-parts">{parts}</ul></li>')
    return _chart(cid, title, items, empty_label, " chart-stacked", _pattern_defs(cid, len(segments)) if rows else "")
