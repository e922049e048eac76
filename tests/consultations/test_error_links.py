"""The error summary of an answering page leads to each question's first control, and an error marks only
the controls it is about (the "other" box only when its text is the problem)."""
from __future__ import annotations

import re

from inspraak.consultations import authoring, invitations, queries, questions
from inspraak.consultations.models import QuestionType
from inspraak.extensions import db

CONTROL = re.compile(r'<(?:input|select|textarea)\b[^>]*?\sid="([^"]+)"')


def _summary_links(html: str) -> list[str]:
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="([^"]*)"', summary)


def _block(html: str, question_id: int) -> str:
    return html.split(f'id="q{question_id}-block"')[1].split('-block"')[0]


def _other_box(html: str, question_id: int) -> str:
    return re.search(rf'<input type="text" id="q{question_id}_other"[^>]*>', html).group(0)


def test_each_link_of_the_error_summary_leads_to_the_first_control_of_its_question(
        app, client, editor, make_tenant, login_tenant):
    """As GOV.UK's error summary: following a link puts focus in the question (its first choice, box or
    list), not on the block around it, for every type of question."""
    person = make_tenant(editor.corporation)
    with app.test_request_context():
        c = authoring.create_consultation(editor.corporation_id, title={"nl": "Alles"}, source_language="nl", by=editor)
        made = []
        for kind in QuestionType:
            settings = {"min": 2, "max": 4} if kind is QuestionType.SCALE else {}
            q = questions.add_question(c, c.sections[0], type=kind, text={"nl": f"Vraag {kind.value}"}, required=True,
                                       settings=settings, by=editor)
            if kind in queries.CHOICE_TYPES:
                for label in ("Een", "Twee"):
                    questions.add_option(q, label={"nl": label})
            if kind is QuestionType.MATRIX:
                questions.add_row(q, label={"nl": "Rij A"})
                questions.add_row(q, label={"nl": "Rij B"})
            made.append(q.id)
        invitations.open_consultation(c, by=editor)
        cid = c.id
    db.session.commit()
    login_tenant(client, person)
    page = f"/consultations/{cid}/page/1"
    response = client.post_form(page, {"action": "next"}, token_from=page)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    first_controls = [CONTROL.search(_block(html, qid)).group(1) for qid in made]
    assert _summary_links(html) == [f"#{control}" for control in first_controls]
    # The check page leads to the same control, on the question's page.
    review = client.get(f"/consultations/{cid}/review").get_data(as_text=True)
    assert _summary_links(review) == [f"{page}#{control}" for control in first_controls]


def test_an_error_about_the_choice_leaves_the_other_box_alone(client, editor, make_survey, make_tenant, login_tenant):
    """No choice made: the choices are wrong, not the empty "other, namely" box, which stays unmarked."""
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    page = f"/consultations/{survey.id}/page/1"
    html = client.post_form(page + "?lang=en", {"action": "next"}, token_from=page).get_data(as_text=True)
    assert f'id="q{survey.choice}-error"' in html
    assert f'value="{survey.bike}" aria-invalid="true">' in html
    box = _other_box(html, survey.choice)
    assert "aria-invalid" not in box and "aria-describedby" not in box
    assert _summary_links(html) == [f"#q{survey.choice}-{survey.bike}"]


def test_an_error_about_the_other_text_marks_that_box_and_leads_to_it(
        client, editor, make_survey, make_tenant, login_tenant):
    person = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, person)
    page = f"/consultations/{survey.id}/page/1"
    html = client.post_form(page + "?lang=en", {f"q{survey.choice}": str(survey.other), "action": "next"},
                            token_from=page).get_data(as_text=True)
    assert "Please write what you mean." in html
    assert _other_box(html, survey.choice).endswith(f'aria-describedby="q{survey.choice}-error" aria-invalid="true">')
    assert f'value="{survey.other}" checked>' in html  # the choice itself is fine
    assert _summary_links(html) == [f"#q{survey.choice}_other"]
