"""Choosing, editing and removing a quote are each in the audit log, without the words of the answer."""
from __future__ import annotations

import json

import sqlalchemy as sa

from inspraak.consultations.models import Answer
from inspraak.core.audit import AuditEntry
from inspraak.core.once import new_token
from inspraak.extensions import db
from inspraak.results.models import Quote
from tests.results.conftest import full_answer


def test_every_change_to_a_quote_is_audited_without_its_text(client, make_corporation, make_world, make_staff,
                                                              login_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad", "Mooi plein"))
    staff = make_staff(corporation, "publisher")
    db.session.commit()
    login_staff(client, staff)
    cid = world.consultation.id
    show = f"/staff/results/{cid}"
    rid = db.session.scalar(sa.select(Answer.response_id).where(Answer.question_id == world.q["text"].id))
    client.post_form(f"{show}/quotes", {"response_id": rid, "question_id": world.q["text"].id, "item": 0,
                                        "once": new_token()}, token_from=show)
    quote_id = db.session.scalar(sa.select(Quote.id).where(Quote.consultation_id == cid))
    assert client.post_form(f"/staff/results/quotes/{quote_id}", {"text": "Een heel mooi plein"},
                            token_from=show).status_code == 302
    assert client.post_form(f"/staff/results/quotes/{quote_id}/remove", {}, token_from=show).status_code == 302
    entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("results.quote_%"))
                                      .order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["results.quote_picked", "results.quote_edited", "results.quote_removed"]
    for entry in entries:
        assert (entry.actor_id, entry.object_type, entry.object_id) == (staff.id, "consultation", cid)
        assert entry.details["quote_id"] == quote_id
        assert "plein" not in json.dumps(entry.details, ensure_ascii=False)
    assert entries[1].details == {"quote_id": quote_id, "text_changed": True, "confirmed": False}
    db.session.commit()
