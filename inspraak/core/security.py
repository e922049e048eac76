"""Password hashing, secret tokens, safe redirects, the security headers of every response, and input
cleaned where it enters (NUL and other control characters, whole numbers beyond what a database column holds)."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from urllib.parse import quote_from_bytes, urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, Request, Response, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Map
from werkzeug.utils import cached_property

# Letters and digits that cannot be mistaken for one another when read aloud or on paper:
# no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, 6/G, U/V.
CODE_ALPHABET = "ACEFHKMNPRTWXY34679"

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
)


# The largest whole number an integer column holds on every database here (PostgreSQL's
# integer); no id is larger. SQLite cannot even bind a number beyond 2**63 (OverflowError),
# so a larger number from an address, a query string or a form is refused where it enters.
MAX_INTEGER = 2**31 - 1


def bounded_int(raw: str) -> int:
    """A whole number within ±MAX_INTEGER, for ``request.args.get(..., type=bounded_int)``.

    Raises:
        ValueError: not a whole number, or out of that range (``get`` then gives its default).
    """
    value = int(raw)
    if abs(value) > MAX_INTEGER:
        raise ValueError(f"{raw[:20]}… is beyond the integer range")
    return value


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a whole number up to MAX_INTEGER; a larger one matches no route (404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = MAX_INTEGER, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def _hasher() -> PasswordHasher:
    if current_app.config.get("ARGON2_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; False for a mismatch or a missing or damaged hash."""
    if not stored_hash:
        # Spend the same time as a real check so unknown accounts cannot be told apart.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def new_token(nbytes: int = 32) -> str:
    """A random URL-safe token for links."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """A keyed digest of a secret for storage and lookup; the secret itself is never stored."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_letter_code(length: int) -> str:
    """A personal code for a letter, from an alphabet without look-alikes."""
    if length < 10:
        raise ValueError("letter codes have at least 10 characters")
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(raw: str) -> str:
    """Accept a typed code with spaces, dashes and lower case, in full-width letters (NFKC), and with
    the digits of another script: an Arabic or Persian phone keyboard types ٣ or ۳ for the 3 on the letter."""
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text if ch.isalnum())


def format_code(code: str, group: int = 4) -> str:
    """Split a code into groups for printing: ABCD-EFGH-KMNP."""
    return "-".join(code[i : i + group] for i in range(0, len(code), group))


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site (no scheme, no host, no backslash tricks)."""
    if not target or not target.startswith("/"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    if target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_next(target) else default


def set_security_headers(response: Response) -> Response:
    """Headers for every response: pages, errors and static files."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SECURE_HEADERS_HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if request.endpoint != "static":
        # Dynamic pages carry personal data or CSRF tokens: never store them in a cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


# Control characters nobody types: pasted from other programs (a line break from a word processor
# arrives as a vertical tab). Tab, line feed and carriage return stay; a vertical tab or form feed
# becomes a line break, so words do not run together; the rest, NUL first of all, is removed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_AS = {"\x0b": "\n", "\x0c": "\n"}


def without_control_characters(text: str) -> str:
    """The text with control characters taken out (vertical tab and form feed as line breaks)."""
    return _CONTROL.sub(lambda match: _CONTROL_AS.get(match.group(), ""), text) if _CONTROL.search(text) else text


# Characters that take no room (zero-width space and joiners, direction marks, the byte order mark, soft hyphen).
# Inside a word they have their use (Arabic and Persian joiners, a name's direction); a field holding nothing
# else looks empty, yet passed as filled in: a name, title or answer nobody can see was stored.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_AN_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_A_VISIBLE = re.compile(rf"[^\s{_INVISIBLE}]")


def _clean_input(text: str) -> str:
    """A value as it enters: without control characters, and empty when nothing visible is left."""
    text = without_control_characters(text)
    return "" if _AN_INVISIBLE.search(text) and not _A_VISIBLE.search(text) else text


def _cleaned(values: MultiDict) -> MultiDict:
    """The same values without control characters, a value of invisible characters only as empty (a new dict
    only when there is one)."""
    if all(_clean_input(key) == key and _clean_input(value) == value for key, value in values.items(multi=True)):
        return values
    return type(values)((_clean_input(key), _clean_input(value)) for key, value in values.items(multi=True))


# Every printable ASCII character but the letters and digits quote_from_bytes keeps anyway: a query string
# made readable keeps its own %-escapes and separators; only bytes beyond ASCII, controls and spaces are escaped.
_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())


def _readable_query(query_string: bytes) -> bytes:
    """The query string, its bytes that are not UTF-8 %-escaped as a browser sends them."""
    try:
        query_string.decode()
    except UnicodeDecodeError:
        return quote_from_bytes(query_string, safe=_QUERY_SAFE).encode()
    return query_string


class CleanRequest(Request):
    """A request whose form fields and query string never hold a NUL or another control character.

    NUL has no use in anything a person types, SQLite would store it and PostgreSQL refuses
    it in text (an error, not a message). Other control characters come in with pasted text;
    they show as empty boxes, and a spreadsheet file cannot hold them (the XLSX export failed).
    So they are removed where input enters, once, for every form and view. A value of characters that take
    no room only (zero-width spaces, direction marks) arrives empty, so that a field that must be filled in says so.

    A query string with raw bytes that are not UTF-8 (sent by hand, not by a browser, which %-escapes
    them) made every page an error: werkzeug reads ``args`` and ``full_path`` as UTF-8. Those bytes
    are %-escaped where the request is made, as werkzeug leaves a %-escape that is not UTF-8.
    """

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.query_string = _readable_query(self.query_string)

    @cached_property
    def args(self) -> MultiDict:  # type: ignore[override]
        return _cleaned(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _cleaned(self.__dict__["form"])


def init_security(app: Flask) -> None:
    """Before any blueprint: the routes' ``int`` converter is bound when a rule is added."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
    app.after_request(set_security_headers)
