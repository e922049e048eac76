"""Sign-in forms."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo

from inspraak.core.forms import FlaskForm, Length, MultiCheckboxField
from inspraak.people.models import Role
from inspraak.people.roles import ROLE_LABELS



class LetterCodeForm(FlaskForm):
    code = StringField(
        _l("Your personal code"),
        validators=[DataRequired(message=_l("Type the code from your letter.")), Length(max=40)],
        description=_l("You find the code on the letter from your housing corporation."),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )
    next = HiddenField()


class EmailLinkForm(FlaskForm):
    email = EmailField(
        _l("Your email address"),
        validators=[
            DataRequired(message=_l("Type your email address.")),
            Email(message=_l("This is not an email address."), check_deliverability=False),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


class ConfirmLinkForm(FlaskForm):
    """A button that uses a sign-in link, so that mail scanners opening it do not use it up."""


class StaffSignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Type your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Type your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Type your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Type a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class SignOutForm(FlaskForm):
    """CSRF-protected sign-out buttons."""


class StaffAccountForm(FlaskForm):
    """Create or edit a staff account (admin only)."""

    seen = HiddenField()  # what an edit form showed (core.edits): a save never undoes another admin's change unseen

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Type an email address.")),
            Email(message=_l("This is not an email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Type a name.")), Length(max=200)])
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=200)],
        description=_l("For partners: the municipality, welfare or care organisation."),
    )
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired(message=_l("Choose at least one role."))])
    language = SelectField(_l("Language for email"))
    active = BooleanField(_l("May sign in"), default=True)

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.roles.choices = [(role.value, ROLE_LABELS[role]) for role in Role]
        self.language.choices = [(code, info["name"]) for code, info in current_app.config["LANGUAGES"].items()]
