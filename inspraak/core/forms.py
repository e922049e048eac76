"""The base of every form, and form fields every part of the site uses (no domain knowledge)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import flask_wtf
import wtforms
from babel.lists import format_list
from flask import current_app, flash, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import Markup
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from inspraak.core import once
from inspraak.core.edits import CLASHED_HERE, CLASHED_VALUE, EditClash
from inspraak.core.errors import DomainError, FieldRefused
from inspraak.core.i18n import current_language
from inspraak.core.i18n_setup import format_number, format_when, html_message, isolate
from inspraak.core.plurals import Counted as _n
from inspraak.core.security import MAX_INTEGER
from inspraak.core.timeutil import FIRST_YEAR, LAST_YEAR, LOCAL_TZ, exists_locally

OUT_OF_RANGE = _l("This number is too large or too small.")
TOO_LONG = _n("Write at most %(max)s character.", "Write at most %(max)s characters.", count="max")
# Translators: a reason staff give (why a closing time moves, why an action is not going ahead).
REASON_TOO_LONG = _n("Write the reason in at most %(n)s character.", "Write the reason in at most %(n)s characters.")
NOT_A_WEB_ADDRESS = _l("Give a web address that starts with https:// or http://.")
# Translators: beside a list of choices (a role, a position, a complex) when what was sent is not one of them.
NOT_A_CHOICE = _l("Choose one of the options shown.")
# WTForms' own messages, said with inspraak's words from inspraak's catalogues. WTForms' Arabic and Polish
# catalogues lack "'%(value)s' is not a valid choice for this field." (it showed in English), and that message
# put back on the page whatever had been sent in its place: 100 000 characters, or a right-to-left override.
WTFORMS_MESSAGES = {
    "Not a valid choice.": NOT_A_CHOICE,
    "Invalid Choice: could not coerce.": NOT_A_CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": NOT_A_CHOICE,
    "'%(value)s' is not a valid choice for this field.": NOT_A_CHOICE,
    "'%(value)s' are not valid choices for this field.": NOT_A_CHOICE,
    "Not a valid integer value.": _l("Write a whole number, for example 12."),
    "Not a valid decimal value.": _l("Write a number, for example 12 or 3,5."),
    "Not a valid float value.": _l("Write a number, for example 12 or 3,5."),
    "This field is required.": _l("Fill this in."),
}


class _Translations:
    """WTForms' messages through WTFORMS_MESSAGES, the others from WTForms' catalogues as Flask-WTF gives them."""

    def __init__(self, fallback: Any) -> None:  # noqa: ANN401
        self.fallback = fallback

    def gettext(self, string: str) -> str:
        own = WTFORMS_MESSAGES.get(string)
        return str(own) if own is not None else self.fallback.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        own = WTFORMS_MESSAGES.get(singular if n == 1 else plural)
        return str(own) if own is not None else self.fallback.ngettext(singular, plural, n)


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, given only what it asks for: files for its file fields, text for the others.

    Flask-WTF hands every field whatever the request holds under its name: a file sent under
    the name of a text field reached the field's validators (an error page, not a message), and
    text under the name of a file field reached the view as if it were a file. It also read a
    JSON body of any shape (a list or a number was an error page); no page here sends JSON, so
    such a body counts as an empty form.

    A form that creates something (``creates`` in its meta: ``class Meta: creates = True``, or
    ``meta={"creates": True}`` for a form class that also edits) carries a one-time token
    (``core.once``). A token left out or changed on the way makes the form invalid, like a field
    would: the page comes back as typed (400) with a message, where ``once.claim`` could only refuse.
    """

    class Meta(flask_wtf.FlaskForm.Meta):
        creates = False

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if request.is_json and formdata is not None and not hasattr(formdata, "getlist"):
                return request.form if form.is_submitted() else None
            data = super().wrap_formdata(form, formdata)
            if data is None or data is formdata:  # nothing sent, or data the caller gave
                return data
            file_fields = {field.name for field in form if isinstance(field, wtforms.FileField)}
            if not file_fields and not request.files:  # text only, as nearly every form: nothing to sort
                return data
            files = MultiDict([(k, v) for k, v in request.files.items(multi=True) if k in file_fields])
            text = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k not in file_fields])
            return CombinedMultiDict((files, text))

        def get_translations(self, form: Any) -> Any:  # noqa: ANN401
            return _Translations(super().get_translations(form))

    def validate(self, extra_validators: Any = None) -> bool:  # noqa: ANN401
        """Validate, and say each problem of a field once: a choice that cannot be read is also not one of the
        choices, and both now say "Choose one of the options shown." """
        valid = super().validate(extra_validators)
        if self.meta.creates and not once.sent_token_well_formed():
            self.form_errors.append(str(once.DAMAGED))
            # At the top of the page: not every form draws an error summary, and no field is to blame.
            flash(str(once.DAMAGED), "error")
            valid = False
        for field in self:
            if isinstance(field.errors, list) and len(field.errors) > 1:
                field.errors = list({str(error): error for error in field.errors}.values())
        return valid


