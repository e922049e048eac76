"""Who an invitation is addressed to (the person, or the household's first current resident), and mailing the invited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inspraak.consultations import authoring
from inspraak.consultations.invitations import code_of, current_persons, first_current_person, has_taken_part_clause
from inspraak.consultations.models import Consultation, Invitation
from inspraak.core import audit
from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict
from inspraak.core.plurals import Counted as _n
from inspraak.core.security import format_code
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.notify.services import enqueue
from inspraak.people.models import Corporation, Dwelling, Person, StaffUser, Tenancy

# Translators: told to staff once invitations, reminders or notices are queued for the mail worker.
EMAILS_WAITING = _n("%(n)s email is waiting to be sent.", "%(n)s emails are waiting to be sent.")


@dataclass(frozen=True)
class Addressee:
    """Who a letter or mail goes to for one invitation."""

    name: str
    language: str
    email: str | None
    dwelling: Dwelling
    person_id: int | None = None  # whose mail preferences apply
    household: bool = False  # the letter goes to everyone living in the dwelling

    def greeting_name(self) -> str:
        """Who a letter or mail greets, in the current language: a household as "residents of <address>"
        (so that no greeting reads "Dear The residents of …"), a person by name."""
        if self.household:
            # Translators: follows "Dear" or "Hello" in a letter or mail to everyone living at an address.
            return _("residents of %(address)s", address=self.dwelling.address_line)
        return self.name


def addressee(invitation: Invitation, today: date) -> Addressee | None:
    """Who one invitation's letter or mail goes to; None for a dwelling nobody rents today."""
    if invitation.person_id:
        return _person_addressee(invitation.person)
    return _household_addressee(invitation, first_current_person(invitation.dwelling_id, today))


# A batch of letters or mails loads its people and homes in a few queries; larger batches are split
# (SQLite takes at most 32,766 values in one statement).
ADDRESSEE_BATCH = 500


def addressees(invitations: list[Invitation], today: date) -> list[Addressee | None]:
    """``addressee`` of each invitation, in order, with the people, households and homes loaded
    together (three queries a batch of ``ADDRESSEE_BATCH``, not two or three a letter)."""
    found: list[Addressee | None] = []
    for start in range(0, len(invitations), ADDRESSEE_BATCH):
        batch = invitations[start:start + ADDRESSEE_BATCH]
        person_ids = {i.person_id for i in batch if i.person_id}
        dwelling_ids = {i.dwelling_id for i in batch if not i.person_id}
        # Into the session's identity map, so that invitation.person and .dwelling need no query.
        # The map holds objects weakly: ``loaded`` keeps them until the batch is done.
        loaded: list[Any] = []
        if person_ids:
            loaded += db.session.scalars(sa.select(Person).where(Person.id.in_(person_ids))
                                         .options(selectinload(Person.tenancy).selectinload(Tenancy.dwelling))).all()
        first: dict[int, Person] = {}
        if dwelling_ids:
            loaded += db.session.scalars(sa.select(Dwelling).where(Dwelling.id.in_(dwelling_ids))).all()
            for person in db.session.scalars(current_persons(dwelling_ids, today).order_by(Person.id)
                                              .options(selectinload(Person.tenancy).selectinload(Tenancy.persons))):
                first.setdefault(person.tenancy.dwelling_id, person)
        found.extend(_person_addressee(i.person) if i.person_id else _household_addressee(i, first.get(i.dwelling_id))
                     for i in batch)
    return found


def _person_addressee(person: Person) -> Addressee:
    return Addressee(person.name, person.preferred_language, person.email, person.tenancy.dwelling, person.id)


def _household_addressee(invitation: Invitation, person: Person | None) -> Addressee | None:
    """A household's letter: to its residents, in the language of the first current one, to the first email known."""
    if person is None:
        return None
    with force_locale(person.preferred_language):  # the envelope speaks the letter's language, not the staff page's
        household = _("The residents of %(address)s", address=invitation.dwelling.address_line)
    emails = [p.email for p in person.tenancy.persons if p.email]
    return Addressee(household, person.preferred_language, emails[0] if emails else None, invitation.dwelling, person.id,
                     household=True)


def greeting_name_in(who: Addressee, language: str) -> str:
    """``Addressee.greeting_name`` in ``language`` (a mail's context is rendered later, outside this locale)."""
    with force_locale(language):
        return who.greeting_name()


def mail_invited(consultation: Consultation, selected: sa.Select, kind: str, *, extra: dict | None = None,
                 now: datetime | None = None) -> list[Invitation]:
    """Queue a mail of ``kind`` for each selected invitation whose person (or household) has an address.

    Each mail holds the personal code and a sign-in link. Returns the invitations mailed
    (not those without an address, nor those who switched this kind of mail off).
    """
    today = local_today(now or utcnow())
    base = current_app.config["BASE_URL"].rstrip("/")
    corporation = db.session.get(Corporation, consultation.corporation_id)
    mailed = []
    chosen = list(db.session.scalars(selected))
    for invitation, who in zip(chosen, addressees(chosen, today), strict=True):
        if who is None or not who.email:
            continue
        code = code_of(invitation)
        message = enqueue(
            kind,
            to_address=who.email,
            person_id=who.person_id,
            language=who.language,
            context={
                "name": greeting_name_in(who, who.language),
                "corporation": corporation,
                "title": consultation.title,  # in the recipient's language, or the source's (enqueue)
                "source_language": consultation.source_language,
                "link": base + url_for("auth.sign_in_qr", code=code),
                "code": format_code(code),
                "closes_at": consultation.closes_at,
                **(extra or {}),
            },
            corporation_id=consultation.corporation_id,
            holds_secret=True,
        )
        if message is not None:  # None: the tenant switched these mails off
            mailed.append(invitation)
    return mailed


def not_answered(consultation: Consultation) -> sa.Select:
    """The invitations of those who have not taken part (yet)."""
    return sa.select(Invitation).where(Invitation.consultation_id == consultation.id, ~has_taken_part_clause(Invitation))


def send_invitations(consultation: Consultation, *, reminder: bool, by: StaffUser | None) -> int:
    """Mail every invited person (or household) with a known address; reminders only to who has not answered.

    Returns:
        How many messages were queued.
    Raises:
        Conflict: the consultation does not take answers now.
    """
    # Two presses at once (two staff members, a double click): the second waits for the first
    # and then finds everyone mailed, instead of mailing everyone again.
    authoring.lock_consultation(consultation)
    now = utcnow()
    if not consultation.is_accepting(now):
        raise Conflict(str(_l("This consultation does not take answers now.")))
    stmt = not_answered(consultation)
    stmt = stmt.where(Invitation.reminded_at.is_(None) if reminder else Invitation.emailed_at.is_(None))
    mailed = mail_invited(consultation, stmt, "consultation_reminder" if reminder else "consultation_invitation",
                          extra={"reminder": reminder}, now=now)
    for invitation in mailed:
        if reminder:
            invitation.reminded_at = now
        else:
            invitation.emailed_at = now
    audit.record("consultation.reminders_sent" if reminder else "consultation.invitations_sent", actor=by,
                 corporation_id=consultation.corporation_id, obj=consultation, details={"messages": len(mailed)})
    return len(mailed)
