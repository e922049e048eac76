"""Translating the summary, actions and quotes, also after publishing: numbers stay, fallback is marked."""
from __future__ import annotations

import copy

import pytest

from inspraak.extensions import db
from inspraak.results import outcomes, publications, quoting, services
from inspraak.results.models import Outcome, OutcomeStatus, Publication, Quote
from tests.results.conftest import save_texts, texts_url
from tests.results.test_text_results import NONE_CHOSEN, text_section

FALLBACK = "fallback-note"
SUMMARY = {"en": "Almost everyone cycles.", "tr": "Neredeyse herkes bisiklet sürüyor.",
           "ar": "الجميع تقريبا يركبون الدراجات", "pl": "Prawie wszyscy jeżdżą na rowerze."}


def test_translations_after_publishing_leave_the_numbers_and_version(client, world_published, login_staff):
    world, staff, _tenant, quote, outcome = world_published
    publication = publications.latest_publication(world.consultation.id)
    frozen = copy.deepcopy(publication.snapshot)
    login_staff(client, staff)
    data = {f"summary_{lang}": text for lang, text in SUMMARY.items()}
    data["summary_nl"] = "Een andere brontekst"  # read only once published: ignored
    data[f"action{outcome.id}_en"] = "More bicycle racks"
    data[f"quote{quote.id}_en"] = "The square is nice"
    response = save_texts(client, world, data)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Publication, publication.id)
    assert stored.snapshot == frozen
    assert stored.summary == {"nl": "Bijna iedereen fietst.", **SUMMARY}
    assert len(publications.list_publications(world.consultation.id)) == 1
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Meer fietsenrekken", "en": "More bicycle racks"}
    assert db.session.get(Quote, quote.id).text == {"nl": "Het plein is mooi", "en": "The square is nice"}


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_tenant_reads_each_language_with_the_fallback_marked(client, world_published, login_staff, login_tenant,
                                                              lang):
    world, staff, tenant, quote, outcome = world_published
    login_staff(client, staff)
    save_texts(client, world, {**{f"summary_{code}": text for code, text in SUMMARY.items()},
                          f"action{outcome.id}_en": "More bicycle racks", f"quote{quote.id}_en": "The square is nice"})
    client.post_form("/sign-out", token_from=texts_url(world))
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang={lang}").get_data(as_text=True)
    summary = SUMMARY.get(lang, "Bijna iedereen fietst.")
    assert f'<p class="pre-line result-summary">{summary}<' in page  # in the reader's language: no marking
    if lang in ("nl", "en"):
        assert FALLBACK not in page
        assert ("More bicycle racks" if lang == "en" else "Meer fietsenrekken") in page
        assert ("The square is nice" if lang == "en" else "Het plein is mooi") in page
    else:
        # The action and the quote exist in Dutch and English only: Dutch is shown, marked.
        assert 'class="pre-line"><span lang="nl" dir="ltr">Meer fietsenrekken</span> <span class="fallback-note">' in page
        assert 'class="pre-line"><span lang="nl" dir="ltr">Het plein is mooi</span> <span class="fallback-note">' in page
    hood = tenant.tenancy.dwelling.complex.neighbourhood_id
    neighbourhood = client.get(f"/neighbourhoods/{hood}?lang={lang}").get_data(as_text=True)
    assert summary in neighbourhood
    assert (FALLBACK in neighbourhood) is (lang not in ("nl", "en"))


def test_a_new_quote_text_keeps_the_published_page_as_it_was(app, client, world_published, login_staff):
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    save_texts(client, world, {f"quote{quote.id}_en": "The square is nice"})
    assert "The square is nice" in client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    with app.test_request_context():
        quoting.edit_quote(db.session.get(Quote, quote.id), "Het plein is heel mooi", confirmed=False, by=staff)
    db.session.commit()
    page = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    # The published version keeps its source text; the new text waits for a new version.
    assert "Het plein is mooi" in page and "heel mooi" not in page
    assert db.session.get(Quote, quote.id).text == {"nl": "Het plein is heel mooi"}