class CreateForm(FlaskForm):
    """A form that makes something new: its page renders a one-time token (``once()``), its view claims it."""

    class Meta:
        creates = True


class Length(wtforms.validators.Length):
    """WTForms' Length, with a "too long" message from inspraak's catalogues: WTForms' own Arabic
    catalogue lacks most plural forms, so "at most 200 characters" showed in English. The message
    takes the plural form of the limit ("1 character", Polish "2 znaki" and "5 znaków")."""

    def __init__(self, min: int = -1, max: int = -1, message: Any = None) -> None:  # noqa: A002
        if message is None and min == -1:
            message = LazyString(TOO_LONG.render, max=max)  # WTForms fills it in with `%`: it has no `%` left
        super().__init__(min=min, max=max, message=message)


class WebAddress(wtforms.validators.URL):
    """A link people can open: http or https only (WTForms' URL takes any scheme, javascript:// too)."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(message=message or NOT_A_WEB_ADDRESS)

    def __call__(self, form: Any, field: Any) -> None:
        if not (field.data or "").lower().startswith(("https://", "http://")):
            raise wtforms.validators.ValidationError(str(self.message))
        super().__call__(form, field)
SKIPPED_HOUR = _l("This time does not exist in the Netherlands: that night the clocks go forward from 02:00 to "
                  "03:00. Choose another time.")
DATE_OUT_OF_RANGE = _l("Choose a date between the years %(first)s and %(last)s.")


class IntegerField(wtforms.IntegerField):
    """A whole number that a database column can hold.

    WTForms takes any size; a number beyond ±MAX_INTEGER would make the database fail
    (an error page) instead of the form saying what is wrong. It is refused here, before
    the field's own validators, with a message beside the field. Text that is no number is
    said to be so once: the range it should be in followed ("Not a valid integer value. The
    period is at least 42 days …").
    """

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and abs(self.data) > MAX_INTEGER:
            self.data = None
            raise StopValidation(str(OUT_OF_RANGE))
        if self.process_errors and str((self.raw_data or [""])[0]).strip():
            raise StopValidation()  # not a number at all: say that, not also the range it should be in


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Several checkboxes in a list, for use inside a fieldset."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _YearRange:
    """Refuses a date or moment outside FIRST_YEAR–LAST_YEAR, before the field's own validators."""

    def pre_validate(self, form: Any) -> None:
        value = self.data  # type: ignore[attr-defined]
        if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.data = None  # type: ignore[attr-defined]
            raise StopValidation(str(DATE_OUT_OF_RANGE) % {"first": FIRST_YEAR, "last": LAST_YEAR})


class _OwnParseMessage:
    """What cannot be read as a date (31-02-2026) says the same as a date left out: WTForms' own "Not a valid
    date value." stood beside a field with Optional(), and "Choose a date." beside one with DataRequired()."""

    unreadable: Any = None

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError:
            self.data = None
            raise ValueError(str(self.unreadable)) from None


class DateField(_YearRange, _OwnParseMessage, wtforms.DateField):
    """A date between FIRST_YEAR and LAST_YEAR."""

    unreadable = _l("Choose a date.")


class DateTimeLocalField(_YearRange, _OwnParseMessage, wtforms.DateTimeLocalField):
    """A Dutch date and time between FIRST_YEAR and LAST_YEAR that happens: the hour skipped when summer time
    starts is refused, as it would otherwise be read as an hour later than typed."""

    unreadable = _l("Choose a date and time.")

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)
        if isinstance(self.data, datetime) and not exists_locally(self.data):
            self.data = None  # the box shows what was typed (raw_data), the message beside it
            raise StopValidation(str(SKIPPED_HOUR))


# ---------------------------------------------------------------- saved by two people at once (core.edits)

def show_clash(form: FlaskForm, clash: EditClash) -> None:
    """After a clash, the form shows what to keep (the other person's change where its sender left a
    field as it was, the sender's own where they changed it), marks each field both changed with what
    it holds now, and carries the fingerprint of what is stored now, so that saving again is taken.

    Text boxes are named ``<field>_<language>`` (``texts_form``), other fields by their value's name.
    The page then answers 409 Conflict (``page_status``).
    """
    form.clashed = True
    for name, texts in clash.texts.items():
        for code, text in texts.items():
            _show(form, f"{name}_{code}", text)
    for name, value in clash.values.items():
        _show(form, name, value)
    for name, code, theirs in clash.clashes:
        box = name if code is None else f"{name}_{code}"
        if box in form:
            form[box].errors = [*form[box].errors, clash_note(form[box], theirs)]
    form.seen.data = clash.seen


