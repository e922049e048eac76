"""Sign-in rules: checking credentials, passwords and their reset, issuing letter codes and sign-in links.

Sessions (starting, finding the account of a request, ending) are in ``sessions``.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from inspraak.auth.models import EmailToken, LetterCode, TokenPurpose
from inspraak.auth.sessions import Account, account_may_sign_in, end_all_sessions
from inspraak.core import audit
from inspraak.core.codes import CodeMatch, resolve_code
from inspraak.core.db import utcnow
from inspraak.core.errors import DomainError, NotAllowed
from inspraak.core.plurals import Counted as _n
from inspraak.core.security import (
    hash_password,
    new_letter_code,
    new_token,
    normalize_code,
    password_needs_rehash,
    token_digest,
    verify_password,
)
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Corporation, Person, StaffUser, Tenancy

WRONG_PASSWORD = _l("This email address and password do not match. Check them and try again.")
# Translators: also said for a right code that was used up; tenants came back with it to read results and
# kept retyping it. The "link by email" is the second way to sign in, further down the same page.
WRONG_CODE = _l("This code does not work. Check the code on your letter. A code from a letter about a consultation "
                "stops working once you have answered or the consultation has closed: then ask for a link by email "
                "below.")
LINK_INVALID = _l("This link does not work any more. Ask for a new link.")


# ---------------------------------------------------------------- staff

def authenticate_staff(email: str, password: str) -> StaffUser:
    """Check a staff member's email and password.

    Raises:
        NotAllowed: with one message for an unknown email, a wrong password or an inactive account.
    """
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == normalize_email(email)))
    ok = verify_password(staff.password_hash if staff else None, password)
    if not staff or not ok or not staff.active:
        raise NotAllowed(str(WRONG_PASSWORD))
    if password_needs_rehash(staff.password_hash or ""):
        staff.password_hash = hash_password(password)
    return staff


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def set_password(staff: StaffUser, password: str) -> None:
    """Set a new password and end every session of the account.

    Raises:
        DomainError: when the password is too short.
    """
    check_password_strength(password)
    staff.password_hash = hash_password(password)
    staff.password_changed_at = utcnow()
    end_all_sessions(staff)


def check_password_strength(password: str) -> None:
    """Raise DomainError when a new password is too short."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise DomainError(_n("Use at least %(n)s character.", "Use at least %(n)s characters.").render(n=minimum))


def request_password_reset(email: str) -> None:
    """Mail a reset link when the email belongs to an active staff account; silent otherwise."""
    staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == normalize_email(email)))
    if staff is None or not staff.active:
        return
    token = _new_email_token(TokenPurpose.PASSWORD_RESET, staff, current_app.config["PASSWORD_RESET_MINUTES"])
    enqueue(
        "password_reset",
        to_address=staff.email,
        language=staff.preferred_language,
        context={
            "name": staff.name,
            "corporation": staff.corporation,
            "link": _external("auth.reset_password", token=token),
            "minutes": current_app.config["PASSWORD_RESET_MINUTES"],
        },
        corporation_id=staff.corporation_id,
        holds_secret=True,
    )
    audit.record("auth.password_reset_requested", actor=None, corporation_id=staff.corporation_id, obj=staff)


def check_password_reset_link(token: str) -> EmailToken:
    """Look at a password reset link without using it.

    Raises:
        NotAllowed: the link is unknown, used or expired.
    """
    return _find_email_token(TokenPurpose.PASSWORD_RESET, token)


def reset_password(token: str, password: str) -> StaffUser:
    """Use a password reset link once.

    Raises:
        NotAllowed: the link is unknown, used or expired.
        DomainError: the password is too short.
    """
    check_password_strength(password)
    row = _redeem_email_token(TokenPurpose.PASSWORD_RESET, token)
    staff = row.staff_user
    assert staff is not None
    set_password(staff, password)
    audit.record("auth.password_reset", actor=staff, corporation_id=staff.corporation_id, obj=staff)
    return staff


# ---------------------------------------------------------------- tenants

def authenticate_letter_code(raw_code: str) -> CodeMatch:
    """Sign a tenant in with a code from a letter: a personal code, or one another package issued.

    Returns:
        The person to sign in and, for codes of other packages, where to go next.
    Raises:
        NotAllowed: the code is unknown, revoked or expired, or the household no longer rents.
    """
    code = normalize_code(raw_code)
    if not code:
        raise NotAllowed(str(WRONG_CODE))
    now = utcnow()
    row = db.session.scalar(sa.select(LetterCode).where(LetterCode.code_digest == token_digest(code)))
    if row is not None:
        if not row.is_usable(now) or not account_may_sign_in(row.person):
            raise NotAllowed(str(WRONG_CODE))
        row.last_used_at = now
        return CodeMatch(row.person)
    match = resolve_code(code)
    if match is None or match.person is None or not account_may_sign_in(match.person):
        raise NotAllowed(str(WRONG_CODE))
    return match


