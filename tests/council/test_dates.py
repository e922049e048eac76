"""The same kind of date reads the same way on every tenant page, in every language: a moment (a meeting's start,
the end of a vote or a consultation) as ``when`` writes it, a day as ``date`` does."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import inspraak
from inspraak.core.i18n_setup import format_when

TEMPLATES = Path(inspraak.__file__).parent


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_a_meetings_start_reads_the_same_on_the_council_page_and_the_meeting_page(app, client, make_council,
                                                                                    make_meeting, login_tenant, lang):
    """In Arabic the council page said '7‏/12‏/2026، 8:00 م', the meeting page 'الاثنين، 7 ديسمبر 2026، 20:00'."""
    council, members = make_council(size=3)
    with app.test_request_context():
        meeting, _motion = make_meeting(council, members[0])
    login_tenant(client, members[1].person)
    with app.test_request_context(f"/?lang={lang}"):
        when = format_when(meeting.starts_at)
    for page in (f"/council/{council.id}", f"/council/meetings/{meeting.id}"):
        assert when in client.get(f"{page}?lang={lang}").get_data(as_text=True), page


def test_tenant_pages_and_mails_write_moments_and_days_one_way():
    """No format of its own (a short date and time here, a long one there) in what tenants and council members read:
    staff tables (templates under manage/) may be compact."""
    own_formats = []
    for template in TEMPLATES.rglob("*.*"):
        if template.suffix not in (".html", ".txt") or "/manage/" in str(template) and "_letter_body" not in template.name:
            continue
        for found in re.findall(r"\|\s*(?:datetime|when|date)\(\s*\"(?:short|medium|long)\"\s*\)|\|\s*datetime\b(?!\(\"HH)",
                                template.read_text()):
            own_formats.append(f"{template.relative_to(TEMPLATES)}: {found}")
    assert not own_formats, own_formats
