"""Forms of the council pages; they validate and never write."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp, ValidationError

from inspraak.core.forms import (
    CreateForm, DateField, DateTimeLocalField, FlaskForm, IntegerField, Length, WebAddress, written_in,
)
from inspraak.council.deadlines import MIN_ADVICE_PERIOD_DAYS
from inspraak.council.labels import choices
from inspraak.council.models import Ballot, Channel, Follows, ItemKind, Position, RequestKind, Subject
from inspraak.council.rules import Choice, Majority, QuorumRule

REQUIRED = _l("Fill this in.")
TERM_ENDS_BEFORE_START = _l("The term cannot end before it starts.")


class VoteForm(FlaskForm):
    choice = RadioField(_l("Your vote"), validators=[InputRequired(message=_l("Choose for, against or abstain."))])
    # Empty (my own vote) or the member id a proxy holder votes for: ASCII digits only
    # (str.isdigit() and int() disagree on digits such as "²").
    for_member = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,18}\Z")])

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.choice.choices = choices(Choice)

    def for_member_id(self) -> int | None:
        """The member a proxy holder votes for, or None for one's own vote (spaces alone count as empty)."""
        value = (self.for_member.data or "").strip()
        return int(value) if value else None


class MeetingForm(CreateForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(message=_l("Choose a date and time."))])
    place = StringField(_l("Place"), validators=[Length(max=300)])
    language = written_in()  # of the title and the place
    online_link = StringField(_l("Link for the online meeting"),
                              validators=[Optional(), WebAddress(), Length(max=500)])


class AgendaItemForm(CreateForm):
    kind = SelectField(_l("Kind of item"))
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    language = written_in()
    presenter = StringField(_l("Presented by"), validators=[Length(max=200)])
    document = FileField(_l("Document (PDF, office document or picture)"))

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(ItemKind)


class AttachmentForm(CreateForm):
    document = FileField(_l("Document (PDF, office document or picture)"),
                         validators=[FileRequired(message=_l("Choose a file."))])


class MotionForm(CreateForm):
    text = TextAreaField(_l("Text of the motion"), validators=[DataRequired(message=REQUIRED), Length(max=5000)])
    language = written_in()
    ballot = RadioField(_l("How do members vote?"), default=Ballot.OPEN.value)
    channel = RadioField(_l("Where do members vote?"), default=Channel.ONLINE.value)
    majority = SelectField(_l("Majority needed"))

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.ballot.choices = choices(Ballot)
        self.channel.choices = choices(Channel)
        self.majority.choices = [("", _l("As the statutes say"))] + choices(Majority)


class OpenVoteForm(FlaskForm):
    closes_at = DateTimeLocalField(_l("Voting closes at (leave empty to close by hand)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])


class CountsForm(FlaskForm):
    votes_for = IntegerField(_l("For"), validators=[InputRequired(message=REQUIRED), NumberRange(min=0)])
    votes_against = IntegerField(_l("Against"), validators=[InputRequired(message=REQUIRED), NumberRange(min=0)])
    abstentions = IntegerField(_l("Abstain"), validators=[InputRequired(message=REQUIRED), NumberRange(min=0)])


class ProxyForm(FlaskForm):
    giver = SelectField(_l("Member who gives the proxy"), coerce=int)
    holder = SelectField(_l("Member who votes for them"), coerce=int)
    signed_on = DateField(_l("Date on the written proxy"), validators=[DataRequired(message=_l("Choose a date."))])


class MinutesForm(CreateForm):
    text = TextAreaField(_l("Minutes"), validators=[DataRequired(message=REQUIRED), Length(max=100000)])
    language = written_in()


class ButtonForm(FlaskForm):
    """A form with only a button: publish, open, close, approve."""


class AdviceRequestForm(CreateForm):
    subject = SelectField(_l("Subject"))
    subject_other = StringField(_l("Other subject"), validators=[Length(max=200)])
    kind = RadioField(_l("What do you ask?"), default=RequestKind.ADVICE.value)
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    body = TextAreaField(_l("The request"), validators=[DataRequired(message=REQUIRED), Length(max=20000)])
    language = written_in()
    received_on = DateField(_l("Date the council receives it"), validators=[DataRequired(message=_l("Choose a date."))])
    # One range, said once: the law's six weeks as the least (the service checks it too), a year as the most.
    period_days = IntegerField(_l("Period in days (at least 42)"), default=MIN_ADVICE_PERIOD_DAYS,
                               validators=[InputRequired(message=REQUIRED), NumberRange(
                                   min=MIN_ADVICE_PERIOD_DAYS, max=365,
                                   message=_l("The period is at least 42 days (six weeks) and at most 365 days."))])
    document = FileField(_l("Document (PDF, office document or picture)"))

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.subject.choices = choices(Subject)
        self.kind.choices = choices(RequestKind)


class AdviceForm(FlaskForm):
    text = TextAreaField(_l("The advice"), validators=[DataRequired(message=REQUIRED), Length(max=20000)])
    language = written_in()
    sent_on = DateField(_l("Date sent"), validators=[DataRequired(message=_l("Choose a date."))])
    no_objection = BooleanField(_l("This is a written \u201cno objection\u201d"))
    motion_id = SelectField(_l("Adopted by the motion"), coerce=int, validators=[Optional()])
    consultation_id = SelectField(_l("The consultation of tenants on this subject, if there was one"), coerce=int,
                                  validators=[Optional()])


class ResponseForm(FlaskForm):
    text = TextAreaField(_l("The response"), validators=[DataRequired(message=REQUIRED), Length(max=20000)])
    language = written_in()
    follows = RadioField(_l("Does the corporation follow the advice?"),
                         validators=[InputRequired(message=_l("Choose an answer."))])
    responded_on = DateField(_l("Date sent"), validators=[DataRequired(message=_l("Choose a date."))])

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.follows.choices = choices(Follows)


class ReasonsForm(FlaskForm):
    text = TextAreaField(_l("The reasons"), validators=[DataRequired(message=REQUIRED), Length(max=20000)])
    language = written_in()
    sent_on = DateField(_l("Date sent"), validators=[DataRequired(message=_l("Choose a date."))])


class StatutesForm(FlaskForm):
    seen = HiddenField()  # the rules the form showed (core.edits): a save never undoes another's change unseen
    quorum_rule = SelectField(_l("Quorum"))
    proxies_count_for_quorum = BooleanField(_l("Members represented by a proxy count for the quorum"))
    default_majority = SelectField(_l("Majority needed"))
    abstentions_count_as_cast = BooleanField(_l("Abstentions count as votes cast"))
    proxies_allowed = BooleanField(_l("Members may give a written proxy"))
    proxy_cap = IntegerField(_l("Most proxies one member may hold"),
                             validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=10)])
    secret_ballots_allowed = BooleanField(_l("Secret votes are allowed"))

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.quorum_rule.choices = choices(QuorumRule)
        self.default_majority.choices = choices(Majority)


class CouncilForm(CreateForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    complex_number = StringField(_l("Complex number (only for a residents' committee)"), validators=[Length(max=30)])


class MemberForm(CreateForm):
    person_number = StringField(_l("Person number"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    # An ordinary seat unless chosen: the chair and the secretary run meetings and votes.
    position = SelectField(_l("Position"), default=Position.MEMBER.value)
    term_start = DateField(_l("Term starts"), validators=[DataRequired(message=_l("Choose a date."))])
    term_end = DateField(_l("Term ends"), validators=[Optional()])

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.position.choices = choices(Position)

    def validate_term_end(self, field: DateField) -> None:
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(TERM_ENDS_BEFORE_START)
