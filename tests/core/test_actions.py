"""``act`` with a form: a refusal that belongs beside a field is said there, with what was typed and its status."""
from __future__ import annotations

import pytest
from flask import get_flashed_messages
from wtforms import StringField

from inspraak.core.actions import act
from inspraak.core.errors import Conflict, DomainError, FieldRefused, NotFound
from inspraak.core.forms import FlaskForm


class TakenMeanwhile(Conflict, FieldRefused):
    """A refusal beside a field that is also a Conflict (as ``results.services.MissingText``)."""


class NoteForm(FlaskForm):
    title = StringField()
    text = StringField()


def _refused(app, error: DomainError, **options):  # noqa: ANN001, ANN202
    """Send a note form whose action is refused with ``error``; the response, the form and what was flashed."""
    def action() -> None:
        raise error

    with app.test_request_context("/", method="POST", data={"title": "As typed", "text": "Typed text"}):
        form = NoteForm(meta={"csrf": False})
        response = act(action, "Saved.", "/next", form=form,
                       again=lambda: (f"again: {form.title.data} / {form.text.data}", 200), **options)
        return response, form, get_flashed_messages(with_categories=True)


def test_a_field_refused_is_said_beside_its_field_with_what_was_typed(app) -> None:  # noqa: ANN001
    response, form, flashed = _refused(app, FieldRefused("Too short.", "title"))
    assert response.status_code == 400 and response.get_data(as_text=True) == "again: As typed / Typed text"
    assert form.title.errors == ["Too short."] and not form.text.errors
    assert flashed == []  # beside the field, not at the top


def test_a_field_refused_answers_with_its_own_status(app) -> None:  # noqa: ANN001
    response, form, _flashed = _refused(app, TakenMeanwhile("Say what was corrected.", "text"))
    assert response.status_code == 409 and form.text.errors == ["Say what was corrected."]


def test_a_field_the_form_lacks_is_said_at_the_top_as_before(app) -> None:  # noqa: ANN001
    response, form, flashed = _refused(app, FieldRefused("Too short.", "no_such_field"))
    assert response.status_code == 302 and response.location == "/next"
    assert not form.errors and flashed == [("error", "Too short.")]


def test_without_beside_other_refusals_are_flashed_and_go_to_the_target(app) -> None:  # noqa: ANN001
    response, form, flashed = _refused(app, Conflict("Changed meanwhile."))
    assert response.status_code == 302 and flashed == [("error", "Changed meanwhile.")] and not form.errors


@pytest.mark.parametrize(("error", "status"), [(Conflict("Changed meanwhile."), 409), (DomainError("No."), 400),
                                               (NotFound("Gone."), 404)])
def test_with_beside_every_refusal_is_said_there_with_its_status(app, error: DomainError, status: int) -> None:  # noqa: ANN001
    response, form, flashed = _refused(app, error, beside="text")
    assert response.status_code == status and form.text.errors == [error.message] and flashed == []
    assert response.get_data(as_text=True) == "again: As typed / Typed text"


def test_a_field_refused_goes_beside_its_own_field_also_with_beside(app) -> None:  # noqa: ANN001
    _response, form, _flashed = _refused(app, FieldRefused("Too short.", "title"), beside="text")
    assert form.title.errors == ["Too short."] and not form.text.errors
