"""The staff roles in words: a short name (lists, the audit log) and what each may do (the account form)."""
from __future__ import annotations

from collections.abc import Iterable

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from inspraak.people.models import Role

ROLE_NAMES = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Editor"),
    Role.PUBLISHER: _l("Publisher"),
    Role.DATA_ENTRY: _l("Data entry"),
    Role.PARTNER: _l("Partner"),
}
ROLE_LABELS = {
    Role.ADMIN: _l("Administrator: accounts, import, audit log"),
    Role.EDITOR: _l("Editor: builds consultations"),
    Role.PUBLISHER: _l("Publisher: publishes results"),
    Role.DATA_ENTRY: _l("Data entry: paper forms and helping tenants"),
    Role.PARTNER: _l("Partner: reads what is published"),
}


def role_names(roles: Iterable[Role | str]) -> str:
    """Roles by their names in the reader's language, in a fixed order ("Editor and Data entry")."""
    chosen = {Role(role) for role in roles}
    return format_list([str(ROLE_NAMES[role]) for role in Role if role in chosen], locale=get_locale())


def audit_detail(key: str, value: object) -> object:
    """A detail of an audit entry as the log shows it: the roles an account was given by their names."""
    return role_names(value) if key == "roles" and isinstance(value, list) else value
