"""inspraak: tenant participation for Dutch social housing corporations."""
from __future__ import annotations

import importlib
import os

from flask import Flask


def create_app(config: type | str | None = None) -> Flask:
    """Build the application: extensions, blueprints, CLI, error pages and headers.

    Args:
        config: a config class, a name from ``config.CONFIGS``, or None to use
            ``INSPRAAK_CONFIG`` (default: development).
    """
    from config import CONFIGS, ProductionConfig
    from inspraak.core.assets import AssetFlask

    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("INSPRAAK_CONFIG", "development")]
    app = AssetFlask(__name__, instance_relative_config=True)
    app.config.from_object(config)
    if issubclass(config, ProductionConfig):
        config.validate(app.config)
    _configure_database(app)
    if app.config.get("PROXY_FIX_X_FOR"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a reverse proxy: take the client address (for rate limits) and scheme from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)  # type: ignore[method-assign]

    from inspraak.core import assets, errors_views, i18n_setup, once, security
    from inspraak.extensions import babel, csrf, db, limiter, login_manager

    db.init_app(app)
    _init_migrations(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n_setup.locale_selector, timezone_selector=lambda: "Europe/Amsterdam")
    login_manager.init_app(app)

    from inspraak.auth import setup as auth_setup

    auth_setup.init_login(app, login_manager)
    i18n_setup.init_app(app)
    security.init_security(app)
    assets.init_app(app)
    errors_views.init_app(app)
    once.init_app(app)
    _register_blueprints(app)
    _import_models()

    from inspraak import consultations

    consultations.init_app(app)

    from inspraak.cli import cli_group

    app.cli.add_command(cli_group)
    return app


def _init_migrations(app: Flask) -> None:
    """Flask-Migrate, where migrations can run: the ``flask`` command (``flask db ...``) and the tests.

    It brings Alembic, about 10 MB in every process; a web worker under gunicorn never
    migrates, so it goes without. (The ``flask`` command marks itself with FLASK_RUN_FROM_CLI.)
    """
    if not (app.testing or os.environ.get("FLASK_RUN_FROM_CLI")):
        return
    from flask_migrate import Migrate

    from inspraak.extensions import db

    Migrate(app, db, render_as_batch=True, compare_type=True)


def _configure_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite:///") and uri != "sqlite://":
        os.makedirs(os.path.dirname(uri[len("sqlite:///") :]) or ".", exist_ok=True)


def _register_blueprints(app: Flask) -> None:
    from inspraak.auth.manage import bp as auth_manage_bp
    from inspraak.auth.views import bp as auth_bp
    from inspraak.core.views import bp as core_bp
    from inspraak.council.manage import bp as council_manage_bp
    from inspraak.council.secretary import bp as council_secretary_bp
    from inspraak.council.views import bp as council_bp
    from inspraak.notify.manage import bp as notify_manage_bp
    from inspraak.notify.views import bp as notify_bp
    from inspraak.people.manage import bp as people_manage_bp
    from inspraak.people.views import bp as people_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(people_manage_bp, url_prefix="/staff")
    app.register_blueprint(auth_manage_bp, url_prefix="/staff")
    app.register_blueprint(notify_manage_bp, url_prefix="/staff/outbox")
    app.register_blueprint(council_bp, url_prefix="/council")
    app.register_blueprint(council_secretary_bp, url_prefix="/council")
    app.register_blueprint(council_manage_bp, url_prefix="/staff/councils")

    app.register_blueprint(notify_bp)

    from inspraak.consultations.manage import bp as consultations_manage_bp
    from inspraak.consultations.views import bp as consultations_bp

    app.register_blueprint(consultations_bp)
    app.register_blueprint(consultations_manage_bp, url_prefix="/staff/consultations")

    from inspraak.results.manage import bp as results_manage_bp
    from inspraak.results.views import bp as results_bp

    app.register_blueprint(results_bp)
    app.register_blueprint(results_manage_bp, url_prefix="/staff/results")


MODEL_MODULES = (
    "inspraak.auth.models",
    "inspraak.consultations.models",
    "inspraak.core.audit",
    "inspraak.core.once",
    "inspraak.council.models",
    "inspraak.notify.models",
    "inspraak.people.models",
    "inspraak.results.models",
)


def _import_models() -> None:
    """Import every model module so that metadata (and Alembic) sees all tables."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