def test_a_translated_quote_that_may_identify_someone_needs_a_check(client, world_published, login_staff):
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    refused = save_texts(client, world, {f"quote{quote.id}_en": "Call me on 06-12345678"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "may identify someone" in page  # it answered 200
    assert "Call me on 06-12345678" in page  # as typed
    db.session.expire_all()
    assert "en" not in db.session.get(Quote, quote.id).text
    assert save_texts(client, world, {f"quote{quote.id}_en": "Call me on 06-12345678"}, confirmed=True).status_code == 302
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).text["en"] == "Call me on 06-12345678"


def test_an_empty_box_removes_a_translation(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    save_texts(client, world, {f"action{outcome.id}_tr": "Daha fazla bisiklet park yeri"})
    db.session.expire_all()
    assert "tr" in db.session.get(Outcome, outcome.id).text
    save_texts(client, world, {f"action{outcome.id}_tr": ""})
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Meer fietsenrekken"}


def test_too_long_text_is_refused_with_a_message(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    page = save_texts(client, world, {f"action{outcome.id}_en": "x" * 4001}).get_data(as_text=True)
    assert f'id="action{outcome.id}_en-error">Write at most 4,000 characters.</p>' in page
    db.session.expire_all()
    assert "en" not in db.session.get(Outcome, outcome.id).text


@pytest.fixture
def unpublished_action(app, make_corporation, make_world, make_staff):  # noqa: ANN001, ANN201
    """Results not published yet, with one action ("Bankjes"): (world, publisher, action)."""
    corporation = make_corporation()
    world = make_world(corporation)
    staff = make_staff(corporation, "publisher")
    with app.test_request_context():
        outcome = outcomes.add_outcome(world.consultation, text="Bankjes", due_on=None, by=staff)
    db.session.commit()
    return world, staff, outcome


def test_action_source_text_can_change_only_before_publishing(client, app, unpublished_action, login_staff):
    world, staff, outcome = unpublished_action
    login_staff(client, staff)
    assert save_texts(client, world, {f"action{outcome.id}_nl": "Meer bankjes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Meer bankjes"}
    assert "cannot be empty" in save_texts(client, world, {f"action{outcome.id}_nl": ""}).get_data(as_text=True)
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Kort"}, correction_note=None, by=staff)
    db.session.commit()
    page = client.get(texts_url(world)).get_data(as_text=True)
    assert f'id="action{outcome.id}_nl"' in page and "readonly" in page
    save_texts(client, world, {f"action{outcome.id}_nl": "Iets anders", f"action{outcome.id}_en": "More benches"})
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Meer bankjes", "en": "More benches"}


def test_action_status_changes_are_dated(client, world_published, login_staff, login_tenant):
    world, staff, tenant, _quote, outcome = world_published
    assert outcome.status_changed_at is None
    login_staff(client, staff)
    token = client.csrf_token(f"/staff/results/{world.consultation.id}")
    assert client.post(f"/staff/results/outcomes/{outcome.id}",
                       data={"csrf_token": token, "status": "done"}).status_code == 302
    db.session.expire_all()
    done = db.session.get(Outcome, outcome.id)
    assert done.status is OutcomeStatus.DONE and done.status_changed_at is not None
    snapshot = publications.latest_publication(world.consultation.id).snapshot
    client.post_form("/sign-out", token_from=f"/staff/results/{world.consultation.id}")
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "Done on " in page
    assert publications.latest_publication(world.consultation.id).snapshot == snapshot


def test_languages_show_what_is_missing(client, world_published, login_staff):
    world, staff, _tenant, quote, outcome = world_published
    login_staff(client, staff)
    save_texts(client, world, {"summary_en": "Short", f"action{outcome.id}_en": "Racks", f"quote{quote.id}_en": "Nice"})
    page = client.get(f"/staff/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert '<bdi lang="en">English</bdi>: complete' in page
    assert '<bdi lang="pl">Polski</bdi>: 3 texts missing' in page
    # Isolated: in a left-to-right sentence "العربية: 3 texts missing" showed as "3 :العربية texts missing".
    assert '<bdi lang="ar">العربية</bdi>: 3 texts missing' in page
    assert texts_url(world) in page


def test_texts_page_is_for_publishers_of_the_corporation(client, world_published, make_corporation, make_staff,
                                                         login_staff, login_tenant):
    world, staff, tenant, _quote, _outcome = world_published
    corporation_id = world.consultation.corporation_id
    login_staff(client, make_staff(make_corporation(), "publisher"))
    assert client.get(texts_url(world)).status_code == 404
    client.post_form("/sign-out", token_from="/staff/results")
    from inspraak.people.models import Corporation
    login_staff(client, make_staff(db.session.get(Corporation, corporation_id), "partner"))
    assert client.get(texts_url(world)).status_code == 403
    client.post_form("/sign-out", token_from="/results/" + str(world.consultation.id))
    login_tenant(client, tenant)
    assert client.get(texts_url(world)).status_code == 403


def test_texts_form_needs_a_csrf_token(client, world_published, login_staff):
    world, staff, _tenant, _quote, outcome = world_published
    login_staff(client, staff)
    response = client.post(texts_url(world), data={f"action{outcome.id}_en": "x"})
    assert response.status_code == 400
    db.session.expire_all()
    assert "en" not in db.session.get(Outcome, outcome.id).text


def test_a_correction_starts_from_the_translated_summary(client, world_published, login_staff):
    world, staff, _tenant, _quote, _outcome = world_published
    login_staff(client, staff)
    save_texts(client, world, {"summary_pl": SUMMARY["pl"]})
    page = client.get(f"/staff/results/{world.consultation.id}").get_data(as_text=True)
    assert SUMMARY["pl"] in page


def test_a_correction_note_can_be_translated_later(app, client, world_published, login_staff, login_tenant):
    world, staff, tenant, _quote, _outcome = world_published
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Bijna iedereen fietst echt."},
                         correction_note={"nl": "Een typfout hersteld."}, by=staff)
    db.session.commit()
    login_staff(client, staff)
    assert save_texts(client, world, {"note2_en": "A typo was fixed."}).status_code == 302
    client.post_form("/sign-out", token_from=texts_url(world))
    login_tenant(client, tenant)
    english = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "A typo was fixed." in english and "Een typfout" not in english
    turkish = client.get(f"/results/{world.consultation.id}?lang=tr").get_data(as_text=True)
    assert 'class="pre-line"><span lang="nl" dir="ltr">Een typfout hersteld.</span> <span class="fallback-note">' in turkish
    assert len(publications.list_publications(world.consultation.id)) == 2


def test_a_quote_translated_after_a_page_was_cached_shows_at_once(client, world_published, login_staff):
    world, staff, _tenant, quote, _outcome = world_published
    login_staff(client, staff)
    before = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)  # rendered and kept
    assert "Het plein is mooi" in before
    save_texts(client, world, {f"quote{quote.id}_en": "The square is nice"})
    after = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "The square is nice" in after


def test_question_translations_added_after_publishing_reach_the_page(client, world_published, login_tenant):
    """A Polish question text and choice added later show at once; a changed Dutch text does not (other content)."""
    world, _staff, tenant, _quote, _outcome = world_published
    login_tenant(client, tenant)
    url = f"/results/{world.consultation.id}?lang=pl"
    before = client.get(url).get_data(as_text=True)
    assert 'lang="nl" dir="ltr">Vraag choice' in before and "Pytanie o wybór" not in before
    choice, matrix = world.q["choice"], world.q["matrix"]
    choice.text = {**choice.text, "pl": "Pytanie o wybór"}
    choice.options[0].label = {**choice.options[0].label, "pl": "Rower"}
    matrix.rows[0].label = {**matrix.rows[0].label, "pl": "Przód"}
    matrix.options[1].label = {**matrix.options[1].label, "pl": "Źle"}
    world.q["scale"].text = {"nl": "Een nieuwe Nederlandse vraag", "pl": "Nowe pytanie"}
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Pytanie o wybór" in page and "Rower" in page and "Przód" in page and "Źle" in page
    assert "Vraag scale" in page and "Nowe pytanie" not in page  # its Dutch text changed: the published one stays
    frozen = publications.latest_publication(world.consultation.id).snapshot
    assert "pl" not in next(q for q in frozen["questions"] if q["id"] == choice.id)["text"]  # the snapshot is untouched


def test_four_translators_saving_at_once_keep_every_translation(app, world_published, login_staff):
    """Each translator opened the page and fills in their own language: before, each save put back the
    boxes as its translator had seen them (empty), so only one language stayed and three were lost unseen."""
    from tests.concurrency import form_values, race_posts

    world, staff, _tenant, _quote, outcome = world_published
    page, action = texts_url(world), f"action{outcome.id}"
    posts = []
    for lang, text in SUMMARY.items():
        client = app.test_client()
        login_staff(client, staff)
        posts.append((client, page, {**form_values(client, page), f"summary_{lang}": text, f"{action}_{lang}": lang}))
    assert race_posts(app, posts) == [302] * len(SUMMARY)
    db.session.commit()  # the test's own reads end: it sees what the requests wrote
    db.session.expire_all()
    assert publications.latest_publication(world.consultation.id).summary == {"nl": "Bijna iedereen fietst.", **SUMMARY}
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Meer fietsenrekken", **{lang: lang for lang in SUMMARY}}
    db.session.commit()


def test_an_open_question_with_a_quote_shows_it_and_no_explanation(client, world_published, login_tenant):
    world, _staff, tenant, _quote, _outcome = world_published
    login_tenant(client, tenant)
    section = text_section(client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True))
    assert "Het plein is mooi" in section and "What people wrote" in section
    assert NONE_CHOSEN["en"] not in section


@pytest.mark.parametrize(("language", "typed", "message"), [
    ("nl", "", "Action 1 cannot be empty."),
    ("en", "More bike racks. " * 236, "Write at most 4,000 characters."),
], ids=["emptied", "too-long"])
def test_a_refused_text_is_told_beside_its_box_with_what_was_typed_kept(client, unpublished_action, login_staff,
                                                                       language, typed, message):
    """An action emptied in its source language, or a translation too long, was told at the top of the page only."""
    world, staff, outcome = unpublished_action
    login_staff(client, staff)
    box = f"action{outcome.id}_{language}"
    response = save_texts(client, world, {f"action{outcome.id}_nl": "Bankjes", f"action{outcome.id}_tr": "Banklar",
                                          box: typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error-message" id="{box}-error">{message}</p>' in body
    assert "Banklar" in body and typed.strip()[:40] in body
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).text == {"nl": "Bankjes"}
    db.session.commit()
