"""Forms for building consultations and the messages for answers that cannot be accepted."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from inspraak.consultations.conditions import EDITOR_RULES
from inspraak.consultations.models import AudienceScope, Breakdown, CountingUnit, PrivacyMode, QuestionType
from inspraak.consultations.validation import Invalid, QuestionSpec, answer_limits
from inspraak.core.edits import Values, fingerprint
from inspraak.core.forms import (
    CreateForm, DateField, DateTimeLocalField, FlaskForm, IntegerField, Length, MultiCheckboxField, WebAddress,
)
from inspraak.core.i18n import text_direction
from inspraak.core.i18n_setup import format_numbers_in
from inspraak.core.plurals import Counted
from inspraak.core.plurals import Counted as _n  # marks counted messages for pybabel (keyword _n:1,2)


# Translators: problems with an answer, shown next to the question.
ERROR_MESSAGES = {
    "required": _l("Please answer this question."),
    "invalid_choice": _l("Choose one of the answers shown."),
    "other_required": _l("You chose “other”. Please write what you mean."),
    "too_few": _n("Choose at least %(n)s answer.", "Choose at least %(n)s answers."),
    "too_many": _n("Choose at most %(n)s answer.", "Choose at most %(n)s answers."),
    "out_of_range": _l("Choose a number from %(min)s to %(max)s."),
    "too_long": _n("Your answer is too long. Use at most %(n)s character.",
                   "Your answer is too long. Use at most %(n)s characters."),
    "not_a_number": _l("Write a number, for example 12 or 3,5."),
    "not_a_whole_number": _l("Write a whole number, for example 12."),
    "ambiguous_number": _l("Is this a thousand or a number with decimals? Write a thousand as 1000 and a decimal number as 3,5."),
    "ambiguous_whole_number": _l("Write the number without a point or a comma, for example 1000."),
    "whole_number": _l("Write a whole number, without a comma."),
    "too_many_decimals": _n("Use at most %(n)s digit after the comma.", "Use at most %(n)s digits after the comma."),
    "too_small": _l("The number must be %(n)s or more."),
    "too_large": _l("The number must be %(n)s or less."),
    "rank_all": _l("Give every choice a place, from 1 to %(n)s."),
    "rank_unique": _l("Use each place from 1 to %(n)s once."),
    "matrix_incomplete": _l("Please answer every row."),
    # A paper form typed in with no answer at all (its blanks are allowed, an empty form is not saved).
    "form_empty": _l("No answer has been typed. Type the answers on the form. An empty form is not saved."),
}
# Translators: what an answer must be, told under the question before it is answered.
LIMIT_MESSAGES = {
    **ERROR_MESSAGES,
    # Translators: the maximum is always 2 or more; the word for "answers" follows it.
    "choose_between": _n("Choose from %(min)s to %(max)s answers.", "Choose from %(min)s to %(max)s answers.",
                         count="max"),
    "choose_exactly": _n("Choose %(n)s answer.", "Choose %(n)s answers."),
    "number_between": _l("Write a number from %(min)s to %(max)s."),
    "write_at_most": _n("Write at most %(n)s character.", "Write at most %(n)s characters."),
}


def error_message(problem: Invalid, messages: dict = ERROR_MESSAGES) -> str:
    """The message for a problem with an answer, in the reader's language, its numbers written the
    reader's way ("999.999.999.999", "-1,5" in Dutch). ``messages``: the texts by problem code."""
    template = messages.get(problem.code, ERROR_MESSAGES["invalid_choice"])
    if isinstance(template, Counted):  # the count chooses the form; the text shows it written the reader's way
        return template.render(**problem.params)
    return str(template) % format_numbers_in(problem.params) if problem.params else str(template)


@dataclass(frozen=True)
class AnswerError:
    """A problem with an answer as the page shows it: the message, and whether it is about the text of
    an "other" choice (then that box is marked and linked to, not the choices)."""

    message: str
    about_other: bool = False

    def __str__(self) -> str:
        return self.message


