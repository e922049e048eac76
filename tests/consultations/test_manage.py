"""Staff build a consultation in the browser: texts, pages, questions, choices, conditions, opening."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from inspraak.consultations.models import Consultation, ConsultationStatus, Option, Question
from inspraak.core.once import new_token
from inspraak.extensions import db


def _id_from(location: str) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", location).group(1))


def test_an_editor_builds_a_consultation_with_a_condition_and_opens_it(client, editor, make_tenant, login_staff):
    make_tenant(editor.corporation, language="tr")
    login_staff(client, editor)
    assert client.get("/staff/consultations/").status_code == 200
    r = client.post_form("/staff/consultations/new", {"title": "Groen in de wijk", "source_language": "nl",
                                                      "kind": "survey", "complex_id": "0", "once": new_token()},
                         token_from="/staff/consultations/new")
    assert r.status_code == 302, r.get_data(as_text=True)[-6000:]
    cid = _id_from(r.location)
    base = f"/staff/consultations/{cid}"
    overview = client.get(base + "?lang=en").get_data(as_text=True)
    assert "Groen in de wijk" in overview and '<bdi lang="en">English</bdi>: 1 text missing' in overview  # only the title so far
    texts = {"title_nl": "Groen in de wijk", "title_en": "Green in the area", "title_tr": "Mahallede yeşil",
             "intro_nl": "Vertel ons wat u vindt."}
    assert client.post_form(f"{base}/texts", texts, token_from=f"{base}/texts").status_code == 302
    section_id = db.session.scalar(sa.select(Consultation).where(Consultation.id == cid)).sections[0].id
    db.session.commit()
    new_q = f"{base}/sections/{section_id}/questions/new"
    r = client.post_form(new_q, {"type": "yes_no", "required": "y", "text_nl": "Heeft u een tuin?",
                                 "text_tr": "Bahçeniz var mı?", "match": "all", "once": new_token()}, token_from=new_q)
    assert r.status_code == 302, r.get_data(as_text=True)[-6000:]
    garden = _id_from(r.location)
    form_page = client.get(new_q).get_data(as_text=True)
    assert f'value="{garden}|true"' in form_page
    r = client.post_form(new_q, {"type": "single_choice", "text_nl": "Wat doet u in de tuin?", "match": "all",
                                 "rule1_target": f"{garden}|true", "rule1_op": "is",
                                 "once": new_token()}, token_from=new_q)
    assert r.status_code == 302, r.get_data(as_text=True)[-6000:]
    activity = _id_from(r.location)
    q_page = f"{base}/questions/{activity}"
    for label in ("Tuinieren", "Zitten"):
        r = client.post_form(f"{q_page}/options", {"options-label_nl": label, "once": new_token()}, token_from=q_page)
        assert r.status_code == 302
    question = db.session.get(Question, activity)
    assert question.condition == {"match": "all", "rules": [{"question": garden, "op": "is", "value": True}]}
    assert [o.label["nl"] for o in question.options] == ["Tuinieren", "Zitten"]
    db.session.commit()
    up = db.session.scalar(sa.select(Option.id).where(Option.question_id == activity, Option.position == 2))
    db.session.commit()
    assert client.post_form(f"{q_page}/options/{up}/up", {}, token_from=q_page).status_code == 302
    db.session.expire_all()
    assert [o.label["nl"] for o in db.session.get(Question, activity).options] == ["Zitten", "Tuinieren"]
    db.session.commit()
    # A condition may not point to a later question: moving the condition's question down is refused.
    assert client.post_form(f"{base}/questions/{garden}/move/down", {}, token_from=q_page).status_code == 400
    overview = client.get(f"{base}?lang=en").get_data(as_text=True)
    for lang in ("nl", "en", "tr", "ar", "pl"):
        assert f"{base}/preview?as={lang}" in overview and f"{base}/paper?as={lang}" in overview
        preview = client.get(f"{base}/preview?as={lang}")
        assert preview.status_code == 200
        assert f'lang="{lang}"' in preview.get_data(as_text=True)
    assert 'dir="rtl"' in client.get(f"{base}/preview?as=ar").get_data(as_text=True)
    assert "Bahçeniz var mı?" in client.get(f"{base}/preview?as=tr").get_data(as_text=True)
    assert client.get(f"{base}/paper?as=tr").status_code == 200
    r = client.post_form(f"{base}/open", {}, token_from=base)
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, cid).status is ConsultationStatus.OPEN
    db.session.commit()
    assert "1" in client.get(base).get_data(as_text=True)


def test_questions_are_locked_after_the_first_response(app, client, editor, make_tenant, make_survey, login_staff):
    from inspraak.consultations import answering
    from inspraak.consultations.models import Channel, Invitation

    make_tenant(editor.corporation)
    survey = make_survey(editor)
    with app.test_request_context():
        unit = db.session.scalar(sa.select(Invitation.unit_key))
        answering.submit_response(survey.consultation, unit_key=unit, channel=Channel.ONLINE,
                                  answers={survey.choice: {"option": survey.car}, survey.score: 3})
    db.session.commit()
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    q_page = f"{base}/questions/{survey.choice}"
    refused = client.post_form(f"{q_page}/options?lang=en", {"options-label_nl": "Bus", "once": new_token()},
                               token_from=q_page)
    assert refused.status_code == 409  # told at the top: the form to add one is gone
    assert "Someone has answered already." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Question, survey.choice).options) == 3
    db.session.commit()
    assert client.post_form(f"{base}/questions/{survey.score}/delete", {}, token_from=q_page).status_code == 409
    # Texts may still be corrected.
    r = client.post_form(f"{q_page}/options/{survey.car}", {"label_nl": "Auto of motor"}, token_from=q_page)
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Option, survey.car).label["nl"] == "Auto of motor"
    db.session.commit()


def test_duplicate_makes_a_draft_with_the_same_questions_and_conditions(client, editor, make_tenant, make_survey,
                                                                        login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    r = client.post_form(f"{base}/duplicate", {"once": new_token()}, token_from=base)
    copy_id = _id_from(r.location)
    copy_ = db.session.get(Consultation, copy_id)
    assert copy_.status is ConsultationStatus.DRAFT and len(copy_.questions) == 3
    why = next(q for q in copy_.questions if q.condition)
    choice = next(q for q in copy_.questions if q.options)
    assert why.condition["rules"][0]["question"] == choice.id
    assert why.condition["rules"][0]["value"] == choice.options[0].id
    db.session.commit()


def test_a_copy_is_called_a_copy_in_each_language_of_its_title(client, editor, make_tenant, make_survey, login_staff):
    """The editor's own language was put before every title: a Polish-speaking editor's copy read
    "Kopia: Hoe gaat u naar uw werk?" for Dutch tenants, and "Kopie van How do you get to work?" for English ones."""
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    client.get(f"{base}?lang=pl")
    r = client.post_form(f"{base}/duplicate", {"once": new_token()}, token_from=base)
    assert db.session.get(Consultation, _id_from(r.location)).title == {
        "nl": "Kopie van Hoe gaat u naar uw werk?", "en": "Copy of How do you get to work?",
        "tr": "Kopya: İşe nasıl gidiyorsunuz?"}


def test_duplicate_keeps_the_breakdown_setting(client, editor, make_tenant, make_survey, login_staff):
    """A copy has the same settings: a consultation shown per neighbourhood is copied as one shown per neighbourhood."""
    from inspraak.consultations.models import Breakdown

    make_tenant(editor.corporation)
    survey = make_survey(editor, breakdown=Breakdown.NEIGHBOURHOOD)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    r = client.post_form(f"{base}/duplicate", {"once": new_token()}, token_from=base)
    copy_ = db.session.get(Consultation, _id_from(r.location))
    assert copy_.breakdown is Breakdown.NEIGHBOURHOOD
    db.session.commit()


@pytest.mark.parametrize("lang", ["nl", "en", "tr", "ar", "pl"])
def test_tenant_pages_render_in_every_language(client, editor, make_tenant, make_survey, login_tenant, lang):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    for path in ("/consultations", f"/consultations/{survey.id}", f"/consultations/{survey.id}/page/1",
                 f"/consultations/{survey.id}/review"):
        page = client.get(f"{path}?lang={lang}")
        assert page.status_code == 200
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page.get_data(as_text=True)


def test_every_question_type_renders_and_round_trips_through_the_page(app, client, editor, make_tenant, login_tenant,
                                                                      login_staff):
    from inspraak.consultations import authoring, invitations, queries, questions
    from inspraak.consultations.models import QuestionType

    person = make_tenant(editor.corporation, language="ar")
    with app.test_request_context():
        c = authoring.create_consultation(editor.corporation_id, title={"nl": "Alles"}, source_language="nl", by=editor)
        page = c.sections[0]
        made = {}
        for kind in QuestionType:
            if kind is QuestionType.AGREEMENT:
                continue
            settings = {"min": 1, "max": 4, "min_label": {"nl": "Slecht"}, "max_label": {"nl": "Goed"}} \
                if kind is QuestionType.SCALE else {"decimals": 1} if kind is QuestionType.NUMBER else {}
            q = questions.add_question(c, page, type=kind, text={"nl": f"Vraag {kind.value}"}, required=True,
                                       settings=settings, by=editor)
            if kind in queries.CHOICE_TYPES:
                for label in ("Een", "Twee", "Drie"):
                    questions.add_option(q, label={"nl": label})
            if kind is QuestionType.MATRIX:
                questions.add_row(q, label={"nl": "Rij A"})
                questions.add_row(q, label={"nl": "Rij B"})
            made[kind] = q
        invitations.open_consultation(c, by=editor)
        cid = c.id
        options = {kind: [o.id for o in q.options] for kind, q in made.items()}
        rows = [r.id for r in made[QuestionType.MATRIX].rows]
        ids = {kind: q.id for kind, q in made.items()}
    db.session.commit()
    form = {
        f"q{ids[QuestionType.SINGLE_CHOICE]}": str(options[QuestionType.SINGLE_CHOICE][1]),
        f"q{ids[QuestionType.MULTIPLE_CHOICE]}": [str(o) for o in options[QuestionType.MULTIPLE_CHOICE][:2]],
        f"q{ids[QuestionType.SCALE]}": "4",
        f"q{ids[QuestionType.SCORE]}": "0",
        f"q{ids[QuestionType.YES_NO]}": "no",
        f"q{ids[QuestionType.SHORT_TEXT]}": "Kort",
        f"q{ids[QuestionType.LONG_TEXT]}": "Lang",
        f"q{ids[QuestionType.NUMBER]}": "2,5",
        f"q{ids[QuestionType.MATRIX]}_r{rows[0]}": str(options[QuestionType.MATRIX][0]),
        f"q{ids[QuestionType.MATRIX]}_r{rows[1]}": str(options[QuestionType.MATRIX][2]),
        "action": "save",
    }
    for rank, option in enumerate(options[QuestionType.RANKING], start=1):
        form[f"q{ids[QuestionType.RANKING]}_o{option}"] = str(4 - rank)
    login_tenant(client, person)
    url = f"/consultations/{cid}/page/1"
    html = client.get(url).get_data(as_text=True)
    assert '1 = <span lang="nl" dir="ltr">Slecht</span>' in html and 'dir="rtl"' in html
    ranking = f"q{ids[QuestionType.RANKING]}"
    assert f'<fieldset aria-describedby="{ranking}-order">' in html and f'<p class="hint" id="{ranking}-order">' in html
    assert client.post_form(url, form, token_from=url).status_code == 302
    again = client.get(url).get_data(as_text=True)
    assert 'value="2.5"' in again and ">Lang</textarea>" in again
    assert f'name="q{ids[QuestionType.RANKING]}_o{options[QuestionType.RANKING][0]}"' in again
    review = client.get(f"/consultations/{cid}/review").get_data(as_text=True)
    nl = '<span lang="nl" dir="ltr">{}</span>'.format  # not translated into Arabic: marked as Dutch
    assert f"{nl('Rij B')}: {nl('Drie')}" in review and f"1. {nl('Drie')}" in review
    assert client.post_form(f"/consultations/{cid}/review", {}, token_from=url).status_code == 302
    login_staff(client, editor)
    assert client.get(f"/staff/consultations/{cid}/paper?as=pl").status_code == 200
    assert client.get(f"/staff/consultations/{cid}/questions/{ids[QuestionType.MATRIX]}").status_code == 200


def test_selects_that_always_have_a_choice_carry_no_required_attribute(client, editor, login_staff):
    """HTML forbids `required` on a select whose first option is a real value (the Nu checker rejects it)."""
    login_staff(client, editor)
    page = client.get("/staff/consultations/new").get_data(as_text=True)
    for name in ("source_language", "kind"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>', page).group(0)
        assert "required" not in select, select
    cid = _id_from(client.post_form("/staff/consultations/new", {"title": "Tuin", "source_language": "nl",
                                                                 "kind": "survey", "complex_id": "0", "once": new_token()},
                                    token_from="/staff/consultations/new").location)
    settings = client.get(f"/staff/consultations/{cid}/settings").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="source_language"[^>]*>', settings).group(0)
    assert "required" not in select, select


def test_a_question_shown_in_the_source_language_says_so(client, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.consultation.id}/preview"
    arabic = client.get(f"{base}?as=ar").get_data(as_text=True)
    assert '<span lang="nl" dir="ltr">Hoe reist u?</span> <span class="fallback-note">' in arabic
    # The titles too, as on the tenant's pages: the survey's and the second section's exist in Dutch only.
    assert '<h1><span lang="nl" dir="ltr">Hoe gaat u naar uw werk?</span> <span class="fallback-note">' in arabic
    assert '<span lang="nl" dir="ltr">Uw buurt</span> <span class="fallback-note">' in arabic
    turkish = client.get(f"{base}?as=tr").get_data(as_text=True)  # everything in Turkish but the section title
    assert turkish.count('class="fallback-note"') == 1 and 'Uw buurt</span> <span class="fallback-note">' in turkish


def test_preview_refuses_a_language_that_is_not_offered(client, editor, make_survey, login_staff):
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    cid = survey.consultation.id
    assert client.get(f"/staff/consultations/{cid}/preview?as=xx").status_code == 404
    assert client.get(f"/staff/consultations/{cid}/paper?as=xx").status_code == 404


def test_duplicate_sent_twice_makes_one_copy(client, editor, make_tenant, make_survey, login_staff):
    make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_staff(client, editor)
    base = f"/staff/consultations/{survey.id}"
    assert 'name="once"' in client.get(base).get_data(as_text=True)
    form = {"once": new_token()}
    first, second = (client.post_form(f"{base}/duplicate", form, token_from=base) for _ in range(2))
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 2  # the survey and one copy
    assert client.post_form(f"{base}/duplicate", {}, token_from=base).status_code == 400  # a form without a token
    db.session.commit()


def test_a_condition_rule_of_only_spaces_chooses_nothing(client, editor, make_survey, login_staff):
    """A rule's question sent as spaces (a select's Optional() lets them through) was an error page."""
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    section = db.session.get(Question, survey.score).section_id
    db.session.commit()
    base = f"/staff/consultations/{survey.id}"
    for page in (f"{base}/sections/{section}", f"{base}/questions/{survey.score}"):
        r = client.post_form(page, {"title_nl": "Uw buurt", "text_nl": "Welk cijfer?", "match": "all",
                                    "rule1_target": "   ", "rule1_op": "is"}, token_from=page)
        assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    assert db.session.get(Question, survey.score).condition is None


@pytest.mark.parametrize(("staff_lang", "shown"), [("en", "tr"), ("nl", "ar"), ("pl", "en")])
def test_the_preview_speaks_to_staff_in_their_language_and_shows_the_tenants_part_in_the_chosen_one(
        client, editor, make_survey, login_staff, staff_lang, shown):
    """The notice, the language links and the way back are the staff member's page; only what tenants
    read is in the preview language, marked with its own lang and dir."""
    from flask_babel import force_locale, gettext

    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    client.get(f"/staff/consultations/?lang={staff_lang}")
    page = client.get(f"/staff/consultations/{survey.consultation.id}/preview?as={shown}").get_data(as_text=True)
    with client.application.test_request_context(), force_locale(staff_lang):
        notice = gettext("Preview: this is what tenants see. Nothing is stored.")
        back = gettext("Back to the consultation")
    with client.application.test_request_context(), force_locale(shown):
        tenants_page = gettext("Page %(n)d of %(total)d", n=1, total=2)
    direction = "rtl" if staff_lang == "ar" else "ltr"
    assert f'<html lang="{staff_lang}" dir="{direction}">' in page
    assert notice in page and back in page
    part = page.split(f'<div class="preview" lang="{shown}" dir="{"rtl" if shown == "ar" else "ltr"}">', 1)[1]
    assert tenants_page in part and notice not in part


@pytest.mark.parametrize(("box", "limit"), [("title_nl", 500), ("title_tr", 500), ("intro_en", 20_000)])
def test_a_text_box_refuses_more_than_its_limit_with_what_was_typed_kept(client, editor, make_survey, login_staff,
                                                                           box, limit):
    """The boxes of every language had no limit: a title of 100 000 characters was stored (and put in mail subjects
    and on letters), while a new consultation's title may have 200."""
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/texts"
    typed = "Groen " * (limit // 6) + "x" * (limit % 6 + 1)
    response = client.post_form(page + "?lang=en", {"title_nl": "Hoe gaat u naar uw werk?", box: typed}, token_from=page)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{box}-error">Write at most {limit:,} characters.</p>' in body
    assert typed in body
    stored = db.session.get(Consultation, survey.id)
    assert typed not in [*stored.title.values(), *stored.intro.values()]
    db.session.commit()
    just_enough = client.post_form(page, {"title_nl": "Hoe gaat u naar uw werk?", box: typed[:limit]}, token_from=page)
    assert just_enough.status_code == 302


@pytest.mark.parametrize(("sent", "message"), [
    ({"options-label_en": "Tram"}, "Write the choice in the source language."),
    ({"options-label_nl": "T" * 501, "options-label_en": "Tram"}, "Write at most 500 characters."),
])
def test_a_refused_new_choice_comes_back_as_typed_beside_the_question_as_stored(client, editor, make_survey,
                                                                                login_staff, sent, message):
    """A new choice without its Dutch text went back to the question's page by a redirect, the English text gone,
    and one too long was a bare error page."""
    survey = make_survey(editor, open=False)
    login_staff(client, editor)
    page = f"/staff/consultations/{survey.id}/questions/{survey.choice}"
    response = client.post_form(f"{page}/options?lang=en", {**sent, "once": new_token()}, token_from=page)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="options-label_nl-error">{message}</p>' in body
    assert 'value="Tram"' in body  # what was typed in English stays
    assert 'value="Hoe reist u?"' in body and re.search(r'<input checked[^>]*id="required"', body)
    assert [o.label["nl"] for o in db.session.get(Question, survey.choice).options] == ["Fiets", "Auto", "Anders"]
    db.session.commit()
