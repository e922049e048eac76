"""Sign-in sessions: starting one, finding the account of a request from its token, and ending one or all."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from inspraak.auth.models import SignInSession
from inspraak.core import audit
from inspraak.core.db import utcnow
from inspraak.core.security import new_token, token_digest
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.models import Person, StaffRole, StaffUser, Tenancy

Account = StaffUser | Person


def start_session(account: Account, method: str) -> str:
    """Record a new server-side sign-in session and return its secret token.

    Args:
        account: the staff member or tenant signing in.
        method: how they proved who they are (password, letter_code, email_link).
    """
    token = new_token()
    lifetime = (
        current_app.config["STAFF_SESSION_LIFETIME"]
        if account.is_staff
        else current_app.config["TENANT_SESSION_LIFETIME"]
    )
    row = SignInSession(
        token_digest=token_digest(token),
        staff_user_id=account.id if account.is_staff else None,
        person_id=None if account.is_staff else account.id,
        expires_at=utcnow() + lifetime,
        method=method,
    )
    db.session.add(row)
    db.session.flush()
    account.session_token = token
    audit.record("auth.signed_in", actor=account, corporation_id=account.corporation_id, details={"method": method})
    return token


# ---------------------------------------------------------------- the account of a request

_session, _staff, _role = SignInSession.__table__, StaffUser.__table__, StaffRole.__table__
_person, _tenancy = Person.__table__, Tenancy.__table__
# Built once (Core, on the tables): it runs with every signed-in request. One row per role of a
# staff account (one row for a tenant); the columns of the other kind of account are NULL.
_SESSION_ACCOUNT = (
    sa.select(_session.c.revoked_at, _session.c.expires_at, _session.c.staff_user_id, _session.c.person_id,
              _role.c.role, *_staff.c, *_person.c, *_tenancy.c)
    .select_from(_session.outerjoin(_staff, _staff.c.id == _session.c.staff_user_id)
                 .outerjoin(_role, _role.c.staff_user_id == _staff.c.id)
                 .outerjoin(_person, _person.c.id == _session.c.person_id)
                 .outerjoin(_tenancy, _tenancy.c.id == _person.c.tenancy_id))
    .where(_session.c.token_digest == sa.bindparam("digest"))
)


def _attribute_keys(model: type, table: sa.Table) -> tuple[str, ...]:
    mapper = sa.inspect(model)
    return tuple(mapper.get_property_by_column(column).key for column in table.c)


# Where each account's columns sit in a row of _SESSION_ACCOUNT, and their attribute names.
_STAFF_KEYS, _PERSON_KEYS, _TENANCY_KEYS = (
    _attribute_keys(StaffUser, _staff), _attribute_keys(Person, _person), _attribute_keys(Tenancy, _tenancy))
_STAFF_AT = 5
_PERSON_AT = _STAFF_AT + len(_STAFF_KEYS)
_TENANCY_AT = _PERSON_AT + len(_PERSON_KEYS)
_STAFF_ID, _PERSON_ID, _TENANCY_ID = (
    _STAFF_AT + _STAFF_KEYS.index("id"), _PERSON_AT + _PERSON_KEYS.index("id"), _TENANCY_AT + _TENANCY_KEYS.index("id"))


def _as_loaded(model: type, keys: tuple[str, ...], values: Any) -> Any:
    """An instance holding a row's values, as if an ORM query had loaded it (not yet in a session).

    Its relationships are unloaded (they load lazily, as before) unless set with
    ``set_committed_value``; ``make_transient_to_detached`` gives it its identity and no history.
    """
    sa.orm.configure_mappers()  # a no-op once done; a fresh worker may not have run an ORM query yet
    instance = model._sa_class_manager.new_instance()
    instance.__dict__.update(zip(keys, values))
    make_transient_to_detached(instance)
    return instance


def _account_from_rows(rows: list[Any]) -> Account:
    """The staff account (with its roles) or the tenant (with the household), in this request's session.

    Built from the plain rows: loading the same through the ORM, with its joined loaders,
    cost twice the query itself on every request. An account the session holds already
    (loaded earlier in this request) is returned as it is, as an ORM query would.
    """
    first = rows[0]
    model, at, keys, id_at = ((StaffUser, _STAFF_AT, _STAFF_KEYS, _STAFF_ID) if first.staff_user_id
                              else (Person, _PERSON_AT, _PERSON_KEYS, _PERSON_ID))
    held = db.session.identity_map.get(sa.inspect(model).identity_key_from_primary_key((first[id_at],)))
    if held is not None:
        return held
    account = _as_loaded(model, keys, first[at:at + len(keys)])
    if model is StaffUser:
        roles = [_as_loaded(StaffRole, ("staff_user_id", "role"), (account.id, row.role))
                 for row in rows if row.role is not None]
        for role in roles:
            set_committed_value(role, "staff_user", account)
        set_committed_value(account, "role_rows", roles)
    else:
        tenancy_key = sa.inspect(Tenancy).identity_key_from_primary_key((first[_TENANCY_ID],))
        tenancy = db.session.identity_map.get(tenancy_key) or _as_loaded(
            Tenancy, _TENANCY_KEYS, first[_TENANCY_AT:_TENANCY_AT + len(_TENANCY_KEYS)])
        set_committed_value(account, "tenancy", tenancy)
    db.session.add(account)  # attached as persistent: no SQL; the roles or household come along
    return account


def load_session_account(token: str | None) -> Account | None:
    """The account behind a session token, or None when the session is over.

    A session is over when it was revoked (sign-out, sign out everywhere), has expired,
    the staff account is deactivated, or the tenant's household no longer rents.
    """
    if not token:
        return None
    # One query for the session, the account and its roles or household: this runs on every request.
    # A Core statement, so on the session's connection: the ORM's path for it costs ~15 µs more.
    rows = db.session.connection().execute(_SESSION_ACCOUNT, {"digest": token_digest(token)}).all()
    if not rows:
        return None
    first = rows[0]
    if first.revoked_at is not None or first.expires_at <= utcnow():
        return None
    if first[_STAFF_ID] is None and first[_PERSON_ID] is None:  # the account is gone
        return None
    account = _account_from_rows(rows)
    if not account_may_sign_in(account):
        return None
    account.session_token = token
    return account


def account_may_sign_in(account: Account) -> bool:
    if account.is_staff:
        return account.active
    return account.is_current(local_today())


def end_session(token: str | None) -> None:
    """Revoke one session (sign-out on this browser)."""
    if not token:
        return
    db.session.execute(
        sa.update(SignInSession)
        .where(SignInSession.token_digest == token_digest(token), SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all_sessions(account: Account) -> int:
    """Revoke every session of an account (sign out everywhere). Returns how many ended."""
    column = SignInSession.staff_user_id if account.is_staff else SignInSession.person_id
    result = db.session.execute(
        sa.update(SignInSession)
        .where(column == account.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record("auth.signed_out_everywhere", actor=account, corporation_id=account.corporation_id, obj=account)
    return result.rowcount or 0