def answer_errors(problems: Mapping[int, Invalid]) -> dict[int, AnswerError]:
    """The problems with answers by question id, as the answering and entry pages show them."""
    return {qid: AnswerError(error_message(p), p.about_other) for qid, p in problems.items()}


def limits_hint(spec: QuestionSpec) -> str:
    """What an answer must be (how many choices, which numbers), as one hint in the reader's language."""
    return " ".join(error_message(limit, LIMIT_MESSAGES) for limit in answer_limits(spec))


QUESTION_TYPE_LABELS = {
    QuestionType.SINGLE_CHOICE: _l("One choice"),
    QuestionType.MULTIPLE_CHOICE: _l("Several choices"),
    QuestionType.SCALE: _l("Scale with labels (for example 1 to 5)"),
    QuestionType.SCORE: _l("Score from 0 to 10"),
    QuestionType.YES_NO: _l("Yes or no"),
    QuestionType.AGREEMENT: _l("Agree or do not agree"),
    QuestionType.SHORT_TEXT: _l("Short text"),
    QuestionType.LONG_TEXT: _l("Long text"),
    QuestionType.NUMBER: _l("Number"),
    QuestionType.RANKING: _l("Put choices in order"),
    QuestionType.MATRIX: _l("Table: rows with the same choices"),
}
STATUS_LABELS = {
    "draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "published": _l("Results published"),
    "archived": _l("Archived"),
}
CHANNEL_LABELS = {"online": _l("Online"), "paper": _l("Paper"), "assisted": _l("With help from staff")}
PRIVACY_LABELS = {
    PrivacyMode.ANONYMOUS: _l("Anonymous: answers cannot be linked to anyone"),
    PrivacyMode.CONFIDENTIAL: _l("Confidential: linked to the tenant, only totals are shown"),
    PrivacyMode.NAMED: _l("Named: linked to the tenant"),
}
BREAKDOWN_LABELS = {
    Breakdown.NONE: _l("No breakdown: results for everyone together"),
    Breakdown.NEIGHBOURHOOD: _l("Per neighbourhood"),
    Breakdown.COMPLEX: _l("Per neighbourhood and complex"),
}
OPERATOR_LABELS = {
    "is": _l("is"), "is_not": _l("is not"), "includes": _l("includes"), "excludes": _l("does not include"),
    "answered": _l("is answered"), "unanswered": _l("is not answered"),
}
CONDITION_RULES = EDITOR_RULES


def languages() -> list[tuple[str, str]]:
    return [(code, info["name"]) for code, info in current_app.config["LANGUAGES"].items()]


# A select whose first option is a real choice always has a value: HTML forbids `required` on it.
NOT_REQUIRED_IN_HTML = {"required": False}


