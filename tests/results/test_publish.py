"""Publishing: protected numbers, a frozen snapshot, corrections, quotes that need a check, mail."""
from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import ConsultationStatus
from inspraak.core.errors import Conflict
from inspraak.extensions import db
from inspraak.notify.models import OutboxMessage
from inspraak.results import quoting, services
from inspraak.results.models import Publication
from tests.results.conftest import full_answer


@pytest.fixture
def k5(app):  # noqa: ANN001, ANN201
    app.config["RESULTS_PRIVACY_THRESHOLD"] = 5
    yield 5
    app.config.pop("RESULTS_PRIVACY_THRESHOLD", None)


def _twenty(world):  # noqa: ANN001, ANN202
    """Ten choose a, seven b, three c."""
    for i in range(20):
        choice = "a" if i < 10 else "b" if i < 17 else "c"
        world.answer(full_answer(world, choice, ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "good"))


def _question(snapshot, world, name):  # noqa: ANN001, ANN202
    return next(q for q in snapshot["questions"] if q["id"] == world.q[name].id)


def test_small_cells_are_hidden_with_a_complement(app, k5, make_corporation, make_world):
    world = make_world(make_corporation())
    _twenty(world)
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation)
    choice = _question(snapshot, world, "choice")
    assert choice["respondents"] == 20
    # c = 3 is below 5; hiding only c would give it away (20 − 10 − 7), so b, the smaller, is hidden too.
    assert [o["count"] for o in choice["options"]] == [10, {"hidden": "other"}, {"hidden": "below"}]
    # Everyone answered 4: a mean of 4.0 would say the hidden cells 1, 2, 3 and 5 are all 0.
    assert _question(snapshot, world, "scale")["stats"] == {"mean": {"hidden": "other"}, "median": {"hidden": "other"}}
    assert _question(snapshot, world, "number")["stats"]["mean"] == "3.0"  # no distribution published


def test_means_are_hidden_below_the_threshold(app, k5, make_corporation, make_world):
    world = make_world(make_corporation())
    for _ in range(4):
        world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "good"))
    with app.test_request_context():
        snapshot = services.protected_results(world.consultation)
    scale = _question(snapshot, world, "scale")
    assert scale["respondents"] == {"hidden": "below"}
    assert scale["stats"]["mean"] == {"hidden": "below"}
    assert _question(snapshot, world, "number")["stats"]["median"] == {"hidden": "below"}
    assert snapshot["participants"] == {"hidden": "below"}


def _publish(app, world, staff, summary="Veel mensen fietsen.", note=None):  # noqa: ANN001, ANN202
    with app.test_request_context():
        publication = services.publish(world.consultation, summary={"nl": summary},
                                       correction_note={"nl": note} if note else None, by=staff)
    db.session.commit()
    return publication


def test_snapshot_never_changes_after_later_answers_or_edits(app, k5, make_corporation, make_world, make_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    _twenty(world)
    publication = _publish(app, world, make_staff(corporation, "publisher"))
    frozen = copy.deepcopy(publication.snapshot)
    world.answer(full_answer(world, "c", ["c"], 1, 0, False, "99", ["c", "b", "a"], "bad", "bad"))
    world.q["choice"].text = {"nl": "Andere tekst"}
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Publication, publication.id)
    assert stored.snapshot == frozen
    assert stored.consultation_id == world.consultation.id
    assert world.consultation.status is ConsultationStatus.PUBLISHED


def test_a_correction_is_a_new_version_with_a_note(app, k5, make_corporation, make_world, make_staff):
    corporation = make_corporation()
    staff = make_staff(corporation, "publisher")
    world = make_world(corporation)
    _twenty(world)
    _publish(app, world, staff)
    with pytest.raises(Conflict):
        _publish(app, world, staff, summary="Nieuw")
    db.session.rollback()
    second = _publish(app, world, staff, summary="Nieuw", note="Een tikfout hersteld.")
    versions = db.session.scalars(sa.select(Publication.version).where(
        Publication.consultation_id == world.consultation.id).order_by(Publication.version)).all()
    assert versions == [1, 2]
    assert second.correction_note == {"nl": "Een tikfout hersteld."}


def test_only_closed_consultations_are_published(app, make_corporation, make_world, make_staff):
    corporation = make_corporation()
    world = make_world(corporation, status=ConsultationStatus.OPEN)
    with pytest.raises(Conflict):
        _publish(app, world, make_staff(corporation, "publisher"))


def test_flagged_quote_blocks_publishing_until_checked(app, make_corporation, make_world, make_staff):
    corporation = make_corporation()
    staff = make_staff(corporation, "publisher")
    world = make_world(corporation)
    world.answer({"text": "Bel mij op 06-12345678 over de tuin"})
    db.session.commit()
    with app.test_request_context():
        [group] = quoting.review_answers(world.consultation)
        answer = group["answers"][0]
        assert answer["reasons"] == ["phone"]
        quote = quoting.pick_quote(world.consultation, answer["response_id"], world.q["text"].id, 0, by=staff)
        assert "06-12345678" not in quote.text["nl"] and not quote.needs_review
        quoting.edit_quote(quote, "Bel Jan op 06 12345678", confirmed=False, by=staff)
        assert quote.needs_review
        with pytest.raises(Conflict):
            services.publish(world.consultation, summary={"nl": "Kort"}, correction_note=None, by=staff)
        quoting.edit_quote(quote, "Bel Jan op 06 12345678", confirmed=True, by=staff)
        publication = services.publish(world.consultation, summary={"nl": "Kort"}, correction_note=None, by=staff)
    assert publication.snapshot["quotes"][0]["text"] == {"nl": "Bel Jan op 06 12345678"}


def test_register_names_are_flagged(app, make_corporation, make_world, make_staff, make_tenant):
    corporation = make_corporation()
    make_tenant(corporation, name="Fatima Oukili")
    world = make_world(corporation)
    world.answer({"text": "Mevrouw Oukili helpt altijd"})
    db.session.commit()
    with app.test_request_context():
        [group] = quoting.review_answers(world.consultation)
    assert group["answers"][0]["reasons"] == ["name"]


def test_publishing_mails_everyone_invited_in_their_language(app, make_corporation, make_world, make_staff,
                                                             make_tenant):
    corporation = make_corporation()
    world = make_world(corporation)
    world.invite(make_tenant(corporation, email="ar@example.org", language="ar"))
    world.invite(make_tenant(corporation, email="nl@example.org", language="nl"))
    world.invite(make_tenant(corporation))  # no address: no mail
    _publish(app, world, make_staff(corporation, "publisher"))
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "results_published")
                                  .order_by(OutboxMessage.to_address)).all()
    assert [(m.to_address, m.language) for m in messages] == [("ar@example.org", "ar"), ("nl@example.org", "nl")]
    assert "حينا" in messages[0].subject
    assert f"/results/{world.consultation.id}" in messages[1].body_text
