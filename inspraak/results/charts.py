"""Server-rendered SVG charts: no JavaScript, no inline styles, readable in right-to-left.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states
every number in words, so a screen reader gets the same facts as the eye; pages show a
data table beside it as well. Only presentation attributes are used (``fill``,
``font-size`` …), which the Content-Security-Policy allows where ``style`` is not.
Numbers arrive already formatted by the caller (Babel in the reader's locale); every
text is escaped here. Hidden (suppressed) numbers get no bar, only their label
("fewer than 10"). In right-to-left languages bars grow from the right and text is
anchored on the right.
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

# Dark, high-contrast fills (each ≥ 4.5:1 against white text and against the white page),
# each paired with its own pattern so segments differ without colour.
PALETTE = ("#1d3f6e", "#8a3b00", "#24592b", "#5c2a6e", "#6b4e00", "#1f5d63", "#7a1f3d", "#3d3d3d")
PATTERNS = ("solid", "stripes", "dots", "cross", "back-stripes", "grid", "waves", "checks")
TEXT_COLOUR = "#1a1a1a"
HIDDEN_FILL = "#ffffff"
FONT_SIZE = 16
LINE = 22
BAR_HEIGHT = 28
GAP = 14
# SVG text does not wrap: labels are broken into lines here, on an estimate of how wide a character is.
# Bold DejaVu Sans (the usual sans-serif on Linux) and Arial average about 0.52 em; 0.66 em leaves room for
# the letter and word spacing a reader may set (WCAG 1.4.12: 0.12 em and 0.16 em), which clipped
# 'verborgen (beschermt een kleine groep)' at the chart's edge.
CHAR_WIDTH = FONT_SIZE * 0.66


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


def _text(x: float, y: float, content: str, *, rtl: bool, anchor: str = "start", fill: str = TEXT_COLOUR,
          weight: str | None = None) -> str:
    attrs = [f'x="{x:.1f}"', f'y="{y:.1f}"', f'font-size="{FONT_SIZE}"', f"fill={quoteattr(fill)}",
             f'text-anchor="{anchor}"']
    if rtl:
        attrs.append('direction="rtl"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    return f"<text {' '.join(attrs)}>{_escape(content)}</text>"


def _lines(text: str, room: float) -> list[str]:
    """The text broken at spaces into lines of at most ``room`` units; a word longer than a line is cut.

    Only ordinary spaces break a line: a no-break space (``10\u00a0%`` in some locales) holds.
    """
    most = max(1, int(room // CHAR_WIDTH))
    lines: list[str] = []
    line = ""
    for word in filter(None, text.split(" ")):
        while len(word) > most:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:most])
            word = word[most:]
        if line and len(line) + 1 + len(word) > most:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line or not lines else lines


def _share(value: ShareValue) -> float | None:
    if value is None or isinstance(value, Hidden):
        return None
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError(f"a share lies between 0 and 1, not {value!r}")
    return number


def _svg(chart_id: str, width: int, height: int, title: str, description: str, body: list[str], rtl: bool) -> str:
    cid = _id(chart_id)
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}"'
        f' preserveAspectRatio="xMinYMin meet" aria-labelledby="{cid}-title {cid}-desc"'
        f' font-family="sans-serif"{direction} class="chart">'
        f'<title id="{cid}-title">{_escape(title)}</title>'
        f'<desc id="{cid}-desc">{_escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _value_text(value: ShareValue, format_percent: Formatter, hidden_label: str, empty_label: str,
                protected_label: str | None = None) -> str:
    if isinstance(value, Hidden):
        return hidden_label if value.below_threshold or protected_label is None else protected_label
    number = _share(value)
    return empty_label if number is None else format_percent(number)


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    format_percent: Formatter,
    hidden_label: str,
    empty_label: str,
    description: str | None = None,
    rtl: bool = False,
    width: int = 640,
    protected_label: str | None = None,
) -> str:
    """Horizontal bars of shares, one per option, with the percentage written beside each bar.

    Args:
        bars: options in display order.
        chart_id: unique on the page (used for the title and description ids).
        title: what the chart shows (the question).
        format_percent: 0.25 → "25%" in the reader's locale.
        hidden_label: the text for a hidden share ("fewer than 10").
        empty_label: the text when there is no share (nobody answered).
        description: the text alternative; by default every label with its number.
        rtl: right-to-left page: bars grow from the right, text anchored on the right.
        protected_label: the text for a share hidden to protect another cell (it is not small,
            so "fewer than 10" would not be true); ``hidden_label`` when not given.
    """
    margin = 8
    track = width - 2 * margin - 80  # room for the percentage after a full bar
    body: list[str] = []
    y = margin
    edge = width - margin if rtl else margin
    for bar in bars:
        share = _share(bar.share)
        for line in _lines(bar.label, width - 2 * margin):
            y += LINE
            body.append(_text(edge, y - 6, line, rtl=rtl))
        top = y
        text = _value_text(bar.share, format_percent, hidden_label, empty_label, protected_label)
        length = round(track * share, 1) if share is not None else 0.0
        if length > 0:
            x = edge - length if rtl else edge
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{length:.1f}" height="{BAR_HEIGHT}"'
                f' fill="{PALETTE[0]}"/>'
            )
        after = length + 8
        text_x = edge - after if rtl else edge + after
        value_lines = _lines(text, width - 2 * margin - after)
        for i, line in enumerate(value_lines):
            body.append(_text(text_x, top + BAR_HEIGHT - 8 + i * LINE, line, rtl=rtl, weight="bold"))
        y = top + BAR_HEIGHT + GAP + (len(value_lines) - 1) * LINE
    if not bars:
        y += LINE
        body.append(_text(edge, y, empty_label, rtl=rtl))
        y += GAP
    if description is None:
        description = "; ".join(
            f"{bar.label}: {_value_text(bar.share, format_percent, hidden_label, empty_label, protected_label)}"
            for bar in bars
        ) or empty_label
    return _svg(chart_id, width, int(y + margin), title, description, body, rtl)


def _pattern_defs(cid: str, count: int) -> str:
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
    return "<defs>" + "".join(defs) + "</defs>"


def stacked_chart(
    rows: Sequence[StackedRow],
    segments: Sequence[str],
    *,
    chart_id: str,
    title: str,
    format_percent: Formatter,
    hidden_label: str,
    empty_label: str,
    description: str | None = None,
    rtl: bool = False,
    width: int = 640,
) -> str:
    """One stacked bar per row (scale items, matrix rows), segments in the order of ``segments``.

    Each segment has its own colour *and* pattern, repeated in a legend; its percentage is
    written inside when it fits. Hidden shares are drawn together as one hatched white
    segment (their sum is the rest of the bar, which readers can work out anyway).
    """
    cid = _id(chart_id)
    margin = 8
    track = width - 2 * margin
    edge = width - margin if rtl else margin
    body = [_pattern_defs(cid, len(segments))]
    y = margin
    # Legend: a swatch and the label of every segment, one per line.
    for i, label in enumerate(segments):
        y += LINE
        swatch_x = edge - 18 if rtl else edge
        body.append(f'<rect x="{swatch_x:.1f}" y="{y - 15:.1f}" width="18" height="18" fill="url(#{cid}-p{i})"'
                    f' stroke="{TEXT_COLOUR}" stroke-width="1"/>')
        label_x = edge - 26 if rtl else edge + 26
        for n, line in enumerate(_lines(label, track - 26)):
            y += LINE if n else 0
            body.append(_text(label_x, y, line, rtl=rtl))
    y += GAP
    lines = []
    for row in rows:
        if len(row.shares) != len(segments):
            raise ValueError(f"row {row.label!r} has {len(row.shares)} shares for {len(segments)} segments")
        for line in _lines(row.label, track):
            y += LINE
            body.append(_text(edge, y - 6, line, rtl=rtl, weight="bold"))
        top = y
        visible = [(i, _share(s)) for i, s in enumerate(row.shares) if not isinstance(s, Hidden)]
        hidden_count = len(row.shares) - len(visible)
        position = 0.0
        pieces = [(i, v or 0.0) for i, v in visible]
        if hidden_count:
            pieces.append((None, max(0.0, 1.0 - sum(v for _, v in pieces))))
        if all(v is None for _, v in visible) and not hidden_count:
            pieces = []
            body.append(_text(edge, top + BAR_HEIGHT - 8, empty_label, rtl=rtl))
        for index, value in pieces:
            length = track * value
            if length <= 0:
                continue
            x = edge - position - length if rtl else edge + position
            fill = f"url(#{cid}-hidden)" if index is None else f"url(#{cid}-p{index})"
            body.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{fill}"'
                        f' stroke="#ffffff" stroke-width="1"/>')
            if index is not None and length >= 48:
                centre = x + length / 2
                body.append(_text(centre, top + BAR_HEIGHT - 8, format_percent(value), rtl=rtl, anchor="middle",
                                  fill="#ffffff", weight="bold"))
            position += length
        y = top + BAR_HEIGHT + GAP
        parts = [f"{segments[i]}: {_value_text(s, format_percent, hidden_label, empty_label)}"
                 for i, s in enumerate(row.shares)]
        lines.append(f"{row.label}: " + ", ".join(parts))
    if description is None:
        description = "; ".join(lines) or empty_label
    return _svg(chart_id, width, int(y + margin), title, description, body, rtl)
