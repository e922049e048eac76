"""Admins see the outbox of their own corporation and can send failed mail again."""
from __future__ import annotations

import sqlalchemy as sa

from inspraak.core.audit import AuditEntry
from inspraak.extensions import db
from inspraak.notify.models import MessageStatus, OutboxMessage
from inspraak.notify.worker import SMTPBackend, drain


def fail_all(app, smtp, n: int) -> None:  # noqa: ANN001
    smtp.refuse_data(*["550 5.1.1 Mailbox unavailable"] * n)
    drain(SMTPBackend(app.config))
    db.session.rollback()


def statuses() -> list[MessageStatus]:
    result = list(db.session.scalars(sa.select(OutboxMessage.status).order_by(OutboxMessage.id)))
    db.session.rollback()
    return result


def test_overview_counts_by_kind_and_lists_failures(app, client, smtp, make_staff, sign_in_staff, queue_mail,
                                                    make_corporation):
    corporation = make_corporation()
    queue_mail(2, corporation=corporation, kind="results_published")
    fail_all(app, smtp, 2)
    queue_mail(1, corporation=corporation, kind="vote_opened")
    queue_mail(4, kind="results_published")  # another corporation's mail
    admin = make_staff(corporation)
    sign_in_staff(client, admin)
    html = client.get("/staff/outbox/?lang=en").get_data(as_text=True)
    assert "Results" in html and "Votes" in html
    assert "550 5.1.1 Mailbox unavailable" in html and html.count("tenant0@example.org") == 1
    assert "/staff/outbox/" in client.get("/staff/").get_data(as_text=True), "nav link for admins"


def test_send_again_one_and_all(app, client, smtp, make_staff, sign_in_staff, queue_mail, make_corporation):
    corporation = make_corporation()
    ids = queue_mail(3, corporation=corporation)
    fail_all(app, smtp, 3)
    sign_in_staff(client, make_staff(corporation))
    response = client.post_form(f"/staff/outbox/{ids[0]}/resend", token_from="/staff/outbox/")
    assert response.status_code == 302
    assert statuses() == [MessageStatus.QUEUED, MessageStatus.FAILED, MessageStatus.FAILED]
    client.post_form("/staff/outbox/resend-failed", token_from="/staff/outbox/")
    assert statuses() == [MessageStatus.QUEUED] * 3
    assert drain(SMTPBackend(app.config)).sent == 3
    db.session.rollback()
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("notify.%"))).all()
    assert sorted(actions) == ["notify.failed_resent", "notify.message_resent"]


def test_a_message_sent_again_twice_is_queued_once_and_the_second_press_is_told(app, client, smtp, make_staff,
                                                                               sign_in_staff, queue_mail,
                                                                               make_corporation):
    corporation = make_corporation()
    [message_id] = queue_mail(1, corporation=corporation)
    fail_all(app, smtp, 1)
    sign_in_staff(client, make_staff(corporation))
    client.post_form(f"/staff/outbox/{message_id}/resend", token_from="/staff/outbox/")
    response = client.post_form(f"/staff/outbox/{message_id}/resend?lang=en", token_from="/staff/outbox/",
                                follow_redirects=True)
    assert "not marked as failed any more" in response.get_data(as_text=True)
    assert statuses() == [MessageStatus.QUEUED]
    db.session.rollback()
    assert db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "notify.message_resent")).all() \
        == ["notify.message_resent"]


def test_a_wiped_sign_in_link_is_not_sent_again(app, client, smtp, make_staff, sign_in_staff, make_tenant,
                                                make_corporation):
    from inspraak.auth.services import request_sign_in_link

    corporation = make_corporation()
    make_tenant(corporation, email="t@example.org")
    with app.test_request_context("/sign-in/link", method="POST"):
        request_sign_in_link("t@example.org")
    db.session.commit()
    fail_all(app, smtp, 1)
    message_id = db.session.scalar(sa.select(OutboxMessage.id))
    sign_in_staff(client, make_staff(corporation))
    response = client.post_form(f"/staff/outbox/{message_id}/resend?lang=en", token_from="/staff/outbox/",
                                follow_redirects=True)
    assert "sign-in link" in response.get_data(as_text=True)
    client.post_form("/staff/outbox/resend-failed", token_from="/staff/outbox/")
    assert statuses() == [MessageStatus.FAILED]


def test_outbox_is_for_admins_of_the_same_corporation(app, client, smtp, make_staff, sign_in_staff, queue_mail,
                                                      make_corporation):
    other = make_corporation()
    [foreign_id] = queue_mail(1, corporation=other)
    fail_all(app, smtp, 1)
    assert client.get("/staff/outbox/").status_code == 302
    editor = make_staff(None, "editor")
    sign_in_staff(client, editor)
    assert client.get("/staff/outbox/").status_code == 403
    assert client.post_form(f"/staff/outbox/{foreign_id}/resend", token_from="/staff/").status_code == 403
    client.post_form("/sign-out", token_from="/staff/")
    sign_in_staff(client, make_staff())
    assert client.post_form(f"/staff/outbox/{foreign_id}/resend", token_from="/staff/outbox/").status_code == 404
    assert statuses() == [MessageStatus.FAILED]


def test_outbox_posts_need_csrf(app, client, smtp, make_staff, sign_in_staff, queue_mail, make_corporation):
    corporation = make_corporation()
    [message_id] = queue_mail(1, corporation=corporation)
    fail_all(app, smtp, 1)
    sign_in_staff(client, make_staff(corporation))
    assert client.post(f"/staff/outbox/{message_id}/resend").status_code == 400
    assert client.post("/staff/outbox/resend-failed").status_code == 400
    assert statuses() == [MessageStatus.FAILED]


def test_outbox_renders_right_to_left(client, make_staff, sign_in_staff):
    sign_in_staff(client, make_staff())
    assert 'dir="rtl"' in client.get("/staff/outbox/?lang=ar").get_data(as_text=True)


def test_resend_survives_hostile_input(app, client, smtp, make_staff, sign_in_staff, queue_mail, make_corporation):
    """Every field, token and id a browser or a forger can send: never a server error, another corporation's
    message stays failed, an id beyond any database integer is not found."""
    from tests.hostile import send_all

    corporation, other = make_corporation(), make_corporation()
    [ours] = queue_mail(1, corporation=corporation)
    [theirs] = queue_mail(1, corporation=other)
    fail_all(app, smtp, 2)
    sign_in_staff(client, make_staff(corporation))
    token = lambda: client.csrf_token("/staff/outbox/")  # noqa: E731
    def refused(what: str, response) -> None:  # noqa: ANN001
        assert response.status_code in (400, 404), what

    send_all(client, f"/staff/outbox/{theirs}/resend", {"message_id": str(ours)}, token, check=refused)
    for missing in (10**30, 2**63, 2**31):
        assert client.post_form(f"/staff/outbox/{missing}/resend", token_from="/staff/outbox/").status_code == 404
    assert statuses() == [MessageStatus.FAILED, MessageStatus.FAILED]
    send_all(client, f"/staff/outbox/{ours}/resend", {"message_id": str(theirs)}, token)
    assert statuses() == [MessageStatus.QUEUED, MessageStatus.FAILED]
