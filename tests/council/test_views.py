"""Council pages through the browser's eyes: the secretary's flow, members voting, access and languages."""
import re
from datetime import timedelta

import pytest
from markupsafe import escape
import sqlalchemy as sa

from inspraak.core.audit import AuditEntry
from inspraak.council import agendas, membership, presence, records, voting
from inspraak.core.db import utcnow
from inspraak.core.timeutil import local_today
from inspraak.council.models import (
    Ballot, Channel, CouncilKind, ItemKind, Meeting, MeetingStatus, Motion, MotionResult, SecretBallot, Vote,
)
from inspraak.council.rules import Choice
from inspraak.core.once import new_token
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage

LANGS = ["nl", "en", "tr", "ar", "pl"]


@pytest.fixture
def council_setup(make_council, make_meeting, request_context):  # noqa: ANN001, ANN201
    council, members = make_council(size=4)
    meeting, motion = make_meeting(council, members[0], open_vote=False)
    return council, members, meeting, motion


@pytest.fixture
def member_at_open_vote(client, council_setup, login_tenant):  # noqa: ANN001, ANN201
    """``council_setup`` with its motion open for a vote and a member (``members[1]``) signed in on ``client``:
    (members, meeting, motion)."""
    _council, members, meeting, motion = council_setup
    voting.open_vote(motion, closes_at=None, by=members[0])
    db.session.commit()
    login_tenant(client, members[1].person)
    return members, meeting, motion


def test_secretary_flow_from_agenda_to_decision_list(client, make_council, login_tenant, app):
    council, members = make_council(size=4)
    secretary = members[0]
    voters = {}
    for member in members[1:3]:  # sign everyone in first: the test's own writes come before the requests'
        voters[member.id] = client.application.test_client()
        login_tenant(voters[member.id], member.person)
    login_tenant(client, secretary.person)
    page = client.get(f"/council/{council.id}/meetings/new")
    assert page.status_code == 200
    response = client.post_form(f"/council/{council.id}/meetings/new",
                                {"title": "Voorjaarsvergadering", "starts_at": "2030-04-01T19:30", "place": "Buurthuis",
                                 "once": new_token()},
                                token_from=f"/council/{council.id}/meetings/new")
    assert response.status_code == 302
    db.session.commit()
    meeting_id = db.session.scalar(sa.select(Meeting.id).where(Meeting.council_id == council.id))
    manage = f"/council/meetings/{meeting_id}/manage"
    client.post_form(f"/council/meetings/{meeting_id}/items", {"kind": "decision", "title": "Begroting",
                     "description": "Budget 2031", "language": "nl", "presenter": "Penningmeester",
                     "once": new_token()}, token_from=manage)
    client.post_form(f"/council/meetings/{meeting_id}/items", {"kind": "information", "title": "Mededelingen",
                     "language": "nl", "once": new_token()}, token_from=manage)
    db.session.commit()
    items = db.session.get(Meeting, meeting_id).items
    assert [i.title["nl"] for i in items] == ["Begroting", "Mededelingen"]
    item_ids = [i.id for i in items]
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/items/{item_ids[1]}/move/up", token_from=manage)
    db.session.commit()
    assert [i.title["nl"] for i in db.session.get(Meeting, meeting_id).items] == ["Mededelingen", "Begroting"]
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/items/{item_ids[0]}/motions",
                     {"text": "We nemen de begroting aan.", "language": "nl", "ballot": "open", "channel": "online",
                      "majority": "", "once": new_token()}, token_from=manage)
    response = client.post_form(f"/council/meetings/{meeting_id}/publish", token_from=manage)
    assert response.status_code == 302
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "agenda_published")).all()
    assert len(mails) == 4
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/attendance",
                     {f"member-{m.id}": "present" for m in members[:3]} | {f"member-{members[3].id}": "excused"},
                     token_from=manage)
    client.post_form(f"/council/meetings/{meeting_id}/proxies", {"giver": members[3].id, "holder": members[1].id,
                     "signed_on": "2030-03-30"}, token_from=manage)
    db.session.commit()
    motion = db.session.scalar(sa.select(Motion).where(Motion.agenda_item_id == item_ids[0]))
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/motions/{motion.id}/open", {"closes_at": ""}, token_from=manage)
    db.session.commit()
    assert db.session.get(Motion, motion.id).status.value == "voting"
    db.session.commit()

    db.session.commit()
    for voter, choice in [(client, "for"), (voters[members[2].id], "against")]:
        assert voter.post_form(f"/council/motions/{motion.id}/vote", {"choice": choice},
                               token_from=f"/council/meetings/{meeting_id}").status_code == 302
    holder = voters[members[1].id]
    page = holder.get(f"/council/meetings/{meeting_id}").get_data(as_text=True)
    assert members[3].person.name in page  # a form to vote for the giver
    holder.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for"}, token_from=f"/council/meetings/{meeting_id}")
    holder.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for", "for_member": str(members[3].id)},
                     token_from=f"/council/meetings/{meeting_id}")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 4
    for tampered in ("\u00b2", "\u2460", "abc", "-1", "1e3"):  # not a member id: refused, not a 500 or a vote for oneself
        answer = holder.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for", "for_member": tampered},
                                  token_from=f"/council/meetings/{meeting_id}")
        assert answer.status_code == 400
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 4
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/open", token_from=manage)
    client.post_form(f"/council/meetings/{meeting_id}/motions/{motion.id}/close", token_from=manage)
    db.session.commit()
    result = db.session.get(MotionResult, motion.id)
    assert (result.votes_for, result.votes_against, result.present, result.proxies) == (3, 1, 3, 1)
    assert result.outcome.value == "adopted"
    decisions = client.get(f"/council/{council.id}/published?lang=en").get_data(as_text=True)
    assert "We nemen de begroting aan." not in decisions  # not before the minutes are approved and published
    db.session.commit()
    client.post_form(f"/council/meetings/{meeting_id}/minutes", {"minutes-text": "Notulen.", "minutes-language": "nl",
                                                                "once": new_token()}, token_from=manage)
    client.post_form(f"/council/meetings/{meeting_id}/close", token_from=manage)
    client.post_form(f"/council/meetings/{meeting_id}/minutes/approve", token_from=manage)
    approved = client.get(f"/council/{council.id}/published?lang=en").get_data(as_text=True)
    assert "We nemen de begroting aan." not in approved  # approved, not yet shared
    client.post_form(f"/council/meetings/{meeting_id}/minutes/publish", token_from=manage)
    db.session.commit()
    assert db.session.get(Meeting, meeting_id).status is MeetingStatus.MINUTES_PUBLISHED
    db.session.commit()
    published = client.get(f"/council/{council.id}/published?lang=en").get_data(as_text=True)
    assert "We nemen de begroting aan." in published and "Adopted" in published
    assert "not translated yet" in published