def issue_letter_code(person: Person, issued_by: StaffUser | None) -> str:
    """Give a tenant a new personal code; every earlier code stops working.

    Returns:
        The code in plain text, to print now: it is stored only as a digest.
    """
    # Two at once (a double click, two staff members): the second waits, then revokes the first one's code.
    # Without the lock both revoked only the older codes, and the code of the letter nobody saw kept working.
    db.session.execute(sa.select(Person.id).where(Person.id == person.id).with_for_update())
    revoke_letter_codes(person, issued_by, record=False)
    length = current_app.config["LETTER_CODE_LENGTH"]
    while True:
        code = new_letter_code(length)
        digest = token_digest(code)
        if db.session.scalar(sa.select(LetterCode.id).where(LetterCode.code_digest == digest)) is None:
            break
    db.session.add(
        LetterCode(
            person_id=person.id,
            code_digest=digest,
            expires_at=utcnow() + timedelta(days=current_app.config["LETTER_CODE_VALID_DAYS"]),
            issued_by_id=issued_by.id if issued_by else None,
        )
    )
    db.session.flush()
    audit.record("auth.letter_code_issued", actor=issued_by, corporation_id=person.corporation_id, obj=person)
    return code


def revoke_letter_codes(person: Person, revoked_by: StaffUser | None, *, record: bool = True) -> int:
    """Stop every personal code of a tenant from working."""
    result = db.session.execute(
        sa.update(LetterCode)
        .where(LetterCode.person_id == person.id, LetterCode.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if record:
        audit.record("auth.letter_codes_revoked", actor=revoked_by, corporation_id=person.corporation_id, obj=person)
    return result.rowcount or 0


def list_letter_codes(person: Person) -> list[LetterCode]:
    return list(
        db.session.scalars(
            sa.select(LetterCode).where(LetterCode.person_id == person.id).order_by(LetterCode.created_at.desc())
        )
    )


def request_sign_in_link(email: str) -> int:
    """Mail a sign-in link to every current tenant with this address; silent when there is none.

    Returns:
        How many links were queued (never shown to the visitor).
    """
    address = normalize_email(email)
    if not address:
        return 0
    persons = db.session.scalars(
        sa.select(Person)
        .join(Tenancy, Person.tenancy_id == Tenancy.id)
        .where(sa.func.lower(Person.email) == address)
    ).all()
    minutes = current_app.config["SIGNIN_LINK_MINUTES"]
    sent = 0
    for person in persons:
        if not account_may_sign_in(person):
            continue
        token = _new_email_token(TokenPurpose.SIGN_IN, person, minutes)
        corporation = db.session.get(Corporation, person.corporation_id)
        enqueue(
            "sign_in_link",
            to_address=person.email or address,
            language=person.preferred_language,
            context={
                "name": person.name,
                "corporation": corporation,
                "link": _external("auth.email_link", token=token),
                "minutes": minutes,
            },
            corporation_id=person.corporation_id,
            holds_secret=True,
        )
        sent += 1
    return sent


def check_sign_in_link(token: str) -> EmailToken:
    """Look at a sign-in link without using it (the page that asks to confirm).

    Raises:
        NotAllowed: the link is unknown, used or expired.
    """
    return _find_email_token(TokenPurpose.SIGN_IN, token)


def redeem_sign_in_link(token: str) -> Person:
    """Use a sign-in link once.

    Raises:
        NotAllowed: the link is unknown, used or expired, or the household no longer rents.
    """
    row = _redeem_email_token(TokenPurpose.SIGN_IN, token)
    person = row.person
    if person is None or not account_may_sign_in(person):
        raise NotAllowed(str(LINK_INVALID))
    return person


# ---------------------------------------------------------------- helpers

def _new_email_token(purpose: TokenPurpose, account: Account, minutes: int) -> str:
    token = new_token()
    db.session.add(
        EmailToken(
            purpose=purpose,
            token_digest=token_digest(token),
            staff_user_id=account.id if account.is_staff else None,
            person_id=None if account.is_staff else account.id,
            expires_at=utcnow() + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def _find_email_token(purpose: TokenPurpose, token: str) -> EmailToken:
    row = db.session.scalar(
        sa.select(EmailToken).where(EmailToken.token_digest == token_digest(token), EmailToken.purpose == purpose)
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise NotAllowed(str(LINK_INVALID))
    return row


def _redeem_email_token(purpose: TokenPurpose, token: str) -> EmailToken:
    """Mark a token used, atomically: of two requests racing for it, one wins."""
    row = _find_email_token(purpose, token)
    result = db.session.execute(
        sa.update(EmailToken)
        .where(EmailToken.id == row.id, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotAllowed(str(LINK_INVALID))
    db.session.refresh(row)
    return row


def _external(endpoint: str, **values: str) -> str:
    """An absolute link for mail, built from BASE_URL (mail is not tied to the request's host)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
