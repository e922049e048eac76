"""A ranking or a required matrix answered in part is kept when the tenant saves for later, goes back or
changes language (leaving then lost the whole page), and is still never sent as it is."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from inspraak.consultations import authoring, invitations, questions
from inspraak.consultations.models import Draft, QuestionType, Response
from inspraak.extensions import db


@pytest.fixture
def ranking_and_matrix(app, client, editor, make_tenant, login_tenant):  # noqa: ANN001, ANN201
    """An open survey whose one page has a text question, a ranking of three and a required matrix of two
    rows; a tenant signed in. Returns the page's path and the ids the form names."""
    person = make_tenant(editor.corporation)
    with app.test_request_context():
        c = authoring.create_consultation(editor.corporation_id, title={"nl": "Buurt"}, source_language="nl", by=editor)
        section = c.sections[0]
        text = questions.add_question(c, section, type=QuestionType.SHORT_TEXT, text={"nl": "Naam van de buurt"}, required=False,
                                      by=editor)
        ranking = questions.add_question(c, section, type=QuestionType.RANKING, text={"nl": "Wat eerst?"}, required=False,
                                          by=editor)
        places = [questions.add_option(ranking, label={"nl": label}).id for label in ("Bankjes", "Bomen", "Licht")]
        matrix = questions.add_question(c, section, type=QuestionType.MATRIX, text={"nl": "Hoe vindt u"},
                                        required=True, by=editor)
        grades = [questions.add_option(matrix, label={"nl": label}).id for label in ("Goed", "Slecht")]
        rows = [questions.add_row(matrix, label={"nl": label}).id for label in ("Tuin", "Trap")]
        invitations.open_consultation(c, by=editor)
        ids = {"cid": c.id, "text": text.id, "ranking": ranking.id, "places": places, "matrix": matrix.id,
               "grades": grades, "rows": rows}
    db.session.commit()
    login_tenant(client, person)
    return f"/consultations/{ids['cid']}/page/1", ids


def _in_part(ids):  # noqa: ANN001, ANN202
    """A name typed, one place of three given, one row of two answered."""
    return {f"q{ids['text']}": "Lunetten", f"q{ids['ranking']}_o{ids['places'][2]}": "1",
            f"q{ids['matrix']}_r{ids['rows'][1]}": str(ids["grades"][1])}


@pytest.mark.parametrize("action", ["save", "language"])
def test_a_page_answered_in_part_is_kept_for_later(client, ranking_and_matrix, action):  # noqa: ANN001
    page, ids = ranking_and_matrix
    sent = {**_in_part(ids), **({"lang": "en"} if action == "language" else {"action": "save"})}
    response = client.post_form(page, sent, token_from=page)
    assert response.status_code == 302
    draft = db.session.scalar(sa.select(Draft))
    assert draft.answers == {str(ids["text"]): "Lunetten", str(ids["ranking"]): [ids["places"][2], None, None],
                             str(ids["matrix"]): {str(ids["rows"][1]): ids["grades"][1]}}
    html = client.get(page).get_data(as_text=True)
    assert 'value="Lunetten"' in html
    assert '<option value="1" selected' in html.split(f'name="q{ids["ranking"]}_o{ids["places"][2]}"')[1].split("</select>")[0]
    assert html.count("selected") == 1  # the other two places are still open
    assert f'name="q{ids["matrix"]}_r{ids["rows"][1]}" value="{ids["grades"][1]}" checked' in html
    assert "checked" not in html.split(f'name="q{ids["matrix"]}_r{ids["rows"][0]}"')[1].split("</tr>")[0]


def test_an_answer_in_part_is_never_sent(client, ranking_and_matrix):  # noqa: ANN001
    page, ids = ranking_and_matrix
    client.post_form(page, {**_in_part(ids), "action": "save"}, token_from=page)
    review = f"/consultations/{ids['cid']}/review"
    html = client.get(f"{review}?lang=en").get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "Give every choice a place, from 1 to 3." in summary and "Please answer every row." in summary
    response = client.post_form(review, {}, token_from=review)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    # Sending from the page still asks for the rest, with what was given shown again.
    response = client.post_form(page, {**_in_part(ids), "action": "send"}, token_from=page)
    assert response.status_code == 400 and 'value="Lunetten"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_a_place_given_twice_is_still_refused_when_saving(client, ranking_and_matrix):  # noqa: ANN001
    page, ids = ranking_and_matrix
    twice = {f"q{ids['ranking']}_o{ids['places'][0]}": "1", f"q{ids['ranking']}_o{ids['places'][1]}": "1",
             "action": "save"}
    response = client.post_form(page, twice, token_from=page)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
