"""Generic error pages in the reader's language, and domain errors turned into responses."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from inspraak.core.errors import DomainError

MESSAGES = {
    400: (_l("Something went wrong"), _l("We could not understand this request. Go back and try again.")),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Something went wrong"), _l("This page cannot be used in this way.")),
    409: (_l("This has already changed"), _l("Someone else changed this at the same moment. Look at the page again.")),
    410: (_l("Link no longer works"), _l("This link does not work any more.")),
    # Any form can be too large, not only one with a file (a very long text answer).
    413: (_l("Too large to send"), _l("What you sent is too large. Choose a smaller file, or write a shorter text.")),
    429: (_l("Too many attempts"), _l("You tried too often. Wait 15 minutes and try again.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Try again later.")),
    503: (_l("Very busy right now"), _l("Many people are using the site at this moment. What you sent has not "
                                        "been saved. Wait a minute and send it again.")),
}
# A busy answer (503) tells the browser when to try again, in seconds.
RETRY_AFTER = 30


def render_error(status: int, message: str | None = None):  # noqa: ANN201
    title, default = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    return render_template("errors/error.html", title=title, message=message or default, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # noqa: ANN202
        return render_error(400, str(_l("This form has expired. Go back, reload the page and try again.")))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # noqa: ANN202
        from inspraak.extensions import db

        db.session.rollback()
        return render_error(error.status_code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # noqa: ANN202
        from inspraak.core.db import is_busy
        from inspraak.extensions import db

        if isinstance(error, HTTPException):
            return http_error(error)
        if isinstance(error, SQLAlchemyError) and is_busy(error):
            # Another write held the database too long (SQLite) or won a deadlock (PostgreSQL):
            # nothing was saved, and sending it again works. Said so, not "something went wrong".
            app.logger.warning("Database busy, request refused with 503: %s", error)
            db.session.rollback()
            page, status = render_error(503)
            return page, status, {"Retry-After": str(RETRY_AFTER)}
        app.logger.exception("Unhandled error")
        db.session.rollback()
        if app.debug or (app.testing and not app.config.get("SHOW_ERROR_PAGES")):
            raise error
        return render_error(500)
