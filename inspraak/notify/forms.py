"""Forms for a tenant's mail choices and the staff outbox."""
from __future__ import annotations

from wtforms import BooleanField

from inspraak.core.forms import FlaskForm
from inspraak.notify.kinds import optional_kinds


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""


def preferences_form(choices: dict[str, bool]) -> FlaskForm:
    """A checkbox for every kind of mail a tenant may switch off, ticked when it is on."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in optional_kinds():
        setattr(PreferencesForm, kind.name, BooleanField(kind.label, description=kind.description))
    return PreferencesForm(data=choices)  # a submitted form's boxes win over the saved choices


def chosen(form: FlaskForm) -> dict[str, bool]:
    """The kinds and whether each is on, from a submitted preferences form."""
    return {kind.name: bool(form[kind.name].data) for kind in optional_kinds()}