def refuse_field(form: FlaskForm, error: DomainError, beside: str | None = None) -> bool:
    """Put the message of a refusal beside the field of ``form`` it belongs to: the one a ``FieldRefused`` names, or
    else ``beside`` (a field's name, for a form whose every refusal is said there). Returns whether it did: False
    leaves the message to be said at the top. What was typed stays in the form (a refused upload must be chosen
    again, as browsers never fill in a file field)."""
    name = error.field if isinstance(error, FieldRefused) and error.field in form else beside
    if name is None:
        return False
    form[name].errors = [*form[name].errors, error.message]
    return True


def refused_status(form: FlaskForm) -> int:
    """The status of a page sending ``form`` back refused: 409 Conflict after a clash with someone else's save
    (``show_clash``), else 400."""
    return 409 if getattr(form, "clashed", False) else 400


def page_status(form: FlaskForm) -> int:
    """The status of a page showing ``form``: ``refused_status`` when it was refused (a clash, or a field),
    200 when the form is only shown."""
    return refused_status(form) if form.errors or getattr(form, "clashed", False) else 200


def _show(form: FlaskForm, name: str, value: Any) -> None:  # noqa: ANN401
    if name in form:
        form[name].data = form_data(value)
        form[name].raw_data = None  # a number or date box shows what it was sent before its data


def keep_stored_choices(form: FlaskForm, stored: dict[str, Any]) -> None:
    """A list whose choice sent is not one of its options (a tampered form) shows the ``stored`` choice again,
    its message beside it, instead of no choice at all; the other fields stay as sent."""
    for field in form:
        if isinstance(field, wtforms.SelectField) and field.name in stored and field.data not in dict(field.choices):
            field.data = form_data(stored[field.name])


def form_data(value: Any) -> Any:  # noqa: ANN401
    """A stored value as a form field holds it: a choice by its value, a set as a list, a moment in local time."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted((form_data(member) for member in value), key=str)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return value


def clash_note(field: wtforms.Field, theirs: Any) -> Markup:  # noqa: ANN401
    """Beside a field someone else changed: what it holds now, in the words the field shows it with, isolated
    from the sentence (a Dutch name on an Arabic page put its full stop on the wrong side)."""
    if isinstance(theirs, str) and theirs.strip() and _choice_labels(field) is None:
        return html_message(str(CLASHED_HERE), text=isolate(theirs))
    return changed_to(describe(field, theirs))


def changed_to(words: str) -> Markup:
    """The note beside a value someone else changed at the same moment, saying in ``words`` what it is now."""
    return html_message(str(CLASHED_VALUE), value=isolate(words))


def describe(field: wtforms.Field, value: Any) -> str:  # noqa: ANN401
    """A value in words staff know from the form: a choice by its label, a tick box as yes or no,
    a date and a number written the reader's way."""
    if isinstance(field, wtforms.BooleanField):
        return _("Yes") if value else _("No")
    if value is None or value == "" or value == [] or value == set():
        # Translators: a field someone else cleared ("It is now: empty.").
        return _("empty")
    labels = _choice_labels(field)
    if labels is not None:
        if isinstance(value, list | tuple | set | frozenset):
            return format_list([labels.get(str(v), str(v)) for v in form_data(value)], locale=get_locale())
        return labels.get(str(form_data(value)), str(form_data(value)))
    if isinstance(value, datetime):
        return format_when(value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ), "long")
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def _choice_labels(field: wtforms.Field) -> dict[str, str] | None:
    choices = getattr(field, "choices", None)
    if choices is None:
        return None
    if isinstance(choices, dict):  # groups of choices
        choices = [choice for group in choices.values() for choice in group]
    pairs = (choice[:2] if isinstance(choice, list | tuple) else (choice, choice) for choice in choices)
    return {str(value): str(label) for value, label in pairs}


def language_choices() -> list[tuple[str, str]]:
    """The site's languages (config ``LANGUAGES``) as the choices of a list: (code, name in its own language)."""
    return [(code, info["name"]) for code, info in current_app.config["LANGUAGES"].items()]


def written_in() -> wtforms.SelectField:
    """The language a text is typed in, which its readers' pages mark with ``lang`` and ``dir`` (WCAG 3.1.2):
    one of the site's languages, the writer's own interface language until another is chosen."""
    return wtforms.SelectField(_l("Language of this text"), choices=language_choices, default=current_language)
