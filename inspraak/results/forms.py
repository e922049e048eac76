"""Forms for preparing and publishing results."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from inspraak.core.forms import CreateForm, DateField, FlaskForm, Length, written_in
from inspraak.results.presenting import OUTCOME_LABELS


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class PickQuoteForm(FlaskForm):
    response_id = HiddenField(validators=[InputRequired(), Length(max=32)])
    question_id = HiddenField(validators=[InputRequired()])
    item = HiddenField(validators=[InputRequired()])


class QuoteForm(FlaskForm):
    seen = HiddenField()  # the quote the form showed (core.edits): a save never undoes another's change unseen
    text = TextAreaField(_l("Quote"), validators=[InputRequired(), Length(max=2000)])
    # The tenant's own language (a quote is their words): the published page marks the quote with it.
    language = written_in()
    confirmed = BooleanField(_l("I checked this quote: nobody can be recognised from it"))


class OutcomeForm(CreateForm):
    text = TextAreaField(_l("What we will do"), validators=[InputRequired(), Length(max=2000)])
    due_on = DateField(_l("Planned date"), validators=[Optional()])


class OutcomeStatusForm(FlaskForm):
    seen = HiddenField()  # the action the form showed (core.edits)
    status = SelectField(_l("Status"), choices=[(k, v) for k, v in OUTCOME_LABELS.items()])
    due_on = DateField(_l("Planned date"), validators=[Optional()])
    note = TextAreaField(_l("Why it is not going ahead"), validators=[Optional(), Length(max=2000)],
                         description=_l("Needed when the status is “Not going ahead”. Tenants read it beside the action."))
