"""Messages whose words follow a number (1 answer, 2 answers; Arabic has six forms, Polish three).

Pure: no Flask at import time, so pure modules (the tenant file importer) can mark their messages too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markupsafe import Markup


@dataclass(frozen=True)
class Counted:
    """A counted message: gettext's singular and plural, and the parameter that holds the number.

    Made at import time, translated when shown. Modules import it as ``_n``, so that
    `pybabel extract` (keyword ``_n:1,2``) finds both texts.
    """

    singular: str
    plural: str
    count: str = "n"

    def render(self, **params: object) -> str:
        """The message in the reader's language, in the form ``params[count]`` asks for, every number in
        it written the reader's way ("2.000"). Needs a request or app context, as gettext does."""
        from flask_babel import ngettext

        from inspraak.core.i18n_setup import format_numbers_in

        return ngettext(self.singular, self.plural, params[self.count], **format_numbers_in(params))

    def render_html(self, **params: object) -> "Markup":
        """``render`` for a page, put together as ``html_message`` does: a ``Markup`` parameter (an isolated name)
        kept as it is, any other escaped."""
        from flask_babel import get_translations

        from inspraak.core.i18n_setup import format_numbers_in, html_message

        translated = get_translations().ungettext(self.singular, self.plural, params[self.count])
        return html_message(translated, **format_numbers_in(params))

    def in_english(self, **params: object) -> str:
        """The message as the code writes it (the command line)."""
        return (self.singular if params[self.count] == 1 else self.plural) % params
