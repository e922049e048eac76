"""The rendered numbers of a publication are kept per language; a correction shows at once; access is unchanged."""
from __future__ import annotations

import re

from markupsafe import Markup

from inspraak.extensions import db
from inspraak.results import services
from inspraak.core.memo import FragmentCache
from tests.results.conftest import full_answer


def _page(client, consultation_id: int, lang: str) -> str:  # noqa: ANN001
    response = client.get(f"/results/{consultation_id}?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_correction_shows_although_the_first_version_was_cached(app, client, published, login_tenant):
    world, staff, tenant, _outsider = published
    login_tenant(client, tenant)
    assert "Answered by: 12" in _page(client, world.consultation.id, "en")
    assert "Answered by: 12" in _page(client, world.consultation.id, "en")  # served from the cache
    for _ in range(6):
        world.answer(full_answer(world, "b", ["a"], 4, 9, True, "3", ["a", "b", "c"], "good", "bad"))
    with app.test_request_context():
        services.publish(world.consultation, summary={"nl": "Gecorrigeerd"}, correction_note={"nl": "Zes erbij"},
                         by=staff)
    db.session.commit()
    page = _page(client, world.consultation.id, "en")
    assert "Answered by: 18" in page and "Answered by: 12" not in page


def _first_bar(page: str) -> tuple[float, float]:
    """Where the first bar of the page's charts starts and how long it is, in percent of its row."""
    match = re.search(r'class="chart-bar".*?<rect x="([\d.]+)%" width="([\d.]+)%"', page)
    assert match, "no bar on the page"
    return float(match.group(1)), float(match.group(2))


def test_each_language_gets_its_own_rendering(app, client, published, login_tenant):
    world, _staff, tenant, _outsider = published
    login_tenant(client, tenant)
    english = _page(client, world.consultation.id, "en")
    dutch = _page(client, world.consultation.id, "nl")
    arabic = _page(client, world.consultation.id, "ar")
    assert "Question choice" in english and "Vraag choice" not in english
    assert "Vraag choice" in dutch and "Question choice" not in dutch
    assert "سؤال choice" in arabic
    assert _first_bar(english)[0] == 0 and sum(_first_bar(arabic)) == 100  # Arabic bars grow from the right
    assert len(app.extensions["results_fragments"]) == 3
    assert "Question choice" in _page(client, world.consultation.id, "en")  # the cached English again


def test_cached_results_still_refuse_other_readers(client, published, make_corporation, make_staff, login_staff,
                                                   login_tenant):
    world, staff, tenant, outsider = published
    login_staff(client, staff)
    _page(client, world.consultation.id, "nl")  # now cached
    client.post_form("/sign-out", {})
    stranger = make_staff(make_corporation(), "partner")
    login_staff(client, stranger)
    assert client.get(f"/results/{world.consultation.id}?lang=nl").status_code == 404
    client.post_form("/sign-out", {})
    login_tenant(client, outsider)
    assert client.get(f"/results/{world.consultation.id}?lang=nl").status_code == 404


def test_the_cache_keeps_the_most_recently_used():
    cache = FragmentCache(size=2)
    renders = []

    def render(text: str):  # noqa: ANN202
        def make() -> Markup:
            renders.append(text)
            return Markup(text)
        return make

    cache.get_or_render("a", render("A"))
    cache.get_or_render("b", render("B"))
    assert cache.get_or_render("a", render("A again")) == "A"  # a hit, and now the most recent
    cache.get_or_render("c", render("C"))  # pushes out b
    assert cache.get_or_render("b", render("B again")) == "B again"
    assert renders == ["A", "B", "C", "B again"]
    assert len(cache) == 2