def test_anonymous_is_sent_to_sign_in(client, council_setup):
    _council, _members, meeting, _motion = council_setup
    response = client.get(f"/council/meetings/{meeting.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_member_of_another_committee_cannot_see_or_vote(client, make_council, make_meeting, login_tenant, request_context):
    corporation_council, members = make_council(size=3, kind=CouncilKind.RESIDENTS_COMMITTEE)
    _other, outsiders = make_council(db_corporation(corporation_council), size=3, kind=CouncilKind.RESIDENTS_COMMITTEE)
    meeting, motion = make_meeting(corporation_council, members[0])
    login_tenant(client, outsiders[1].person)
    assert client.get(f"/council/meetings/{meeting.id}").status_code == 404
    token = client.csrf_token("/council/")
    assert client.post(f"/council/motions/{motion.id}/vote", data={"choice": "for", "csrf_token": token}).status_code == 404
    assert client.get(f"/council/meetings/{meeting.id}/manage").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def db_corporation(council):  # noqa: ANN001, ANN201
    return council.corporation


def test_another_corporations_ids_give_404(client, make_council, make_meeting, login_tenant, make_tenant, request_context):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    stranger = make_tenant()
    login_tenant(client, stranger)
    for path in (f"/council/{council.id}", f"/council/meetings/{meeting.id}", f"/council/{council.id}/published"):
        assert client.get(path).status_code == 404


def test_plain_member_cannot_manage(client, council_setup, login_tenant):
    _council, members, meeting, _motion = council_setup
    login_tenant(client, members[2].person)
    assert client.get(f"/council/meetings/{meeting.id}/manage").status_code == 403
    token = client.csrf_token("/council/")
    assert client.post(f"/council/meetings/{meeting.id}/close", data={"csrf_token": token}).status_code == 403


def test_staff_cannot_vote(client, council_setup, make_staff, login_staff):
    council, members, meeting, motion = council_setup
    voting.open_vote(motion, closes_at=None, by=members[0])
    db.session.commit()
    staff = make_staff(council.corporation)
    login_staff(client, staff)
    token = client.csrf_token("/staff/councils/")
    assert client.post(f"/council/motions/{motion.id}/vote", data={"choice": "for", "csrf_token": token}).status_code == 403
    assert client.get(f"/council/meetings/{meeting.id}").status_code == 403


def test_removed_member_loses_access_at_once(client, council_setup, login_tenant):
    _council, members, meeting, _motion = council_setup
    login_tenant(client, members[2].person)
    assert client.get(f"/council/meetings/{meeting.id}").status_code == 200
    membership.remove_member(db.session.get(type(members[2]), members[2].id), by=None)
    db.session.commit()
    assert client.get(f"/council/meetings/{meeting.id}").status_code == 404


def test_vote_without_csrf_token_is_refused(client, member_at_open_vote):
    _members, _meeting, motion = member_at_open_vote
    assert client.post(f"/council/motions/{motion.id}/vote", data={"choice": "for"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


@pytest.mark.parametrize("lang, message", [("nl", "Kies voor, tegen of onthouding."), ("en", "Choose for, against or abstain.")])
def test_a_vote_sent_without_a_choice_is_told_in_its_own_box(client, member_at_open_vote, lang, message):
    """The browser's own 'required' bubble spoke the browser's language; the server's message stood at the top
    of a long page while the page jumped to the motion. Now the page says it inside the vote's box."""
    _members, meeting, motion = member_at_open_vote
    path = f"/council/meetings/{meeting.id}?lang={lang}"
    assert 'class="vote-form" novalidate' in client.get(path).get_data(as_text=True)
    response = client.post_form(f"/council/motions/{motion.id}/vote", {}, token_from=path)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error_id = f"vote-error-{motion.id}-0"
    box = html.split(f'<fieldset class="field-error" aria-describedby="{error_id}">')[1].split("</fieldset>")[0]
    assert f'id="{error_id}" role="alert" tabindex="-1" autofocus>{message}</p>' in box
    assert 'aria-invalid="true"' in box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_a_proxy_field_of_spaces_is_ones_own_vote_not_a_server_error(client, member_at_open_vote):
    members, meeting, motion = member_at_open_vote
    path = f"/council/meetings/{meeting.id}"
    assert client.post_form(f"/council/motions/{motion.id}/vote", {"for_member": "   "}, token_from=path).status_code == 400
    assert client.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for", "for_member": "   "},
                            token_from=path).status_code == 302
    assert db.session.scalar(sa.select(Vote.member_id)) == members[1].id


def test_second_vote_is_a_clean_409(client, member_at_open_vote):
    _members, meeting, motion = member_at_open_vote
    path = f"/council/meetings/{meeting.id}"
    assert client.post_form(f"/council/motions/{motion.id}/vote", {"choice": "for"}, token_from=path).status_code == 302
    assert client.post_form(f"/council/motions/{motion.id}/vote", {"choice": "against"}, token_from=path).status_code == 409


def _vote_refused_page(response, status: int, message: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert f'<p class="flash flash-error">{message}</p>' in html
    assert "<h1>" in html and 'id="motion-' in html  # the meeting's page, not an error page with only a way home
    return html


def test_a_vote_refused_comes_back_on_the_meeting_page_with_the_reason(client, member_at_open_vote):
    """A vote sent twice, or after the secretary closed voting, ended on an error page ('Go to the start
    page'): the member lost the meeting. The page of the meeting comes back (409) with the reason at the top."""
    members, meeting, motion = member_at_open_vote
    path = f"/council/meetings/{meeting.id}?lang=en"
    token = client.csrf_token(path)
    client.post(f"/council/motions/{motion.id}/vote", data={"choice": "for", "csrf_token": token})
    again = client.post(f"/council/motions/{motion.id}/vote?lang=en", data={"choice": "against", "csrf_token": token})
    _vote_refused_page(again, 409, "This vote has already been cast.")
    voting.close_vote(db.session.get(Motion, motion.id), by=members[0])
    db.session.commit()
    late = client.post(f"/council/motions/{motion.id}/vote?lang=en", data={"choice": "for", "csrf_token": token})
    _vote_refused_page(late, 409, "Voting on this motion is not open.")


@pytest.mark.parametrize(("someone", "status", "message"), [
    ("another member", 403, "You do not hold a proxy for this member."),
    ("oneself", 403, "A member cannot give a proxy to themselves."),
    ("a member of another council", 403, "This person is not a member of this council."),
    ("a member of another corporation", 404, "This member does not exist."),
    ("nobody", 404, "This member does not exist."),
    ("nobody, in eighteen digits", 404, "This member does not exist."),
    ("no number", 400, "This vote form does not name a member. Please vote again from this page."),
    ("a negative number", 400, "This vote form does not name a member. Please vote again from this page."),
])
def test_a_vote_with_a_tampered_proxy_field_is_refused_on_the_meeting_page_with_what_is_wrong(
        client, member_at_open_vote, make_council, someone, status, message):
    """Every tampered proxy field said 'You do not hold a proxy for this member.' (one that is no number:
    'Choose for, against or abstain.', after a redirect): now each says what is wrong, and nothing is counted."""
    members, meeting, motion = member_at_open_vote
    other = {"another member": lambda: members[2].id, "oneself": lambda: members[1].id,
             "a member of another council": lambda: make_council(
                 members[0].council.corporation, size=1, kind=CouncilKind.RESIDENTS_COMMITTEE)[1][0].id,
             "a member of another corporation": lambda: make_council(size=1)[1][0].id,
             "nobody": lambda: 999_999, "nobody, in eighteen digits": lambda: "9" * 18,
             "no number": lambda: "abc", "a negative number": lambda: "-1"}[someone]()
    path = f"/council/meetings/{meeting.id}?lang=en"
    response = client.post_form(f"/council/motions/{motion.id}/vote?lang=en", {"choice": "for", "for_member": str(other)},
                                token_from=path)
    _vote_refused_page(response, status, message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_secret_choice_never_in_logs_audit_or_mail(client, make_council, make_meeting, login_tenant, caplog, request_context):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0], ballot=Ballot.SECRET)
    login_tenant(client, members[1].person)
    caplog.set_level("DEBUG")
    response = client.post_form(f"/council/motions/{motion.id}/vote", {"choice": "abstain"}, token_from=f"/council/meetings/{meeting.id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/council/meetings/{meeting.id}").get_data(as_text=True)
    assert "So far" not in page
    db.session.commit()  # a fresh snapshot after the requests
    assert db.session.scalar(sa.select(SecretBallot.choice)).value == "abstain"
    assert "abstain" not in caplog.text.lower()
    for entry in db.session.scalars(sa.select(AuditEntry)):
        assert "abstain" not in repr(entry.details).lower() and "choice" not in repr(entry.details).lower()
    for message in db.session.scalars(sa.select(OutboxMessage)):
        assert "abstain" not in (message.body_text + message.subject).lower()


def test_secret_ballot_shows_no_interim_but_open_ballot_does(client, make_council, make_meeting, login_tenant, request_context):
    council, members = make_council(size=3)
    _m1, secret = make_meeting(council, members[0], ballot=Ballot.SECRET)
    meeting, named = make_meeting(council, members[0])
    voting.cast_vote(secret.id, members[1], Choice.FOR)
    voting.cast_vote(named.id, members[1], Choice.FOR)
    db.session.commit()
    login_tenant(client, members[2].person)
    page = client.get(f"/council/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    assert "So far: 1 for" in page
    secret_page = client.get(f"/council/meetings/{secret.agenda_item.meeting_id}?lang=en").get_data(as_text=True)
    assert "This vote is secret" in secret_page and "So far" not in secret_page


@pytest.mark.parametrize("lang", LANGS)
def test_member_pages_render_in_every_language(client, council_setup, login_tenant, lang):
    council, members, meeting, motion = council_setup
    title = meeting.title
    login_tenant(client, members[0].person)
    for path in ("/council/", f"/council/{council.id}", f"/council/meetings/{meeting.id}",
                 f"/council/meetings/{meeting.id}/manage", f"/council/{council.id}/published",
                 f"/council/{council.id}/meetings/new"):
        response = client.get(f"{path}?lang={lang}")
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'lang="{lang}"' in html
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
        if path == f"/council/meetings/{meeting.id}":
            assert (f'<h1><span lang="nl" dir="ltr">{escape(title)}</span></h1>' in html) == (lang != "nl")


HOSTILE = "<script>x</script> (fase 2)"
ISOLATED = "<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>"


def test_names_in_arabic_meeting_sentences_are_isolated_and_escaped(client, make_council, make_meeting, login_tenant):
    council, members = make_council(size=3)
    meeting, _motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    council.name = members[2].person.name = meeting.items[0].presenter = HOSTILE
    db.session.commit()
    login_tenant(client, members[1].person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=ar").get_data(as_text=True)
    assert f"المقدِّم: {ISOLATED}" in html
    assert f"التصويت نيابةً عن {ISOLATED} (لديك توكيل بذلك)" in html
    assert f"العودة إلى {ISOLATED}" in html
    assert "<script>x" not in html


def test_an_arabic_name_in_a_dutch_meeting_sentence_is_isolated(client, make_council, make_meeting, login_tenant):
    council, members = make_council(size=3)
    meeting, _motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    members[2].person.name = "فاطمة الزهراء"
    db.session.commit()
    login_tenant(client, members[1].person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=nl").get_data(as_text=True)
    assert "Stem namens <bdi>فاطمة الزهراء</bdi> (u heeft de volmacht)" in html


def test_attachment_is_checked_stored_and_served_only_to_members(client, council_setup, login_tenant, make_tenant, tmp_path, app):
    import io

    app.config["COUNCIL_ATTACHMENT_DIR"] = str(tmp_path)
    council, members, meeting, _motion = council_setup
    item = meeting.items[0]
    login_tenant(client, members[0].person)
    manage = f"/council/meetings/{meeting.id}/manage"
    fake = {"document": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "plan.pdf"), "csrf_token": client.csrf_token(manage),
            "once": new_token()}
    client.post(f"/council/meetings/{meeting.id}/items/{item.id}/attachments", data=fake, content_type="multipart/form-data")
    assert list(tmp_path.iterdir()) == []
    good = {"document": (io.BytesIO(b"%PDF-1.7\n%test"), "../../Plan van aanpak.pdf"), "csrf_token": client.csrf_token(manage),
            "once": new_token()}
    response = client.post(f"/council/meetings/{meeting.id}/items/{item.id}/attachments?lang=en", data=good,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert "has been added" in client.get(manage + "?lang=en").get_data(as_text=True)
    stored = list(tmp_path.iterdir())
    assert len(stored) == 1 and "Plan" not in stored[0].name
    db.session.commit()  # a fresh snapshot after the requests
    doc = db.session.get(type(item), item.id).attachments[0]
    response = client.get(f"/council/attachments/{doc.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    outsider = client.application.test_client()
    login_tenant(outsider, make_tenant(council.corporation))
    assert outsider.get(f"/council/attachments/{doc.id}").status_code == 404
    stored[0].unlink()  # a database restored without its files: "not found", not an error page
    assert client.get(f"/council/attachments/{doc.id}").status_code == 404


def test_the_secretarys_proxy_list_isolates_both_names(client, make_council, make_meeting, login_tenant):
    council, members = make_council(size=3)
    meeting, _motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    members[2].person.name, members[1].person.name = "فاطمة الزهراء", HOSTILE
    db.session.commit()
    login_tenant(client, members[0].person)
    html = client.get(f"/council/meetings/{meeting.id}/manage?lang=nl").get_data(as_text=True)
    assert f"<bdi>فاطمة الزهراء</bdi> laat {ISOLATED} voor zich stemmen" in html


def test_an_attachment_size_reads_in_the_readers_language(client, council_setup, login_tenant):
    """In Arabic a bare '(1 kB)' after a Latin file name showed as '(kB 1)'."""
    from inspraak.council.models import Attachment

    _council, members, meeting, _motion = council_setup
    db.session.add(Attachment(agenda_item_id=meeting.items[0].id, stored_name="x1", original_name="Plan fase 2.pdf",
                              content_type="application/pdf", size=300))
    db.session.commit()
    login_tenant(client, members[1].person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=ar").get_data(as_text=True)
    assert "<bdi>Plan fase 2.pdf</bdi></a> (1 كيلوبايت)" in html


def _publish_past_meeting(council, members):  # noqa: ANN001, ANN202
    meeting = agendas.plan_meeting(council, title="Najaar", starts_at=utcnow() - timedelta(days=3), place="Zaal",
                                   by=members[0])
    item = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION,
                                   title={"nl": "Tuin"}, source_language="nl")
    motion = voting.propose_motion(item, text={"nl": "Wij willen een moestuin.", "ar": "نريد حديقة."})
    agendas.publish_agenda(meeting, by=members[0])
    agendas.open_meeting(meeting, by=members[0])
    voting.open_vote(motion, closes_at=None, by=members[0])
    for member in members:
        voting.cast_vote(motion.id, member, Choice.FOR)
    voting.close_vote(motion, by=members[0])
    records.save_minutes(meeting, {"nl": "Iedereen was er."}, source_language="nl", by=members[0])
    agendas.close_meeting(meeting, by=members[0])
    records.approve_minutes(meeting, by=members[0])
    records.publish_minutes(meeting, by=members[0])
    db.session.commit()
    return meeting


@pytest.mark.parametrize("lang", LANGS)
def test_published_pages_render_for_any_tenant_in_every_language(client, make_council, make_tenant, login_tenant, lang):
    council, members = make_council(size=3)
    meeting = _publish_past_meeting(council, members)
    ids = (council.id, meeting.id)
    login_tenant(client, make_tenant(council.corporation))
    for path in ("/council/", f"/council/{ids[0]}/published", f"/council/minutes/{ids[1]}"):
        response = client.get(f"{path}?lang={lang}")
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    published = client.get(f"/council/{ids[0]}/published?lang={lang}").get_data(as_text=True)
    assert ("نريد حديقة." in published) == (lang == "ar")
    assert ("fallback-note" in published) == (lang != "nl")  # the title exists only in Dutch
    # The meeting's title is one Dutch text: marked as Dutch where the page is in another language.
    marked = '<span lang="nl" dir="ltr">Najaar</span>'
    for page in (published, client.get(f"/council/minutes/{ids[1]}?lang={lang}").get_data(as_text=True)):
        assert ">Najaar<" in page and (marked in page) == (lang != "nl")


def test_committee_minutes_are_only_for_its_complex(client, make_council, make_tenant, login_tenant):
    council, members = make_council(size=2, kind=CouncilKind.RESIDENTS_COMMITTEE)
    meeting = _publish_past_meeting(council, members)
    ids = (council.id, meeting.id)
    login_tenant(client, make_tenant(council.corporation))  # lives in another complex
    assert client.get(f"/council/{ids[0]}/published").status_code == 404
    assert client.get(f"/council/minutes/{ids[1]}").status_code == 404


def test_unpublished_minutes_are_not_shown(client, council_setup, make_tenant, login_tenant):
    council, _members, meeting, _motion = council_setup
    meeting_id = meeting.id
    login_tenant(client, make_tenant(council.corporation))
    assert client.get(f"/council/minutes/{meeting_id}").status_code == 404


def test_agenda_reorders_without_javascript(client, council_setup, login_tenant):
    _council, members, meeting, _motion = council_setup
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION,
                            title={"nl": "Rondvraag"})
    db.session.commit()
    meeting_id, first, second = meeting.id, meeting.items[0].id, meeting.items[1].id
    login_tenant(client, members[0].person)
    manage = f"/council/meetings/{meeting_id}/manage"
    html = client.get(manage).get_data(as_text=True)
    assert f"/items/{first}/move/down" in html and f"/items/{first}/move/up" not in html
    client.post_form(f"/council/meetings/{meeting_id}/items/{second}/move/up", token_from=manage)
    db.session.commit()
    assert [i.id for i in db.session.get(Meeting, meeting_id).items] == [second, first]


def test_secretary_sends_advice_from_the_council_page(client, make_council, make_staff, login_tenant):
    from inspraak.council import advice as advice_services
    from inspraak.council.models import AdviceRequest, RequestKind, Subject

    council, members = make_council(size=2)
    staff = make_staff(council.corporation, "editor")
    request = advice_services.send_request(council, subject=Subject.MAINTENANCE, kind=RequestKind.ADVICE,
                                           title={"nl": "Onderhoud"}, body={"nl": "Plan"}, source_language="nl",
                                           received_on=local_today() - timedelta(days=3), period_days=42, by=staff)
    db.session.commit()
    ids = (council.id, request.id)
    login_tenant(client, members[0].person)
    page = f"/council/{ids[0]}/advice/{ids[1]}"
    assert client.get(page + "?lang=ar").status_code == 200
    response = client.post_form(page, {"text": "Eerst de daken.", "sent_on": local_today().isoformat(), "motion_id": "0"},
                                token_from=page)
    assert response.status_code == 302
    db.session.commit()
    assert db.session.get(AdviceRequest, ids[1]).advice_text == "Eerst de daken."


def test_attachment_type_and_size_are_checked(app):
    import io

    from inspraak.core.errors import DomainError
    from inspraak.core.files import check_file
    from inspraak.council.attachments import store_attachment

    assert check_file("plan.PDF", b"%PDF-1.4")[1] == "application/pdf"
    assert check_file("foto.jpg", b"\xff\xd8\xff\xe0")[1] == "image/jpeg"
    assert check_file("brief.docx", b"PK\x03\x04")[0] == "docx"
    for name, head in [("virus.exe", b"MZ"), ("plan.pdf", b"<html>"), ("geen-extensie", b"%PDF-")]:
        with pytest.raises(DomainError):
            check_file(name, head)
    app.config["COUNCIL_ATTACHMENT_MAX_BYTES"] = 10
    with pytest.raises(DomainError):
        store_attachment(io.BytesIO(b"%PDF-" + b"x" * 20), "groot.pdf", agenda_item_id=1)


def test_pages_with_many_forms_have_unique_ids_and_labels(client, make_council, make_meeting, login_tenant):
    import re

    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    db.session.commit()
    ids = (meeting.id, members[1].person)
    login_tenant(client, ids[1])
    holder_page = client.get(f"/council/meetings/{ids[0]}").get_data(as_text=True)
    secretary = client.application.test_client()
    login_tenant(secretary, members[0].person)
    manage_page = secretary.get(f"/council/meetings/{ids[0]}/manage").get_data(as_text=True)
    for html in (holder_page, manage_page):
        found = re.findall(r'\sid="([^"]+)"', html)
        assert len(found) == len(set(found)), sorted(i for i in found if found.count(i) > 1)
        for target in re.findall(r'<label for="([^"]+)"', html):
            assert f'id="{target}"' in html, target


def test_each_motion_region_has_a_name_of_its_own(client, make_council, login_tenant, request_context):
    """Every motion is a region named "Motion": the agenda item's title makes each name unique (axe landmark-unique)."""
    council, members = make_council(size=3)
    meeting = agendas.plan_meeting(council, title="Jaarvergadering", starts_at=utcnow() + timedelta(days=1),
                                   place="Buurthuis", by=members[0])
    for title in ("Begroting", "Moestuin"):
        item = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={"nl": title}, description={})
        voting.propose_motion(item, text={"nl": f"Wij stemmen in: {title}."}, ballot=Ballot.OPEN,
                              channel=Channel.ONLINE, majority=None)
    agendas.publish_agenda(meeting, by=members[0])
    db.session.commit()
    login_tenant(client, members[0].person)
    for path in (f"/council/meetings/{meeting.id}", f"/council/meetings/{meeting.id}/manage"):
        page = client.get(path).get_data(as_text=True)
        names = []
        for labelled_by in re.findall(r'<section id="motion-\d+"[^>]*aria-labelledby="([^"]+)"', page):
            parts = []
            for ref in labelled_by.split():
                element = re.search(rf'id="{ref}"[^>]*>(.*?)</(?:span|h4)>', page, re.S)
                assert element, f"{path}: aria-labelledby names a missing id {ref}"
                parts.append(re.sub(r"<[^>]+>", "", element.group(1)).strip())
            names.append(" ".join(parts))
        assert len(names) == 2 and len(set(names)) == 2, (path, names)
        assert any("Moestuin" in name for name in names), names


def test_attendance_is_refused_for_a_member_whose_term_has_ended(app, client, make_council, make_meeting,
                                                                 login_tenant):
    """The register page lists only the meeting's members; a hand-made form for one who left is refused, not stored."""
    from datetime import timedelta

    from babel.dates import format_date

    from inspraak.council.models import Attendance

    council, members = make_council(size=3)
    secretary, staying, leaving = members
    meeting, _motion = make_meeting(council, secretary, open_vote=False)
    leaving.term_end = local_today() - timedelta(days=1)
    db.session.commit()
    login_tenant(client, secretary.person)
    page = f"/council/meetings/{meeting.id}/manage"
    assert f'name="member-{leaving.id}"' not in client.get(page + "?lang=en").get_data(as_text=True)
    url = f"/council/meetings/{meeting.id}/attendance"
    forged = client.post_form(url, {f"member-{staying.id}": "present", f"member-{leaving.id}": "present"},
                              token_from=page)
    assert forged.status_code == 302
    message = client.get(forged.location).get_data(as_text=True)
    day = format_date(meeting.day, "long", locale="en")  # the meeting is tomorrow; the term ended yesterday
    assert f"<bdi>{leaving.person.name}</bdi> is not a member of the council on the day of the meeting ({day})." in message
    assert db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)).all() == []
    assert client.post_form(url, {f"member-{staying.id}": "present"}, token_from=page).status_code == 302
    assert [a.member_id for a in db.session.scalars(sa.select(Attendance))] == [staying.id]
    db.session.commit()


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "1 member has voted so far.", "2 members have voted so far."),
    ("nl", "1 lid heeft al gestemd.", "2 leden hebben al gestemd."),
    ("ar", "صوّت عضو واحد حتى الآن.", "صوّت عضوان حتى الآن."),
])
def test_the_votes_so_far_are_counted_in_the_form_the_number_needs(client, make_council, make_meeting, login_tenant,
                                                                    request_context, lang, one, two):
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    voting.cast_vote(motion.id, members[1], Choice.FOR)
    db.session.commit()
    login_tenant(client, members[0].person)  # the secretary: the member's page and the meeting's management page
    for path in (f"/council/meetings/{meeting.id}", f"/council/meetings/{meeting.id}/manage"):
        assert one in client.get(f"{path}?lang={lang}").get_data(as_text=True), path
    voting.cast_vote(motion.id, members[2], Choice.AGAINST)
    db.session.commit()
    assert two in client.get(f"/council/meetings/{meeting.id}?lang={lang}").get_data(as_text=True)


