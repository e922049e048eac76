"""The staff pages and the results page through the browser: access, forms, languages, exports."""
from __future__ import annotations

import json

import pytest

from inspraak.consultations.models import Answer, ConsultationStatus, PrivacyMode
from inspraak.core.once import new_token
from inspraak.extensions import db
from inspraak.results import outcomes, publications, services
from inspraak.people.models import Corporation
from inspraak.results.models import Outcome, OutcomeStatus
from tests.concurrency import race_posts
from tests.results.conftest import full_answer


def test_invited_tenant_reads_results_in_arabic(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "الجميع تقريبا" in page
    assert page.index("الجميع تقريبا") < page.index('class="chart"')
    assert "Meer fietsenrekken" in page
    assert 'class="chart-bar"' in page and "<table" in page


def test_untranslated_content_keeps_its_language_and_direction_in_arabic(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang=ar").get_data(as_text=True)
    # The action was written in Dutch only: it reads left to right, marked as not translated.
    # (The note after it, in Arabic, outside the Dutch text: see tests/core/test_fallback_note.)
    assert '<p class="pre-line"><span lang="nl" dir="ltr">Meer fietsenrekken</span> <span class="fallback-note">' in page
    # The summary has an Arabic text: no marking.
    assert '<p class="pre-line result-summary">الجميع تقريبا</p>' in page


def test_every_language_renders(app, client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    for lang in app.config["LANGUAGES"]:
        response = client.get(f"/results/{world.consultation.id}?lang={lang}")
        assert response.status_code == 200
        assert f'lang="{lang}"' in response.get_data(as_text=True)


def test_hidden_cells_read_fewer_than(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "fewer than 5" in page


def test_tenant_outside_the_audience_gets_404(client, published, login_tenant):
    """Not invited, and living in a neighbourhood the consultation did not cover."""
    world, _staff, _tenant, outsider = published
    login_tenant(client, outsider)
    assert client.get(f"/results/{world.consultation.id}").status_code == 404


def test_a_neighbour_who_was_not_invited_reads_what_the_neighbourhood_page_lists(client, published, login_tenant,
                                                                                  make_tenant):
    """One rule for both pages: a tenant of a covered neighbourhood (moved in later, or living in another
    complex of it) sees the results on the neighbourhood page and can open them."""
    world, _staff, tenant, _outsider = published
    neighbour = make_tenant(tenancy=None, complex_=tenant.tenancy.dwelling.complex)
    login_tenant(client, neighbour)
    hood_id = neighbour.tenancy.dwelling.complex.neighbourhood_id
    assert f"/results/{world.consultation.id}" in client.get(f"/neighbourhoods/{hood_id}").get_data(as_text=True)
    assert client.get(f"/results/{world.consultation.id}").status_code == 200


def test_unpublished_results_are_not_shown_to_tenants(client, app, make_corporation, make_world, make_tenant,
                                                      login_tenant):
    corporation = make_corporation()
    world = make_world(corporation)
    tenant = make_tenant(corporation)
    world.invite(tenant)
    db.session.commit()
    login_tenant(client, tenant)
    assert client.get(f"/results/{world.consultation.id}").status_code == 404
    page = client.get(f"/consultations/{world.consultation.id}?lang=en")  # nor linked from the closed consultation
    assert page.status_code == 200 and "You cannot answer any more" in page.get_data(as_text=True)
    assert f"/results/{world.consultation.id}" not in page.get_data(as_text=True)


def test_partner_reads_results_but_not_the_preview(client, published, make_staff, login_staff):
    world, _staff, _tenant, _outsider = published
    partner = make_staff(db.session.get(Corporation, world.consultation.corporation_id), "partner")
    login_staff(client, partner)
    assert client.get(f"/results/{world.consultation.id}").status_code == 200
    assert client.get(f"/staff/results/{world.consultation.id}").status_code == 403


def test_preview_is_for_publishers_only(client, app, make_corporation, make_world, make_staff, login_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    login_staff(client, make_staff(corporation, "editor"))
    assert client.get(f"/staff/results/{world.consultation.id}").status_code == 403


def test_publisher_previews_and_publishes_through_the_form(client, app, make_corporation, make_world, make_staff,
                                                           login_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad", "Mooi plein"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    cid = world.consultation.id
    preview = client.get(f"/staff/results/{cid}?lang=en")
    assert preview.status_code == 200 and "Not published yet" in preview.get_data(as_text=True)
    answers = client.get(f"/staff/results/{cid}/answers").get_data(as_text=True)
    assert "Mooi plein" in answers
    token = client.csrf_token(f"/staff/results/{cid}")
    rid = db.session.scalar(db.select(Answer.response_id).where(Answer.question_id == world.q["text"].id))
    for question_id, item in ((str(10**29), "0"), (world.q["text"].id, "9" * 25), ("x", "0"), ("", "")):
        forged = client.post(f"/staff/results/{cid}/quotes", data={"csrf_token": token, "response_id": rid,
                             "question_id": question_id, "item": item})
        assert forged.status_code == 400  # a forged hidden field: refused, not a database error
    assert client.post(f"/staff/results/{cid}/quotes", data={"csrf_token": token, "response_id": rid,
                       "question_id": world.q["text"].id, "item": 0, "once": new_token()}).status_code == 302
    assert client.post(f"/staff/results/{cid}/outcomes",
                       data={"csrf_token": token, "text": "Bankjes", "once": new_token()}).status_code == 302
    outcome = db.session.scalar(db.select(Outcome).where(Outcome.consultation_id == cid))
    page = client.get(f"/staff/results/{cid}").get_data(as_text=True)
    # One form per action and quote: each control keeps its own label.
    for control in (f"status-{outcome.id}", f"due-{outcome.id}", "quote-"):
        assert f'<label for="{control}' in page and f'id="{control}' in page
    assert client.post(f"/staff/results/outcomes/{outcome.id}",
                       data={"csrf_token": token, "status": "in_progress"}).status_code == 302
    assert client.post(f"/staff/results/{cid}/publish",
                       data={"csrf_token": token, "summary_nl": "Het plein is mooi."}).status_code == 302
    db.session.expire_all()
    assert world.consultation.status is ConsultationStatus.PUBLISHED
    assert db.session.get(Outcome, outcome.id).status is OutcomeStatus.IN_PROGRESS
    assert publications.latest_publication(cid).snapshot["quotes"][0]["text"] == {"nl": "Mooi plein"}


def test_posts_without_csrf_token_are_refused(client, published, login_staff):
    world, staff, _tenant, _outsider = published
    login_staff(client, staff)
    assert client.post(f"/staff/results/{world.consultation.id}/publish", data={"summary_nl": "x"}).status_code == 400


def test_exports(client, app, make_corporation, make_world, make_staff, make_tenant, login_staff):
    corporation = make_corporation()
    world = make_world(corporation, privacy=PrivacyMode.NAMED)
    person = make_tenant(corporation, name="Ada Lovelace")
    world.answer(full_answer(world, "b", ["a", "c"], 2, 6, False, "4.5", ["c", "b", "a"], "good", "bad", "Hallo"),
                 person=person)
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    raw = client.get(f"/staff/results/{world.consultation.id}/responses.csv").get_data(as_text=True)
    lines = raw.strip().splitlines()
    assert len(lines) == 2
    assert "Ada Lovelace" in lines[1] and "4.5" in lines[1] and "Hallo" in lines[1] and "1. C; 2. B; 3. A" in lines[1]
    aggregated = client.get(f"/staff/results/{world.consultation.id}/results.csv?lang=en").get_data(as_text=True)
    assert "fewer than 10" in aggregated


def test_raw_export_has_no_names_for_anonymous_consultations(client, app, make_corporation, make_world, make_staff,
                                                              make_tenant, login_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer(full_answer(world, "b", ["a"], 2, 6, False, "4", ["c", "b", "a"], "good", "bad"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    header = client.get(f"/staff/results/{world.consultation.id}/responses.csv").get_data(as_text=True).splitlines()[0]
    assert "Name" not in header


def test_open_data_is_public_and_protected(client, published):
    world, _staff, _tenant, _outsider = published
    data = json.loads(client.get(f"/open-data/consultations/{world.consultation.id}.json").get_data(as_text=True))
    assert data["version"] == 1
    assert "quotes" not in data["results"]
    choice = next(q for q in data["results"]["questions"] if q["type"] == "single_choice")
    assert choice["options"][2]["count"] == {"hidden": "below"}


def test_open_data_of_unpublished_consultation_is_404(client, app, make_corporation, make_world):
    world = make_world(make_corporation())
    assert client.get(f"/open-data/consultations/{world.consultation.id}.json").status_code == 404


def test_neighbourhood_page(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    hood_id = tenant.tenancy.dwelling.complex.neighbourhood_id
    page = client.get(f"/neighbourhoods/{hood_id}").get_data(as_text=True)
    assert "Meer fietsenrekken" in page
    assert f"/results/{world.consultation.id}" in page


def test_neighbourhood_name_in_the_arabic_heading_is_isolated_and_escaped(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    tenant.tenancy.dwelling.complex.neighbourhood.name = "<script>x</script> (fase 2)"
    db.session.commit()
    login_tenant(client, tenant)
    page = client.get(f"/neighbourhoods/{tenant.tenancy.dwelling.complex.neighbourhood_id}?lang=ar").get_data(as_text=True)
    assert "<h1>حي <bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi></h1>" in page
    assert "<script>x" not in page


def test_another_corporations_results_and_neighbourhood_are_404(client, published, make_corporation, make_staff,
                                                                 login_staff):
    world, _staff, tenant, _outsider = published
    login_staff(client, make_staff(make_corporation(), "admin"))
    assert client.get(f"/results/{world.consultation.id}").status_code == 404
    assert client.get(f"/neighbourhoods/{tenant.tenancy.dwelling.complex.neighbourhood_id}").status_code == 404


def test_my_results_lists_what_i_was_asked(client, published, login_tenant):
    world, _staff, tenant, outsider = published
    login_tenant(client, tenant)
    page = client.get("/results").get_data(as_text=True)
    assert f"/results/{world.consultation.id}" in page
    assert "/neighbourhoods/" in page
    client.post_form("/sign-out", token_from="/results")
    login_tenant(client, outsider)
    assert f"/results/{world.consultation.id}" not in client.get("/results").get_data(as_text=True)


def test_raw_export_defuses_spreadsheet_formulas(client, app, make_corporation, make_world, make_staff, login_staff):
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer({"text": "=HYPERLINK(\"http://evil\")"})
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    raw = client.get(f"/staff/results/{world.consultation.id}/responses.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in raw


def test_export_lines_are_sent_in_pieces_of_about_the_size_asked():
    from inspraak.results.exports import in_chunks

    lines = [f"{n},x\n" for n in range(10)]
    pieces = list(in_chunks(iter(lines), size=12))
    assert "".join(pieces) == "".join(lines)
    assert all(len(p) >= 12 for p in pieces[:-1]) and len(pieces) == 4


def test_the_neighbourhood_page_reads_versions_and_actions_once_for_all_results(
        app, client, published, make_world, login_tenant):
    """Two more published consultations cost the neighbourhood page no more queries."""
    from tests.consultations.test_query_counts import counting_statements

    world, staff, tenant, _outsider = published
    login_tenant(client, tenant)
    path = f"/neighbourhoods/{tenant.tenancy.dwelling.complex.neighbourhood_id}?lang=nl"

    def selects() -> int:
        client.get(path)  # the same page once before counting: per-process caches are warm
        with counting_statements() as statements:
            page = client.get(path).get_data(as_text=True)
        assert page.count('class="neighbourhood-result"') == len(publications.list_for_staff(world.consultation.corporation_id))
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    one = selects()
    for n in range(2):
        other = make_world(db.session.get(Corporation, world.consultation.corporation_id))
        with app.test_request_context():
            services.publish(other.consultation, summary={"nl": f"Samenvatting {n}"}, correction_note=None, by=staff)
            outcomes.add_outcome(other.consultation, text=f"Actie {n}", due_on=None, by=staff)
        db.session.commit()
    assert selects() == one
    page = client.get(path).get_data(as_text=True)
    assert "Samenvatting 0" in page and "Actie 1" in page and "Meer fietsenrekken" in page


def _with_twelve_answers(world):  # noqa: ANN001, ANN202
    for _ in range(12):
        world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"))
    db.session.commit()
    return world


def test_two_publishers_publishing_at_once_make_one_version(app, make_corporation, make_world, make_staff,
                                                           login_staff):
    """The second waits for the first, then needs a correction note: one version, no server error."""
    corporation = make_corporation()
    world = _with_twelve_answers(make_world(corporation))
    cid = world.consultation.id
    clients = []
    for _ in range(6):
        client = app.test_client()
        login_staff(client, make_staff(corporation, "publisher"))
        clients.append((client, client.csrf_token(f"/staff/results/{cid}")))
    statuses = race_posts(app, [(client, f"/staff/results/{cid}/publish", {"csrf_token": token, "summary_nl": "Samen"})
                                for client, token in clients])
    assert sorted(statuses) == [302] + [409] * (len(clients) - 1)  # the others are told "Say what was corrected."
    assert [p.version for p in publications.list_publications(cid)] == [1]
    db.session.commit()


def test_the_results_page_reads_its_consultation_and_versions_in_one_query(app, client, published, login_tenant):
    """Corrections cost the page no more queries; the newest version is shown and the older ones are listed."""
    from tests.consultations.test_query_counts import counting_statements

    world, staff, tenant, _outsider = published
    login_tenant(client, tenant)
    path = f"/results/{world.consultation.id}?lang=nl"

    def selects() -> tuple[int, str]:
        client.get(path)  # per-process caches are warm
        with counting_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")]), response.get_data(as_text=True)

    one, _page = selects()
    # The session and account, the consultation with its versions and planned actions, being invited.
    assert one == 3
    with app.test_request_context():
        for n in (1, 2):
            services.publish(world.consultation, summary={"nl": f"Versie {n + 1}"},
                             correction_note={"nl": f"Correctie {n}"}, by=staff)
        outcomes.add_outcome(world.consultation, text="Bankjes bij de speeltuin", due_on=None, by=staff)
    db.session.commit()
    three, page = selects()
    assert three == one
    assert "Versie 3" in page and "Versie 2" not in page and "Bijna iedereen fietst." not in page
    # Every action once and in order, however many versions there are.
    assert page.count("Meer fietsenrekken") == 1 and page.count("Bankjes bij de speeltuin") == 1
    assert page.index("Meer fietsenrekken") < page.index("Bankjes bij de speeltuin")
    assert "Correctie 1" in page and "Correctie 2" in page


def test_publish_screen_says_everyone_invited_gets_an_email(client, app, make_corporation, make_world, make_staff,
                                                            login_staff):
    # Publishing mails every invited tenant with an address (services.notify_published), not only participants.
    corporation = make_corporation()
    world = make_world(corporation)
    login_staff(client, make_staff(corporation, "publisher"))
    page = client.get(f"/staff/results/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert "everyone who was invited gets an email, if we know their email address" in page


def test_a_correction_sent_twice_at_once_makes_one_version(app, make_corporation, make_world, make_staff, login_staff):
    """The form says which version it corrects: the second press of the button finds a newer one."""
    corporation = make_corporation()
    world = _with_twelve_answers(make_world(corporation))
    cid = world.consultation.id
    publisher = make_staff(corporation, "publisher")
    first = app.test_client()
    login_staff(first, publisher)
    assert first.post_form(f"/staff/results/{cid}/publish", {"summary_nl": "Samen"},
                           token_from=f"/staff/results/{cid}").status_code == 302
    clients = []
    for _ in range(6):
        client = app.test_client()
        login_staff(client, publisher)
        page = client.get(f"/staff/results/{cid}").get_data(as_text=True)
        assert 'name="based_on" type="hidden" value="1"' in page
        clients.append((client, client.csrf_token(f"/staff/results/{cid}")))
    statuses = race_posts(app, [(client, f"/staff/results/{cid}/publish",
                                 {"csrf_token": token, "summary_nl": "Samen", "note_nl": "Typfout", "based_on": "1"})
                                for client, token in clients])
    assert sorted(statuses) == [302] + [409] * (len(clients) - 1)  # the others hear someone changed it meanwhile
    assert sorted(p.version for p in publications.list_publications(cid)) == [1, 2]
    db.session.commit()


def test_a_correction_of_an_older_version_is_refused_with_a_message(client, published, login_staff):
    world, staff, _tenant, _outsider = published
    login_staff(client, staff)
    cid = world.consultation.id
    before = [p.version for p in publications.list_publications(cid)]
    response = client.post_form(f"/staff/results/{cid}/publish?lang=en",
                                {"summary_nl": "Anders", "note_nl": "Fout", "based_on": "0"},
                                token_from=f"/staff/results/{cid}", follow_redirects=True)
    assert "Someone else changed this at the same moment." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [p.version for p in publications.list_publications(cid)] == before


def test_a_closed_consultation_links_its_published_results(client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    page = client.get(f"/consultations/{world.consultation.id}?lang=en").get_data(as_text=True)
    assert f'<a href="/results/{world.consultation.id}">Read the results</a>' in page



def test_a_page_of_a_closed_consultation_links_its_published_results(client, published, login_tenant):
    """A bookmark or the back button to a page or the review of a closed consultation: the results are one click on."""
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    cid = world.consultation.id
    for path in (f"/consultations/{cid}/page/1?lang=en", f"/consultations/{cid}/review?lang=en"):
        page = client.get(path).get_data(as_text=True)
        assert "closed" in page and f'<a href="/results/{cid}">Read the results</a>' in page, path


@pytest.mark.parametrize("path", ["/staff/results", "/staff/results/{cid}", "/staff/results/{cid}/answers"])
def test_staff_pages_mark_texts_shown_in_their_source_language(client, make_corporation, make_world, make_staff,
                                                               login_staff, path):
    """WCAG 3.1.2: in Polish, which the consultation has no text in, its Dutch title and questions say they are Dutch."""
    corporation = make_corporation()
    world = make_world(corporation)
    world.answer(full_answer(world, "a", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad", "Mooi plein"))
    db.session.commit()
    login_staff(client, make_staff(corporation, "publisher"))
    html = client.get(path.format(cid=world.consultation.id) + "?lang=pl").get_data(as_text=True)
    dutch = "Vraag " if path.endswith("answers") else "Onze buurt"
    assert f'<span lang="nl" dir="ltr">{dutch}' in html
