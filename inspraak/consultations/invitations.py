"""Opening and closing: the frozen audience, personal codes, finding invitations, response rates."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from inspraak.consultations import authoring, queries
from inspraak.consultations.models import (
    AudienceScope,
    Breakdown,
    Channel,
    Consultation,
    ConsultationStatus,
    CountingUnit,
    Invitation,
    Participation,
)
from inspraak.core import audit
from inspraak.core.codes import CodeMatch
from inspraak.core.db import utcnow
from inspraak.core.errors import Conflict, DomainError, InvalidTransition, NotFound
from inspraak.core.plurals import Counted as _n
from inspraak.core.security import CODE_ALPHABET, token_digest
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people.models import Complex, Dwelling, Person, StaffUser, Tenancy


def person_unit_key(person_id: int) -> str:
    return f"p{person_id}"


def dwelling_unit_key(dwelling_id: int) -> str:
    return f"d{dwelling_id}"


def unit_key_for(consultation: Consultation, person: Person) -> str:
    """The counting unit a tenant answers for: themselves, or their household's dwelling."""
    if consultation.counting_unit is CountingUnit.DWELLING:
        return dwelling_unit_key(person.tenancy.dwelling_id)
    return person_unit_key(person.id)


# ---------------------------------------------------------------- codes

def invitation_code(consultation_id: int, salt: str) -> str:
    """The personal code of an invitation, derived from the secret key (only its digest is stored)."""
    key = current_app.config["SECRET_KEY"].encode()
    raw = hmac.new(key, f"consultation-code:{consultation_id}:{salt}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(raw, "big")
    length = current_app.config["LETTER_CODE_LENGTH"]
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def code_of(invitation: Invitation) -> str:
    return invitation_code(invitation.consultation_id, invitation.code_salt)


def find_invitation_by_code(code: str, corporation_id: int | None = None) -> Invitation | None:
    stmt = sa.select(Invitation).where(Invitation.code_digest == token_digest(code))
    if corporation_id is not None:
        stmt = stmt.join(Consultation).where(Consultation.corporation_id == corporation_id)
    return db.session.scalar(stmt)


# Built once (Core, on the table): this check runs with every tenant request.
_TAKEN_PART = sa.select(Participation.__table__.c.id).where(
    Participation.__table__.c.consultation_id == sa.bindparam("consultation_id"),
    Participation.__table__.c.unit_key == sa.bindparam("unit_key"),
)


def has_taken_part(consultation_id: int, unit_key: str) -> bool:
    return db.session.scalar(_TAKEN_PART, {"consultation_id": consultation_id, "unit_key": unit_key}) is not None


def taken_part_among(consultation_id: int, unit_keys: list[str]) -> set[str]:
    """Which of these units have taken part, in one query (a list of search results)."""
    if not unit_keys:
        return set()
    return set(db.session.scalars(sa.select(Participation.unit_key).where(
        Participation.consultation_id == consultation_id, Participation.unit_key.in_(unit_keys))))


def first_current_person(dwelling_id: int, today: date) -> Person | None:
    """The first person of the household that rents a dwelling today."""
    return db.session.scalar(current_persons({dwelling_id}, today).order_by(Person.id).limit(1))


def current_persons(dwelling_ids: set[int], today: date) -> sa.Select:
    """The people who live today in these dwellings (of a tenancy that runs today, and not left)."""
    return (
        sa.select(Person)
        .join(Tenancy, Person.tenancy_id == Tenancy.id)
        .where(
            Tenancy.dwelling_id.in_(dwelling_ids),
            Tenancy.start_date <= today,
            sa.or_(Tenancy.end_date.is_(None), Tenancy.end_date > today),
            sa.or_(Person.left_on.is_(None), Person.left_on > today),
        )
    )


def place_of(consultation: Consultation, unit_key: str) -> tuple[int | None, int | None]:
    """The neighbourhood and complex of an invited unit's dwelling today, at the consultation's breakdown level.

    A person's dwelling is that of their current tenancy; a dwelling outside any complex has
    no place. Without a breakdown nothing is recorded: ``(None, None)``.
    """
    if not consultation.records_place:
        return None, None
    row = db.session.execute(
        sa.select(Complex.neighbourhood_id, Complex.id)
        .select_from(Invitation)
        .outerjoin(Person, Invitation.person_id == Person.id)
        .outerjoin(Tenancy, Person.tenancy_id == Tenancy.id)
        .join(Dwelling, Dwelling.id == sa.func.coalesce(Invitation.dwelling_id, Tenancy.dwelling_id))
        .join(Complex, Dwelling.complex_id == Complex.id)
        .where(Invitation.consultation_id == consultation.id, Invitation.unit_key == unit_key)
    ).first()
    if row is None:
        return None, None
    neighbourhood_id, complex_id = row
    return neighbourhood_id, complex_id if consultation.breakdown is Breakdown.COMPLEX else None


def resolve_code(code: str) -> CodeMatch | None:
    """The sign-in hook: an invitation code signs in its person (or the household's first person).

    A code works until its person or dwelling has answered, and only while the consultation
    takes answers; then it is refused like any unknown code.
    """
    invitation = find_invitation_by_code(code)
    if invitation is None:
        return None
    now = utcnow()
    consultation = invitation.consultation
    if not consultation.is_accepting(now) or has_taken_part(consultation.id, invitation.unit_key):
        return None
    person = invitation.person if invitation.person_id else first_current_person(invitation.dwelling_id, local_today(now))
    if person is None:
        return None
    if invitation.code_used_at is None:
        invitation.code_used_at = now
    return CodeMatch(person, url_for("consultations.show", consultation_id=consultation.id))


# ---------------------------------------------------------------- opening and closing

def resolve_audience(consultation: Consultation, today: date) -> list[dict]:
    """Who is invited today: every current person, or every rented dwelling, in the chosen places."""
    current = sa.and_(
        Tenancy.start_date <= today,
        sa.or_(Tenancy.end_date.is_(None), Tenancy.end_date > today),
    )
    stmt = (
        sa.select(Tenancy.dwelling_id, Person.id)
        .join(Person, Person.tenancy_id == Tenancy.id)
        .join(Dwelling, Tenancy.dwelling_id == Dwelling.id)
        .outerjoin(Complex, Dwelling.complex_id == Complex.id)
        .where(Tenancy.corporation_id == consultation.corporation_id, current,
               sa.or_(Person.left_on.is_(None), Person.left_on > today))
        .order_by(Tenancy.dwelling_id, Person.id)
    )
    if consultation.audience_scope is AudienceScope.NEIGHBOURHOODS:
        stmt = stmt.where(Complex.neighbourhood_id.in_([n.id for n in consultation.neighbourhoods]))
    elif consultation.audience_scope is AudienceScope.COMPLEXES:
        stmt = stmt.where(Dwelling.complex_id.in_([c.id for c in consultation.complexes]))
    rows = db.session.execute(stmt).all()
    if consultation.counting_unit is CountingUnit.DWELLING:
        dwellings = dict.fromkeys(dwelling_id for dwelling_id, _person in rows)
        return [{"unit_key": dwelling_unit_key(d), "dwelling_id": d, "person_id": None} for d in dwellings]
    return [{"unit_key": person_unit_key(p), "person_id": p, "dwelling_id": None} for _d, p in rows]


def complex_size(complex_id: int) -> int:
    """Every dwelling of a complex, rented or not."""
    return db.session.scalar(sa.select(sa.func.count(Dwelling.id)).where(Dwelling.complex_id == complex_id)) or 0


def check_support_complex(consultation: Consultation) -> int:
    """The number of dwellings a support measurement counts over.

    Raises:
        DomainError: not exactly one complex, or fewer dwellings than the legal minimum.
    """
    if len(consultation.complexes) != 1:
        raise DomainError(str(_l("A support measurement is for exactly one complex.")))
    size = complex_size(consultation.complexes[0].id)
    minimum = current_app.config["SUPPORT_MIN_DWELLINGS"]
    if size < minimum:
        has = _n("This complex has %(size)s dwelling.", "This complex has %(size)s dwellings.", count="size")
        needs = _n("A support measurement needs at least %(min)s dwelling (Civil Code 7:220).",
                   "A support measurement needs at least %(min)s dwellings (Civil Code 7:220).", count="min")
        raise DomainError(f"{has.render(size=size)} {needs.render(min=minimum)}")  # two numbers, each its own plural
    return size


def open_consultation(consultation: Consultation, *, by: StaffUser) -> int:
    """Open a draft: freeze the invitation list from today's tenancies and give each a personal code.

    Returns:
        How many persons or dwellings are invited.
    Raises:
        InvalidTransition: the consultation is not a draft.
        DomainError: it is not ready (no questions, choices missing), nobody is in the audience,
            or a support measurement's complex is too small.
    """
    authoring.lock_consultation(consultation)
    problems = queries.check_ready(consultation)
    if problems:
        raise DomainError(" ".join(problems))
    now = utcnow()
    if consultation.closes_at is not None and consultation.closes_at <= now:
        raise DomainError(str(_l("The closing time has passed. Choose a later closing time.")))
    if consultation.is_support_measurement:
        consultation.total_units = check_support_complex(consultation)
    audience = resolve_audience(consultation, local_today(now))
    if not audience:
        raise DomainError(str(_l("Nobody lives in the chosen places today. Choose other places.")))
    consultation.open(now)
    digests: set[str] = set()
    rows = []
    for member in audience:
        salt, digest = _new_code(consultation.id, digests)
        digests.add(digest)
        rows.append({**member, "consultation_id": consultation.id, "code_salt": salt, "code_digest": digest})
    db.session.execute(sa.insert(Invitation), rows)
    audit.record("consultation.opened", actor=by, corporation_id=consultation.corporation_id, obj=consultation,
                 details={"invited": len(rows)})
    return len(rows)


def close_consultation(consultation: Consultation, *, by: StaffUser | None) -> None:
    """Close an open consultation now. Raises InvalidTransition when it is not open."""
    authoring.lock_consultation(consultation)
    consultation.close(utcnow())
    audit.record("consultation.closed", actor=by, corporation_id=consultation.corporation_id, obj=consultation)


def change_status(consultation: Consultation, action: str, *, by: StaffUser) -> None:
    """Archive a closed or published consultation. Raises InvalidTransition for other moves.

    Publishing is not a move here: only ``results.services`` publishes, together with the
    publication the results page shows.
    """
    authoring.lock_consultation(consultation)
    moves = {"archive": (consultation.archive, "consultation.archived")}
    if action not in moves:
        raise InvalidTransition(f"{consultation.status.value}: {action} is not a staff status change")
    transition, name = moves[action]
    transition()
    audit.record(name, actor=by,
                 corporation_id=consultation.corporation_id, obj=consultation)


# ---------------------------------------------------------------- finding invitations, reissuing codes

def _in_address_order(consultation: Consultation) -> sa.Select:
    """The consultation's invitations joined to their dwelling (the person's, or the household's), in address order."""
    return (
        sa.select(Invitation)
        .outerjoin(Person, Invitation.person_id == Person.id)
        .outerjoin(Tenancy, Person.tenancy_id == Tenancy.id)
        .join(Dwelling, Dwelling.id == sa.func.coalesce(Invitation.dwelling_id, Tenancy.dwelling_id))
        .where(Invitation.consultation_id == consultation.id)
        .order_by(Dwelling.postcode, Dwelling.house_number, Dwelling.house_number_addition, Invitation.id)
    )


def list_invitations(consultation: Consultation, *, only_open: bool = False, page: int = 1,
                     per_page: int = 100) -> list[Invitation]:
    """Invitations in address order; ``only_open`` leaves out those who answered."""
    stmt = _in_address_order(consultation)
    if only_open:
        stmt = stmt.where(~has_taken_part_clause(Invitation))
    return list(db.session.scalars(stmt.limit(per_page).offset((max(page, 1) - 1) * per_page)))


_ADDRESS = re.compile(r"(\d{4})\s*([A-Za-z]{2})\s*(\d+)?\s*(.*)")


def find_invitations(consultation: Consultation, query: str, *, limit: int = 20) -> list[Invitation]:
    """Invitations found by postcode (and house number, addition), or by a person's number or name.

    A household's invitation (counted per dwelling) is found by any of its current residents.
    """
    query = query.strip()
    if not query:
        return []
    stmt = _in_address_order(consultation)
    address = _ADDRESS.fullmatch(query)
    if address:
        postcode, number, addition = f"{address[1]} {address[2].upper()}", address[3], address[4].strip()
        stmt = stmt.where(sa.func.replace(Dwelling.postcode, " ", "") == postcode.replace(" ", ""))
        if number:
            stmt = stmt.where(Dwelling.house_number == int(number))
        if addition:
            stmt = stmt.where(sa.func.lower(Dwelling.house_number_addition) == addition.lower())
    else:
        resident, home = aliased(Person), aliased(Tenancy)
        household = sa.exists().where(home.dwelling_id == Invitation.dwelling_id, resident.tenancy_id == home.id,
                                      sa.or_(home.end_date.is_(None), home.end_date > local_today()),
                                      _person_matches(resident, query))
        stmt = stmt.where(sa.or_(_person_matches(Person, query), household))
    return list(db.session.scalars(stmt.limit(limit)))


def _person_matches(who: type[Person], query: str) -> sa.ColumnElement[bool]:
    return sa.or_(who.person_number == query, sa.func.lower(who.name).like(f"%{query.lower()}%"))


def get_invitation(consultation: Consultation, invitation_id: int) -> Invitation:
    """An invitation of this consultation. Raises NotFound otherwise."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.consultation_id != consultation.id:
        raise NotFound(str(_l("This invitation does not exist.")))
    return invitation


def _new_code(consultation_id: int, taken: set[str] = frozenset()) -> tuple[str, str]:
    """A fresh salt and the digest of the code it gives (unique among ``taken``)."""
    while True:
        salt = secrets.token_hex(16)
        digest = token_digest(invitation_code(consultation_id, salt))
        if digest not in taken:
            return salt, digest


def reissue_code(consultation: Consultation, invitation: Invitation, *, generation: int, by: StaffUser) -> Invitation:
    """Give a lost code a successor: the old code stops working, a letter with the new one can be printed.

    The code is derived from a new salt, so the earlier letter's code no longer matches any
    digest; the generation counts the letters, so a second click on the same button (or a
    colleague doing the same) is told instead of making yet another code.

    Args:
        generation: the generation the staff member saw; a different one means someone was first.
    Raises:
        Conflict: the consultation is not open, this person or household has answered already,
            or the code was reissued in the meantime.
    """
    authoring.lock_consultation(consultation)
    db.session.refresh(invitation)
    if consultation.status is not ConsultationStatus.OPEN:
        raise Conflict(str(_l("Codes are only reissued while the consultation is open.")))
    if has_taken_part(consultation.id, invitation.unit_key):
        raise Conflict(str(_l("This person or household has answered already. The code is no longer needed.")))
    if invitation.code_generation != generation:
        raise Conflict(str(_l("Someone has just made a new code for this letter. Print that one.")))
    invitation.code_salt, invitation.code_digest = _new_code(consultation.id)
    invitation.code_generation += 1
    invitation.code_used_at = None
    audit.record("consultation.code_reissued", actor=by, corporation_id=consultation.corporation_id, obj=invitation,
                 details={"consultation_id": consultation.id, "generation": invitation.code_generation})
    return invitation


def has_taken_part_clause(invitation_model: type[Invitation]) -> sa.ColumnElement[bool]:
    """A clause, true where the invitation's unit has taken part (use ``~`` for the ones still to answer)."""
    return sa.exists().where(
        Participation.consultation_id == invitation_model.consultation_id,
        Participation.unit_key == invitation_model.unit_key,
    )


# ---------------------------------------------------------------- response rates

@dataclass(frozen=True)
class ResponseRate:
    invited: int
    by_channel: dict[str, int]

    @property
    def taken_part(self) -> int:
        return sum(self.by_channel.values())

    @property
    def rate(self) -> float:
        return self.taken_part / self.invited if self.invited else 0.0


def response_rate(consultation: Consultation) -> ResponseRate:
    """How many were invited and how many took part, per channel (known even when anonymous).

    Once the answers were removed (``results.retention``), the counts kept at that moment.
    """
    if consultation.kept_counts and "rate" in consultation.kept_counts:
        kept = consultation.kept_counts["rate"]
        return ResponseRate(kept["invited"], dict(kept["by_channel"]))
    invited = db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).where(Invitation.consultation_id == consultation.id)
    ) or 0
    counts = dict(
        db.session.execute(
            sa.select(Participation.channel, sa.func.count())
            .where(Participation.consultation_id == consultation.id)
            .group_by(Participation.channel)
        ).all()
    )
    return ResponseRate(invited, {channel.value: counts.get(channel, 0) for channel in Channel})
