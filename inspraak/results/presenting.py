"""From a protected snapshot to what a page shows: labels in the reader's language, shares, charts."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from inspraak.consultations.forms import CHANNEL_LABELS
from inspraak.core.i18n import cached_direction, localize
from inspraak.core.i18n_setup import format_number, format_percentage, html_message, isolate
from inspraak.results.charts import Bar, bar_chart
from inspraak.results.models import Outcome, OutcomeStatus
from inspraak.results.privacy import Hidden

YES_NO = {"yes": _l("Yes"), "no": _l("No")}
STAT_LABELS = {
    "mean": _l("Average"), "median": _l("Median (middle value)"), "net_score": _l("Net score (−100 to 100)"),
    "lower_quartile": _l("Lower quarter"), "upper_quartile": _l("Upper quarter"),
}
# What in a written answer may identify someone (quotes.EMAIL …), as the quote review names it.
FLAG_LABELS = {
    "name": _l("a name from the tenant register"), "address": _l("an address"), "postcode": _l("a postcode"),
    "phone": _l("a phone number"), "email": _l("an email address"), "iban": _l("a bank account number"),
}
# Translators: the bands of a 0–10 question in a table per neighbourhood (the net score's groups).
SCORE_BANDS = {"0-6": _l("0 to 6"), "7-8": _l("7 or 8"), "9-10": _l("9 or 10")}
OUTCOME_LABELS = {"planned": _l("Planned"), "in_progress": _l("In progress"), "done": _l("Done"),
                  "withdrawn": _l("Not going ahead")}


def outcome_status(outcome: Outcome) -> str:
    """Where an action stands, dated ("Done on 3 March 2027"): you said, we did."""
    changed = format_date(outcome.status_changed_at, "long") if outcome.status_changed_at else None
    planned = _("Planned for %(date)s", date=format_date(outcome.due_on, "long")) if outcome.due_on else None
    if outcome.status is OutcomeStatus.WITHDRAWN:
        return _("Not going ahead (since %(date)s)", date=changed) if changed else str(OUTCOME_LABELS["withdrawn"])
    if outcome.status is OutcomeStatus.DONE:
        return _("Done on %(date)s", date=changed) if changed else str(OUTCOME_LABELS["done"])
    if outcome.status is OutcomeStatus.IN_PROGRESS:
        since = _("In progress since %(date)s", date=changed) if changed else str(OUTCOME_LABELS["in_progress"])
        return f"{since} · {planned}" if planned else since
    return planned or str(OUTCOME_LABELS["planned"])


def _hidden(cell: Any) -> Hidden | None:
    if isinstance(cell, dict) and "hidden" in cell:
        return Hidden(0, below_threshold=cell["hidden"] == "below")
    return None


def cell_text(cell: Any, k: int) -> str:
    """A published number, or "fewer than k" / "hidden" for a suppressed one."""
    hidden = _hidden(cell)
    if hidden is not None:
        return _("fewer than %(n)s", n=k) if hidden.below_threshold else _("hidden (protects a small group)")
    if cell is None:
        return "–"
    return format_number(Decimal(str(cell)))


def _share(count: Any, base: Any) -> Any:
    hidden = _hidden(count)
    if hidden is not None:
        return hidden
    if _hidden(base) is not None:
        return Hidden(0, below_threshold=False)
    return count / base if base else None


def option_label(question: dict[str, Any], option: dict[str, Any], source: str) -> str:
    if "label" in option:
        return str(localize(option["label"], source))
    if question["type"] in ("yes_no", "agreement"):
        return str(YES_NO[option["key"]])
    return format_number(option["key"])


def column_labels(question: dict[str, Any], source: str) -> list[str]:
    """The answer columns of a question's breakdown: its options (a matrix's columns), or a 0–10 question's bands."""
    breakdown = question.get("breakdown") or {}
    if "columns" in breakdown:
        return [str(SCORE_BANDS[key]) for key in breakdown["columns"]]
    if question["type"] == "matrix":
        return [str(localize(column, source)) for column in question.get("columns", [])]
    return [option_label(question, option, source) for option in question.get("options", [])]


def breakdown_tables(question: dict[str, Any], source: str) -> list[tuple[str | None, dict[str, Any]]]:
    """A question's per-place tables as (matrix row label or None, breakdown): one per matrix row, else one."""
    if question["type"] == "matrix":
        return [(str(localize(row["label"], source)), row["breakdown"])
                for row in question.get("rows", []) if row.get("breakdown")]
    return [(None, question["breakdown"])] if question.get("breakdown") else []


def area_labels(breakdown: dict[str, Any], *, for_page: bool = False) -> list[str]:
    """A label per group of a breakdown: the neighbourhood, or "complex in neighbourhood".

    ``for_page``: HTML with both names isolated in the sentence (a complex's "1001 Marshalllaan" read
    "Marshalllaan 1001" in Arabic); exports take plain text.
    """
    labels, neighbourhood = [], ""
    for group in breakdown["groups"]:
        if group["kind"] == "neighbourhood":
            neighbourhood = group["name"]
            labels.append(neighbourhood)
        elif for_page:
            labels.append(html_message(_("%(complex)s in %(neighbourhood)s"), complex=isolate(group["name"]),
                                       neighbourhood=isolate(neighbourhood)))
        else:
            labels.append(_("%(complex)s in %(neighbourhood)s", complex=group["name"], neighbourhood=neighbourhood))
    return labels