def test_the_advice_form_offers_adopted_motions_by_their_words(client, make_council, make_staff, make_meeting,
                                                               login_tenant):
    """The choice "adopted with the motion" listed "Jaarvergadering: #4", a number the secretary never sees
    elsewhere, and rejected motions too: it now offers adopted motions only, by agenda item and text."""
    from inspraak.council import advice as advice_services
    from inspraak.council import voting
    from inspraak.council.models import RequestKind, Subject
    from inspraak.council.rules import Choice

    council, members = make_council(size=2)
    _meeting, adopted = make_meeting(council, members[0])
    _other, rejected = make_meeting(council, members[0])
    rejected.text = {"nl": "Wij wijzen de begroting af."}
    for member in members:
        voting.cast_vote(adopted.id, member, Choice.FOR)
        voting.cast_vote(rejected.id, member, Choice.AGAINST)
    voting.close_vote(adopted, by=members[0])
    voting.close_vote(rejected, by=members[0])
    request = advice_services.send_request(council, subject=Subject.MAINTENANCE, kind=RequestKind.ADVICE,
                                           title={"nl": "Onderhoud"}, body={"nl": "Plan"}, source_language="nl",
                                           received_on=local_today(), period_days=42,
                                           by=make_staff(council.corporation, "editor"))
    db.session.commit()
    login_tenant(client, members[0].person)
    html = client.get(f"/council/{council.id}/advice/{request.id}?lang=en").get_data(as_text=True)
    assert f'value="{adopted.id}">Jaarvergadering · Budget · Wij stemmen in met de begroting.</option>' in html
    assert f'value="{rejected.id}"' not in html and f"#{adopted.id}" not in html


