"""Tenants sign in with the personal code from a letter."""
from datetime import timedelta

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from inspraak.auth import services
from inspraak.auth.models import LetterCode
from inspraak.core.db import utcnow
from inspraak.core.security import CODE_ALPHABET, normalize_code
from inspraak.extensions import db


def test_code_signs_in_and_shows_my_page(client, make_tenant):
    person = make_tenant(language="tr")
    code = services.issue_letter_code(person, None)
    db.session.commit()
    response = client.post_form("/sign-in/code", {"code": code.lower()[:4] + " - " + code[4:]})
    assert response.status_code == 302
    page = client.get("/my")
    assert page.status_code == 200
    assert person.name in page.get_data(as_text=True)


# The digits of the code alphabet as other scripts and keyboards write them: Arabic-Indic (an Arabic phone
# keyboard), Eastern Arabic-Indic (Persian, Urdu), Devanagari, and full width (a Japanese or Chinese input method).
OTHER_DIGITS = {d: [chr(base + int(d)) for base in (0x660, 0x6F0, 0x966, 0xFF10)] for d in "34679"}


@given(code=st.text(alphabet=CODE_ALPHABET, min_size=12, max_size=12), data=st.data())
def test_a_code_typed_in_another_script_or_width_reads_as_printed(code, data):
    """Whatever a phone keyboard types for the characters on the letter (lower case, full width, another
    script's digits, spaces and dashes between groups), the code reads as it was printed."""
    typed = []
    for n, ch in enumerate(code):
        forms = [ch, ch.lower(), chr(ord(ch) - ord("A") + 0xFF21) if ch.isalpha() else ch] + OTHER_DIGITS.get(ch, [])
        typed.append(data.draw(st.sampled_from(forms)))
        if n % 4 == 3:
            typed.append(data.draw(st.sampled_from(["", " ", "-", " - ", "\u00a0", "\u2010"])))
    assert normalize_code("".join(typed)) == code


def test_a_code_typed_with_arabic_digits_signs_in(client, make_tenant):
    person = make_tenant(language="ar")
    code = services.issue_letter_code(person, None)
    # One code in 38 has no digit at all (14 letters, 5 digits): issue again until this one has, so that the
    # test always types Arabic digits. Each new code stops the one before it.
    while not any(ch.isdigit() for ch in code):
        code = services.issue_letter_code(person, None)
    db.session.commit()
    typed = "".join(chr(0x660 + int(ch)) if ch.isdigit() else ch for ch in code)
    assert typed != code
    assert client.post_form("/sign-in/code", {"code": typed}).status_code == 302
    assert person.name in client.get("/my").get_data(as_text=True)


def test_wrong_code_is_refused_with_a_message(client, make_tenant):
    make_tenant()
    response = client.post_form("/sign-in/code", {"code": "AAAA-AAAA-AAAA"})
    assert response.status_code == 400
    assert "code" in response.get_data(as_text=True).lower()
    assert client.get("/my").status_code == 302


def test_expired_and_revoked_codes_do_not_work(client, make_tenant):
    person = make_tenant()
    code = services.issue_letter_code(person, None)
    db.session.commit()
    row = db.session.scalar(sa.select(LetterCode).where(LetterCode.person_id == person.id))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 400
    new_code = services.issue_letter_code(person, None)
    db.session.commit()
    services.revoke_letter_codes(person, None)
    db.session.commit()
    assert client.post_form("/sign-in/code", {"code": new_code}).status_code == 400


def test_reissue_stops_the_old_code(client, make_tenant):
    person = make_tenant()
    old = services.issue_letter_code(person, None)
    new = services.issue_letter_code(person, None)
    db.session.commit()
    assert client.post_form("/sign-in/code", {"code": old}).status_code == 400
    assert client.post_form("/sign-in/code", {"code": new}).status_code == 302


def test_codes_are_stored_hashed_from_an_unambiguous_alphabet(app, make_tenant):
    person = make_tenant()
    code = services.issue_letter_code(person, None)
    db.session.commit()
    assert len(code) >= 10
    assert not set(code) & set("0O1IL5S8B2Z")
    stored = db.session.scalars(sa.select(LetterCode.code_digest)).all()
    assert code not in stored and all(len(d) == 64 for d in stored)


def test_a_new_code_printed_by_eight_clicks_at_once_leaves_one_code_working(app, make_tenant, make_staff, login_staff):
    """A double click on "new code" (or two staff members): each click revoked only the codes before it, so
    on PostgreSQL every click's code kept working, also those of letters nobody saw."""
    from inspraak.people.models import Corporation
    from tests.concurrency import race_posts

    person = make_tenant()
    staff = make_staff(db.session.get(Corporation, person.corporation_id), "data_entry")
    person_id = person.id
    page = f"/staff/tenants/{person_id}/code"
    posts = []
    for _ in range(8):
        client = app.test_client()
        login_staff(client, staff)
        posts.append((client, page, {"csrf_token": client.csrf_token(page)}))
    assert race_posts(app, posts) == [200] * 8
    working = db.session.scalar(sa.select(sa.func.count()).select_from(LetterCode).where(
        LetterCode.person_id == person_id, LetterCode.revoked_at.is_(None)))
    db.session.commit()
    assert working == 1
