"""Configuration classes, read from the environment."""
from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'inspraak.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "inspraak_session"
    # How long a sign-in lasts at most, for staff and for tenants.
    STAFF_SESSION_LIFETIME = timedelta(hours=_int("STAFF_SESSION_HOURS", 12))
    TENANT_SESSION_LIFETIME = timedelta(days=_int("TENANT_SESSION_DAYS", 30))
    PERMANENT_SESSION_LIFETIME = timedelta(days=_int("TENANT_SESSION_DAYS", 30))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    # Adding a language: a catalogue in translations/ and a line here.
    LANGUAGES = {
        "nl": {"name": "Nederlands", "dir": "ltr"},
        "en": {"name": "English", "dir": "ltr"},
        "tr": {"name": "Türkçe", "dir": "ltr"},
        "ar": {"name": "العربية", "dir": "rtl"},
        "pl": {"name": "Polski", "dir": "ltr"},
    }

    # Where sign-in attempts are counted. memory:// is one process only (development, tests,
    # benchmarks); production needs a storage every worker shares, such as redis://host:6379/0.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    # While Redis cannot be reached, each worker counts in memory (a sign-in still works) until it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "fixed-window"
    # Sign-in attempts: per account (email or code) and per client address.
    SIGNIN_LIMIT_PER_ACCOUNT = os.environ.get("SIGNIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    SIGNIN_LIMIT_PER_ADDRESS = os.environ.get("SIGNIN_LIMIT_PER_ADDRESS", "30 per 15 minutes")

    LETTER_CODE_LENGTH = _int("LETTER_CODE_LENGTH", 12)
    LETTER_CODE_VALID_DAYS = _int("LETTER_CODE_VALID_DAYS", 180)
    SIGNIN_LINK_MINUTES = min(_int("SIGNIN_LINK_MINUTES", 15), 15)
    PASSWORD_RESET_MINUTES = _int("PASSWORD_RESET_MINUTES", 30)
    PASSWORD_MIN_LENGTH = _int("PASSWORD_MIN_LENGTH", 12)

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")  # smtp | console
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_SECURITY = os.environ.get("MAIL_SECURITY", "none")  # none | starttls | tls
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "inspraak@localhost")
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 6)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 20)
    # Waits in minutes before the 2nd, 3rd, … attempt after a temporary failure (the last repeats).
    MAIL_RETRY_MINUTES = os.environ.get("MAIL_RETRY_MINUTES", "1,5,15,60,240")
    # How long a worker holds the messages it claimed; after that another worker may send them again.
    MAIL_LEASE_SECONDS = _int("MAIL_LEASE_SECONDS", 300)

    # The public address, used in mail and letters (links, QR codes).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    # Council documents: where they are stored (default: instance/council_attachments) and the largest one.
    COUNCIL_ATTACHMENT_DIR = os.environ.get("COUNCIL_ATTACHMENT_DIR")
    COUNCIL_ATTACHMENT_MAX_BYTES = _int("COUNCIL_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
    # Proposal documents of support measurements (PDF): where they are stored (default:
    # instance/consultation_documents) and the largest one.
    CONSULTATION_DOCUMENT_DIR = os.environ.get("CONSULTATION_DOCUMENT_DIR")
    CONSULTATION_DOCUMENT_MAX_BYTES = _int("CONSULTATION_DOCUMENT_MAX_MB", 10) * 1024 * 1024
    # `flask inspraak send-reminders`: remind the council's chair and secretary this many days before advice is due.
    ADVICE_REMINDER_DAYS = _int("ADVICE_REMINDER_DAYS", 7)
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 200_000)

    # Support measurement (Civil Code 7:220): share of ALL dwellings that must agree, and the
    # smallest complex the presumption applies to.
    SUPPORT_THRESHOLD = float(os.environ.get("SUPPORT_THRESHOLD", "0.7"))
    SUPPORT_MIN_DWELLINGS = _int("SUPPORT_MIN_DWELLINGS", 10)

    # Published results hide every group of fewer than this many people (at least 5).
    RESULTS_PRIVACY_THRESHOLD = _int("RESULTS_PRIVACY_THRESHOLD", 10)
    # Days after the first publication of results until the raw answers and personal codes are removed
    # (results/retention.py; run by the clock, `flask inspraak tick`). The published numbers stay.
    RESPONSES_KEPT_DAYS = _int("RESPONSES_KEPT_DAYS", 365)

    # How many reverse proxies stand in front of the app (0: none); their X-Forwarded-For is trusted.
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)
    SECURE_HEADERS_HSTS = False
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    """Local development: debug on, mail printed to the terminal."""

    DEBUG = _bool("FLASK_DEBUG", True)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    """The test suite: a throw-away database, fast hashing."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("INSPRAAK_TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "smtp"
    SERVER_NAME = None
    ARGON2_FAST = True
    COUNCIL_ATTACHMENT_DIR = os.path.join(tempfile.gettempdir(), "inspraak-test-attachments")
    CONSULTATION_DOCUMENT_DIR = os.path.join(tempfile.gettempdir(), "inspraak-test-consultation-documents")


class ProductionConfig(Config):
    """Production: refuses to start with unsafe settings."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECURE_HEADERS_HSTS = True
    PREFERRED_URL_SCHEME = "https"
    # No silent default: unset, the limits would live in each worker's memory (see validate).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")

    @classmethod
    def validate(cls, app_config: dict) -> None:
        """Raise RuntimeError when the configuration is unsafe for production."""
        if app_config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
            raise RuntimeError("Set SECRET_KEY to a long random value before running in production.")
        if len(app_config["SECRET_KEY"]) < 32:
            raise RuntimeError("SECRET_KEY must be at least 32 characters long in production.")
        if app_config.get("DEBUG"):
            raise RuntimeError("DEBUG must be off in production.")
        if not app_config.get("RATELIMIT_STORAGE_URI"):
            raise RuntimeError(
                "Set RATELIMIT_STORAGE_URI=redis://host:6379/0 (a storage every worker shares) before running"
                " in production: in memory each worker counts sign-in attempts on its own, so the limits"
                " are multiplied by the number of workers. Only a single worker process may use memory://."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