class NewConsultationForm(CreateForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    source_language = SelectField(_l("Written in"), validators=[InputRequired()], render_kw=NOT_REQUIRED_IN_HTML)
    kind = SelectField(
        _l("Kind"),
        choices=[("survey", _l("Survey")), ("support_measurement", _l("Support measurement for a renovation"))],
        validators=[InputRequired()], render_kw=NOT_REQUIRED_IN_HTML,
    )
    complex_id = SelectField(_l("Complex (for a support measurement)"), coerce=int, validators=[Optional()])


class SettingsForm(FlaskForm):
    seen = HiddenField()  # what the form showed (core.edits): a save keeps what someone else saved meanwhile
    source_language = SelectField(_l("Written in"), validators=[InputRequired()], render_kw=NOT_REQUIRED_IN_HTML)
    audience_scope = SelectField(
        _l("Who is invited"),
        choices=[(AudienceScope.CORPORATION.value, _l("All tenants")),
                 (AudienceScope.NEIGHBOURHOODS.value, _l("Tenants in chosen neighbourhoods")),
                 (AudienceScope.COMPLEXES.value, _l("Tenants in chosen complexes"))],
    )
    neighbourhoods = MultiCheckboxField(_l("Neighbourhoods"), coerce=int, validators=[Optional()])
    complexes = MultiCheckboxField(_l("Complexes"), coerce=int, validators=[Optional()])
    counting_unit = SelectField(
        _l("What counts"),
        choices=[(CountingUnit.PERSON.value, _l("One answer per person")),
                 (CountingUnit.DWELLING.value, _l("One answer per household (dwelling)"))],
    )
    privacy_mode = SelectField(_l("Privacy"), choices=[(m.value, label) for m, label in PRIVACY_LABELS.items()])
    breakdown = SelectField(_l("Results per area"), choices=[(b.value, label) for b, label in BREAKDOWN_LABELS.items()])
    opens_at = DateTimeLocalField(_l("Opens at (leave empty: when you open it)"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes at"), validators=[Optional()])
    results_expected_on = DateField(_l("Results expected on"), validators=[Optional()])


class ClosingForm(FlaskForm):
    """A new closing time for an open consultation, or for opening a closed one once more."""

    seen = HiddenField()  # the closing time the form was shown with (core.edits)
    closes_at = DateTimeLocalField(_l("New closing time"), validators=[InputRequired()])
    reason = TextAreaField(_l("Why it changes"), validators=[InputRequired(), Length(max=500)])
    notify = BooleanField(_l("Tell those who have not answered yet, by email where we know their address"))


class FindInvitationForm(FlaskForm):
    """Find an invited person or dwelling: by person number, or by postcode and house number."""

    query = StringField(_l("Name, person number, or postcode and house number"),
                        validators=[InputRequired(), Length(max=60)])


class DocumentForm(CreateForm):
    document = FileField(_l("Proposal document (PDF)"), validators=[FileRequired(_l("Choose a PDF file."))])


class ActionForm(FlaskForm):
    """A button that changes something (open, close, move up, delete): only the CSRF token."""


class CodeForm(FlaskForm):
    code = StringField(_l("Code on the form"), validators=[InputRequired(), Length(max=40)])


class PersonForm(FlaskForm):
    person_number = StringField(_l("Person number of the tenant"), validators=[InputRequired(), Length(max=40)])


# The most characters of one language's text in a box of ``texts_form``: a line (title, question, choice, label)
# and a long text (introduction, help, summary, what we will do). Room for a translation longer than its source.
TEXT_BOX_MAX = {False: 500, True: 20_000}


def texts_form(fields: dict[str, tuple[str, bool]], data: dict[str, dict[str, str]] | None = None,
               extra: dict | None = None, prefix: str = "", values: Values | None = None,
               shown: bool = False, long_max: int | None = None) -> FlaskForm:
    """A form with one box per language for each text field: name → (label, long text?), each box at most
    ``TEXT_BOX_MAX`` characters (a long text at most ``long_max`` where given: the limit of the service that
    stores it, so that a text saved here is never refused by it later).

    ``values``: the other fields' values as stored (named as the form's fields), for the fingerprint.
    ``shown``: the form holds ``data`` whatever the request sent (a page shown again after another form on it
    was refused).
    """

    class TextsForm(FlaskForm):
        pass

    for name, (label, long_text) in fields.items():
        for code, lang_name in languages():
            field_class = TextAreaField if long_text else StringField
            limit = (long_max or TEXT_BOX_MAX[True]) if long_text else TEXT_BOX_MAX[False]
            validators = [Optional(), Length(max=limit)]
            setattr(TextsForm, f"{name}_{code}", field_class(f"{label} ({lang_name})", validators=validators,
                                                             render_kw={"lang": code, "dir": text_direction(code)}))
    # What the boxes showed (core.edits): a save keeps what someone else saved meanwhile in the boxes left as they were.
    TextsForm.seen = HiddenField()
    for name, field in (extra or {}).items():
        setattr(TextsForm, name, field)
    if data is None:
        return TextsForm(prefix=prefix)
    initial = {f"{name}_{code}": (data or {}).get(name, {}).get(code, "") for name in fields for code, _name in languages()}
    initial["seen"] = fingerprint({name: (data or {}).get(name) or {} for name in fields}, values)
    return TextsForm(data=initial, prefix=prefix, **({"formdata": None} if shown else {}))


def texts_from(form: FlaskForm, name: str) -> dict[str, str]:
    return {code: (form[f"{name}_{code}"].data or "").strip() for code, _name in languages()}


def question_form(condition_choices: list[tuple[str, str]], data: dict | None = None, shown: bool = False) -> FlaskForm:
    """The question editor: type, rules, texts per language, labels and a condition (``shown``: see texts_form)."""
    extra = {
        "type": SelectField(_l("Kind of question"), choices=[(t.value, label) for t, label in QUESTION_TYPE_LABELS.items()]),
        "required": BooleanField(_l("An answer is required")),
        "min": IntegerField(_l("Lowest value or fewest choices"), validators=[Optional()]),
        "max": IntegerField(_l("Highest value or most choices"), validators=[Optional()]),
        "decimals": IntegerField(_l("Digits after the comma (0 for whole numbers)"),
                                 validators=[Optional(), NumberRange(min=0, max=6)]),
        "max_length": IntegerField(_l("Most characters"), validators=[Optional(), NumberRange(min=1, max=20000)]),
        "match": RadioField(_l("Show this question when"), default="all", validators=[Optional()],  # labels wrap
                            choices=[("all", _l("all rules below hold")), ("any", _l("one of the rules below holds"))]),
    }
    for n in range(1, CONDITION_RULES + 1):
        extra[f"rule{n}_target"] = SelectField(_l("Rule %(n)d: answer to", n=n), choices=[("", "—")] + condition_choices,
                                               validators=[Optional()])
        extra[f"rule{n}_op"] = SelectField(_l("Rule %(n)d: test", n=n),
                                           choices=[(k, v) for k, v in OPERATOR_LABELS.items()],
                                           validators=[Optional()])
    fields = {
        "text": (str(_l("Question")), False),
        "help": (str(_l("Help text")), True),
        "min_label": (str(_l("Label of the lowest value")), False),
        "max_label": (str(_l("Label of the highest value")), False),
    }
    form = texts_form(fields, data.get("texts") if data else None, extra, values=data.get("values") if data else None,
                      shown=shown)
    if data:
        for key, value in data.get("plain", {}).items():
            if key in form and (shown or not form.is_submitted()):
                form[key].data = value
    return form


def label_form(data: dict[str, str] | None = None, with_other: bool = False, prefix: str = "") -> FlaskForm:
    extra = {"is_other": BooleanField(_l("This is “other”: ask the tenant to write what they mean"))} if with_other else {}
    return texts_form({"label": (str(_l("Text")), False)}, {"label": data} if data is not None else None, extra, prefix)


def section_form(condition_choices: list[tuple[str, str]], data: dict | None = None) -> FlaskForm:
    extra = {
        "match": RadioField(_l("Show this page when"), default="all", validators=[Optional()],  # labels wrap
                            choices=[("all", _l("all rules below hold")), ("any", _l("one of the rules below holds"))]),
    }
    for n in range(1, CONDITION_RULES + 1):
        extra[f"rule{n}_target"] = SelectField(_l("Rule %(n)d: answer to", n=n), choices=[("", "—")] + condition_choices,
                                               validators=[Optional()])
        extra[f"rule{n}_op"] = SelectField(_l("Rule %(n)d: test", n=n),
                                           choices=[(k, v) for k, v in OPERATOR_LABELS.items()],
                                           validators=[Optional()])
    form = texts_form({"title": (str(_l("Page title")), False)}, data.get("texts") if data else None, extra,
                      values=data.get("plain") if data else None)
    if data:
        for key, value in data.get("plain", {}).items():
            if key in form and not form.is_submitted():
                form[key].data = value
    return form


def proposal_url_field() -> StringField:
    return StringField(_l("Link to the proposal documents"), validators=[Optional(), WebAddress(), Length(max=500)])