def _breakdowns(question: dict[str, Any], number: int, source: str, k: int) -> list[dict[str, Any]]:
    """The per-place tables of a question: one row per neighbourhood (and complex), hidden cells as text."""
    stat_names = list(question.get("stats") or {}) if question["type"] in ("scale", "score") else []
    columns = column_labels(question, source)
    tables = []
    for row_label, breakdown in breakdown_tables(question, source):
        by_complex = breakdown["level"] == "complex"
        if row_label is not None:
            caption = html_message(_("Question %(n)s, %(row)s: answers per neighbourhood and complex") if by_complex
                                   else _("Question %(n)s, %(row)s: answers per neighbourhood"),
                                   n=number, row=isolate(row_label))
        elif question["type"] == "ranking":
            caption = (_("First choices in question %(n)s per neighbourhood and complex", n=number)
                       if by_complex else _("First choices in question %(n)s per neighbourhood", n=number))
        else:
            caption = (_("Answers to question %(n)s per neighbourhood and complex", n=number)
                       if by_complex else _("Answers to question %(n)s per neighbourhood", n=number))
        rows = []
        for group, label in zip(breakdown["groups"], area_labels(breakdown, for_page=True)):
            stats = group.get("stats") or {}
            rows.append({"label": label, "kind": group["kind"], "respondents": cell_text(group["respondents"], k),
                         "counts": [cell_text(c, k) for c in group["counts"]],
                         "stats": [cell_text(stats.get(name), k) for name in stat_names]})
        tables.append({"caption": caption, "columns": columns,
                       "stat_labels": [str(STAT_LABELS[n]) for n in stat_names], "rows": rows})
    return tables


def present(snapshot: dict[str, Any], quotes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The page's view of a snapshot: each question with rows (label, count text, share) and a chart.

    ``quotes`` replaces the snapshot's quotes (the same quotes with translations added since).
    """
    source, k = snapshot["source_language"], snapshot["threshold"]
    quotes = snapshot.get("quotes", []) if quotes is None else quotes
    rtl = cached_direction() == "rtl"
    hidden_label, empty_label = _("fewer than %(n)s", n=k), _("no answers")
    protected_label = cell_text({"hidden": "other"}, k)
    questions = []
    for number, question in enumerate(snapshot["questions"], start=1):
        title = localize(question["text"], source)  # with its language: a fallback is marked on the page
        base = question.get("respondents")
        item: dict[str, Any] = {"number": number, "title": title, "type": question["type"],
                                "respondents": cell_text(base, k), "rows": [], "stats": [], "matrix": None}
        for option in question.get("options", []):
            share = _share(option["count"], base)
            row = {"label": option_label(question, option, source), "count": cell_text(option["count"], k),
                   "share": None if share is None or isinstance(share, Hidden) else format_percentage(share),
                   "chart_share": share}
            if "mean_rank" in option:
                row["mean_rank"] = cell_text(option["mean_rank"], k)
            item["rows"].append(row)
        for name, value in (question.get("stats") or {}).items():
            if value is not None:
                item["stats"].append({"label": str(STAT_LABELS[name]), "value": cell_text(value, k)})
        if question.get("rows") and question["type"] == "matrix":
            item["matrix"] = {
                "columns": [str(localize(c, source)) for c in question["columns"]],
                "rows": [{"label": str(localize(r["label"], source)), "respondents": cell_text(r["respondents"], k),
                          "counts": [cell_text(c, k) for c in r["counts"]]} for r in question["rows"]],
            }
        if item["rows"] and question["type"] != "ranking":
            item["chart"] = Markup(bar_chart(
                [Bar(r["label"], r["chart_share"]) for r in item["rows"]], chart_id=f"q{number}", title=str(title),
                format_percent=format_percentage, hidden_label=hidden_label, empty_label=empty_label, rtl=rtl,
                protected_label=protected_label))
        item["breakdowns"] = _breakdowns(question, number, source, k)
        item["quotes"] = [localize(q["text"], q["source_language"]) for q in quotes if q["question_id"] == question["id"]]
        questions.append(item)
    participants = snapshot["participants"]
    invited = snapshot["invited"]
    return {
        "threshold": k,
        "invited": invited,
        "participants": cell_text(participants, k),
        # The number the words agree with: "fewer than 10" people reads as 10 people do.
        "participant_count": k if _hidden(participants) else participants,
        "rate": None if _hidden(participants) or not invited else format_percentage(participants / invited),
        # One answer per home counts homes; a snapshot from before the unit was recorded counts people.
        "per_home": snapshot.get("unit") == "dwelling",
        "channels": [{"label": str(CHANNEL_LABELS[c["key"]]), "count": cell_text(c["count"], k)}
                     for c in snapshot["channels"]],
        "questions": questions,
    }