def test_secretary_cannot_withdraw_a_proxy_after_the_meeting_closed(client, council_setup, login_tenant):
    """The page of a closed meeting lists its proxies without a withdraw button or a form to record one; a
    withdrawal sent anyway is refused with the reason, and the proxy stays."""
    _council, members, meeting, _motion = council_setup
    proxy = presence.record_proxy(meeting, members[3], members[1], signed_on=utcnow(), by=members[0])
    agendas.open_meeting(meeting, by=members[0])
    agendas.close_meeting(meeting, by=members[0])
    db.session.commit()
    proxy_id, meeting_id = proxy.id, meeting.id
    login_tenant(client, members[0].person)
    manage = f"/council/meetings/{meeting_id}/manage?lang=en"
    page = client.get(manage).get_data(as_text=True)
    assert f"/proxies/{proxy_id}/withdraw" not in page and f'action="/council/meetings/{meeting_id}/proxies"' not in page
    assert "its proxies can no longer be changed" in page
    response = client.post_form(f"/council/meetings/{meeting_id}/proxies/{proxy_id}/withdraw", token_from=manage)
    assert response.status_code == 302
    assert "its proxies can no longer be changed" in client.get(manage).get_data(as_text=True)
    db.session.commit()
    assert presence.proxy_pairs(meeting_id) == [(members[3].id, members[1].id)]


