"""Forms for tenants' own settings and staff management of places and people."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SearchField
from wtforms.validators import DataRequired

from inspraak.core.forms import FlaskForm, Length, language_choices


class TenantSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(
        _l("Search"),
        validators=[Length(max=100)],
        description=_l("Name, street, postcode, unit number or person number"),
    )


class LanguageForm(FlaskForm):
    language = RadioField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class TenantImportForm(FlaskForm):
    file = FileField(
        _l("CSV file with tenants"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l("One line per tenant. Columns separated by ; or ,. Saved as CSV UTF-8 or as Windows CSV."),
    )
    dry_run = BooleanField(
        _l("Check only (change nothing)"),
        default=True,
        description=_l("Leave this on to see what would change. Turn it off to import."),
    )
    # Shown only after an import was held back because it would end many households (imports.ImportResult.held_back).
    partial_confirmed = BooleanField(_l("Yes, this is the complete list: the households that are not in it have left"))
