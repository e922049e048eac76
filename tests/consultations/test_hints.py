"""What an answer must be (how many choices, which numbers) is told under the question before any error."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from inspraak.consultations import authoring, invitations, questions
from inspraak.consultations.models import QuestionType
from inspraak.extensions import db

LANGUAGES = ("nl", "en", "tr", "ar", "pl")


@dataclass
class Limits:
    id: int
    multi: int  # choose 2 to 3 of four
    whole: int  # a whole number from 0 to 10
    decimal: int  # at most 2 decimals, from -1.5 to 100
    free: int  # a whole number without limits of its own
    scale: int  # 1 to 5, its ends named
    tenant: object  # invited
    top_only: int  # 0 to 10, only its highest value named


@pytest.fixture
def limits(app, editor, make_tenant) -> Limits:  # noqa: ANN001
    tenant = make_tenant(editor.corporation)
    with app.test_request_context():
        c = authoring.create_consultation(editor.corporation_id, title={"nl": "Grenzen"}, source_language="nl",
                                          by=editor)
        section = c.sections[0]

        def question(kind, text, settings):  # noqa: ANN001, ANN202
            q = questions.add_question(c, section, type=kind, text={"nl": text}, required=False, by=editor)
            if kind is QuestionType.MULTIPLE_CHOICE:
                for label in ("A", "B", "C", "D"):
                    questions.add_option(q, label={"nl": label})
            questions.update_question(q, text=q.text, help={}, required=False, settings=settings, condition=None)
            return q.id

        made = Limits(c.id, question(QuestionType.MULTIPLE_CHOICE, "Welke?", {"min": 2, "max": 3}),
                      question(QuestionType.NUMBER, "Hoeveel kamers?", {"min": 0, "max": 10}),
                      question(QuestionType.NUMBER, "Hoeveel meter?", {"decimals": 2, "min": -1.5, "max": 100}),
                      question(QuestionType.NUMBER, "Hoeveel jaar?", {}),
                      question(QuestionType.SCALE, "Hoe veilig?", {"min": 1, "max": 5, "min_label": {"nl": "Onveilig"},
                                                                    "max_label": {"nl": "Veilig"}}), tenant,
                      question(QuestionType.SCALE, "Hoe tevreden?", {"min": 0, "max": 10,
                                                                      "max_label": {"nl": "Heel tevreden"}}))
        invitations.open_consultation(c, by=editor)
    db.session.commit()
    return made


def _hint(html: str, qid: int) -> str:
    match = re.search(rf'<p class="hint" id="q{qid}-limits">([^<]*)</p>', html)
    assert match, f"no limits hint for q{qid}"
    return match.group(1)


def test_the_limits_are_told_under_each_question_before_any_answer(client, limits, login_tenant):
    login_tenant(client, limits.tenant)
    html = client.get(f"/consultations/{limits.id}/page/1?lang=en").get_data(as_text=True)
    assert _hint(html, limits.multi) == "Choose from 2 to 3 answers."
    assert _hint(html, limits.whole) == "Write a number from 0 to 10. Write a whole number, without a comma."
    assert _hint(html, limits.decimal) == "Write a number from -1.5 to 100. Use at most 2 digits after the comma."
    assert _hint(html, limits.free) == "Write a whole number, without a comma."
    # Screen readers read the hint with the question: the group of choices, and the number box.
    assert re.search(rf'<fieldset aria-describedby="q{limits.multi}-limits">', html)
    assert re.search(rf'<input [^>]*id="q{limits.whole}"[^>]*aria-describedby="q{limits.whole}-limits"', html)


def test_what_the_ends_of_a_scale_mean_is_read_with_its_choices(client, limits, login_tenant):
    """'1 = Unsafe, 5 = Safe' stood above the choices unconnected: a screen reader on a choice said only '1'."""
    login_tenant(client, limits.tenant)
    html = client.get(f"/consultations/{limits.id}/page/1?lang=en").get_data(as_text=True)
    assert re.search(rf'<p class="scale-labels" id="q{limits.scale}-scale"><span>1 = .*?Onveilig', html)
    assert f'<fieldset aria-describedby="q{limits.scale}-scale">' in html
    # The two ends are two phrases to a screen reader, not one run of words ("1 = Onveilig 5 = Veilig").
    ends = re.search(rf'<p class="scale-labels" id="q{limits.scale}-scale">(.*?)</p>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", ends).split() == ["1", "=", "Onveilig,", "5", "=", "Veilig"]


def test_a_scale_with_only_its_top_named_names_no_bottom(client, limits, login_tenant):
    """A scale with only its highest value named read '0 = ' before it: an end named by nothing."""
    login_tenant(client, limits.tenant)
    html = client.get(f"/consultations/{limits.id}/page/1?lang=en").get_data(as_text=True)
    ends = re.search(rf'<p class="scale-labels" id="q{limits.top_only}-scale">(.*?)</p>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", ends).split() == ["10", "=", "Heel", "tevreden"]
    assert 'class="scale-high"' in ends  # kept at its own end of the line


def test_the_hint_stays_beside_an_error_and_both_describe_the_box(client, limits, login_tenant):
    login_tenant(client, limits.tenant)
    page = f"/consultations/{limits.id}/page/1"
    r = client.post_form(f"{page}?lang=en", {f"q{limits.whole}": "11", "action": "next"}, token_from=page)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "The number must be 10 or less." in html
    assert f'aria-describedby="q{limits.whole}-limits q{limits.whole}-error"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_limits_are_told_in_every_language_with_its_numbers(client, limits, login_tenant,
                                                                lang):
    login_tenant(client, limits.tenant)
    html = client.get(f"/consultations/{limits.id}/page/1?lang={lang}").get_data(as_text=True)
    hints = [_hint(html, qid) for qid in (limits.multi, limits.whole, limits.decimal)]
    if lang != "en":
        assert not any("Choose" in hint or "Write" in hint for hint in hints), hints  # translated
    assert "2" in hints[0] and "3" in hints[0] and "10" in hints[1]
    assert ("1.5" if lang in ("en", "ar") else "1,5") in hints[2]  # the reader's decimal mark


def test_the_paper_form_prints_the_limits(client, limits, editor, login_staff):
    login_staff(client, editor)
    html = client.get(f"/staff/consultations/{limits.id}/paper?as=en").get_data(as_text=True)
    assert _hint(html, limits.multi) == "Choose from 2 to 3 answers."
    assert "Write a number from 0 to 10." in _hint(html, limits.whole)


def test_a_whole_number_question_gives_a_whole_number_as_example(client, limits, login_tenant):
    login_tenant(client, limits.tenant)
    page = f"/consultations/{limits.id}/page/1"
    for qid, typed in ((limits.whole, "zeven"), (limits.whole, "1.000"), (limits.free, "2,500")):
        html = client.post_form(f"{page}?lang=en", {f"q{qid}": typed, "action": "next"},
                                token_from=page).get_data(as_text=True)
        error = re.search(rf'id="q{qid}-error">([^<]*)<', html).group(1)
        assert "3,5" not in error and "3.5" not in error and "decimal" not in error, (typed, error)
    html = client.post_form(f"{page}?lang=en", {f"q{limits.decimal}": "zeven", "action": "next"},
                            token_from=page).get_data(as_text=True)
    assert "for example 12 or 3,5" in html  # a decimal question may show a decimal example


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_whole_number_messages_show_no_decimal_in_any_language(app, lang):
    from flask_babel import force_locale

    from inspraak.consultations.forms import error_message
    from inspraak.consultations.validation import Invalid

    with app.test_request_context(), force_locale(lang):
        messages = [error_message(Invalid(code)) for code in ("not_a_whole_number", "ambiguous_whole_number")]
    assert all(not re.search(r"\d[.,\u066b]\d", message) for message in messages), messages
    assert all(re.search(r"\d", message) for message in messages), messages  # still an example to follow


def test_limits_beyond_what_an_answer_can_hold_are_told_as_the_largest_number(client, limits, editor, login_tenant):
    """The editor takes any whole number as a limit; Babel cannot write 10**30 (a 500 on every page)."""
    from inspraak.consultations.models import Question

    question = db.session.get(Question, limits.free)
    question.settings = {"min": -10**30, "max": 10**30}
    db.session.commit()
    login_tenant(client, limits.tenant)
    page = f"/consultations/{limits.id}/page/1"
    r = client.get(f"{page}?lang=en")
    assert r.status_code == 200
    assert _hint(r.get_data(as_text=True), limits.free).startswith(
        "Write a number from -999,999,999,999 to 999,999,999,999.")
    r = client.post_form(f"{page}?lang=en", {f"q{limits.free}": "2" + "0" * 30, "action": "next"}, token_from=page)
    assert r.status_code == 400 and "The number must be 999,999,999,999 or less." in r.get_data(as_text=True)
