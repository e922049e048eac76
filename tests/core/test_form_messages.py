"""WTForms' own messages (a choice that is not one, a number that is not one, a field left empty) are said
in inspraak's words, in the reader's language, once, and never repeat what was sent."""
from __future__ import annotations

import pytest
import wtforms
from flask_babel import force_locale
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from inspraak.core.forms import NOT_A_CHOICE, FlaskForm, IntegerField, MultiCheckboxField

HOSTILE = "x" * 100_000 + "\u202e"


class _Form(FlaskForm):
    class Meta:
        csrf = False

    roles = MultiCheckboxField("Roles", choices=[("admin", "Admin"), ("editor", "Editor")])
    position = wtforms.SelectField("Position", choices=[("member", "Member")])
    complex_id = wtforms.SelectField("Complex", coerce=int, choices=[(1, "One")], validators=[Optional()])
    follows = wtforms.RadioField("Follows", choices=[("yes", "Yes")])
    period = IntegerField("Period", validators=[InputRequired(), NumberRange(min=42, max=365, message="42 to 365")])
    name = wtforms.StringField("Name", validators=[DataRequired()])


def _errors(app, lang: str, data: dict) -> dict:  # noqa: ANN001
    with app.test_request_context(method="POST", data=data), force_locale(lang):
        form = _Form()
        assert not form.validate()
        return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_a_value_that_is_no_choice_is_refused_in_the_readers_language_without_repeating_it(app, lang):
    errors = _errors(app, lang, {"roles": HOSTILE, "position": HOSTILE, "complex_id": HOSTILE, "follows": HOSTILE,
                                 "period": "100", "name": "Ans"})
    with app.test_request_context(), force_locale(lang):
        expected = str(NOT_A_CHOICE)
    assert errors == {"roles": [expected], "position": [expected], "complex_id": [expected], "follows": [expected]}
    assert (lang == "en") == (expected == "Choose one of the options shown.")


@pytest.mark.parametrize(("lang", "whole_number", "fill_in"), [
    ("en", "Write a whole number, for example 12.", "Fill this in."),
    ("pl", "Proszę wpisać liczbę całkowitą, na przykład 12.", "Proszę wypełnić to pole."),
    ("ar", "اكتب عددًا صحيحًا، مثلًا 12.", "املأ هذا الحقل."),
])
def test_text_that_is_no_number_is_said_once_and_not_followed_by_the_range(app, lang, whole_number, fill_in):
    """It read "Not a valid integer value. The period is at least 42 days …", in WTForms' words."""
    errors = _errors(app, lang, {"roles": "admin", "position": "member", "follows": "yes", "period": "abc", "name": ""})
    assert errors == {"period": [whole_number], "name": [fill_in]}


def test_a_number_out_of_range_still_gets_the_range(app):
    assert _errors(app, "en", {"roles": "admin", "position": "member", "follows": "yes", "period": "7",
                               "name": "Ans"}) == {"period": ["42 to 365"]}


def test_an_account_page_sent_a_role_that_is_none_does_not_show_it_back(app, client, make_staff, login_staff):
    admin = make_staff(None, "admin")
    login_staff(client, admin)
    response = client.post_form(f"/staff/accounts/{admin.id}?lang=pl", {
        "email": admin.email, "name": admin.name, "roles": HOSTILE, "language": "nl"}, token_from="/staff/")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Proszę wybrać jedną z podanych możliwości." in page
    assert "x" * 100 not in page and "is not a valid choice" not in page