def test_every_language_choice_of_the_meeting_page_starts_on_the_writers_own_language(client, council_setup,
                                                                                      login_tenant):
    """The agenda item, motion and minutes forms started on Dutch whatever language the secretary wrote in, so a
    Turkish text saved unchanged was marked Dutch; like the advice form, they now start on the interface language."""
    _council, members, meeting, _motion = council_setup
    agendas.open_meeting(meeting, by=members[0])
    db.session.commit()
    meeting_id = meeting.id
    login_tenant(client, members[0].person)
    page = client.get(f"/council/meetings/{meeting_id}/manage?lang=tr").get_data(as_text=True)
    selects = re.findall(r'<select[^>]*name="([^"]*language)"[^>]*>(.*?)</select>', page, re.S)
    assert {name for name, _options in selects} >= {"language", "minutes-language"}
    for name, options in selects:
        assert re.search(r'<option selected value="tr">', options), name


def test_names_and_places_people_typed_are_isolated_from_the_page_direction(client, make_council, login_tenant):
    """A council name or meeting place ending in a bracket or a number, standing alone in a heading or a list on an
    Arabic page, had its closing bracket moved to the wrong end ('(zaal 2' read from the right); each is now
    isolated (<bdi>) and takes its direction from its own first letter."""
    council, members = make_council(size=2)
    council.name = "Bewonerscommissie Blok C (Lunetten)"
    meeting = agendas.plan_meeting(council, title="Overleg", starts_at=utcnow() + timedelta(days=3),
                                   place="Buurthuis (zaal 2)", by=members[0])
    agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={"nl": "Mededelingen"})
    agendas.publish_agenda(meeting, by=members[0])
    db.session.commit()
    ids = (council.id, meeting.id)
    login_tenant(client, members[1].person)
    council_page = client.get(f"/council/{ids[0]}?lang=ar").get_data(as_text=True)
    assert "<h1><bdi>Bewonerscommissie Blok C (Lunetten)</bdi></h1>" in council_page
    meeting_page = client.get(f"/council/meetings/{ids[1]}?lang=ar").get_data(as_text=True)
    # The place is in Dutch (the meeting's language): isolated, and on this Arabic page marked as Dutch.
    assert '<dd><bdi lang="nl" dir="ltr">Buurthuis (zaal 2)</bdi></dd>' in meeting_page
    dutch_page = client.get(f"/council/meetings/{ids[1]}?lang=nl").get_data(as_text=True)
    assert "<dd><bdi>Buurthuis (zaal 2)</bdi></dd>" in dutch_page
    assert "<dd><bdi>Bewonerscommissie Blok C (Lunetten)</bdi></dd>" in meeting_page


def test_a_member_without_a_vote_left_is_told_why(client, make_council, make_meeting, login_tenant):
    """Both heard "you have no vote left: you voted, or you gave a proxy"; now the one who voted reads that
    they voted, and the one who gave a proxy that they gave it."""
    council, members = make_council(size=3)
    meeting, motion = make_meeting(council, members[0])
    presence.record_proxy(meeting, members[2], members[1], signed_on=utcnow(), by=members[0])
    voting.cast_vote(motion.id, members[0], Choice.FOR)
    db.session.commit()
    voted = "U heeft over deze motie gestemd."
    login_tenant(client, members[0].person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=nl").get_data(as_text=True)
    assert voted in html and "volmacht gegeven" not in html
    login_tenant(client, members[2].person)
    html = client.get(f"/council/meetings/{meeting.id}?lang=nl").get_data(as_text=True)
    assert "U heeft voor deze vergadering een volmacht gegeven" in html and voted not in html
    html = client.get(f"/council/meetings/{meeting.id}?lang=ar").get_data(as_text=True)
    assert "أعطيت توكيلًا لهذا الاجتماع" in html
