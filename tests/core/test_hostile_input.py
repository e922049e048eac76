"""Hostile input on every form and page a signed-in user can reach in the demo: never a server error.

The test loads the demo, signs in as staff (every role), as a tenant with open surveys and as
a council secretary, follows the links of the site from their start pages, and collects every
POST form it finds. Each form is then sent with its own fields filled with hostile values:
very long text, NUL bytes and control characters, markup, SQL, numbers out of every range,
invalid choices and dates; forms with uploads get hostile files, every form a file in place of
each text and text in place of each file, and every page hostile query strings. Exceptions propagate in tests, so any unhandled error fails here;
every answer must be below 500.
"""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from inspraak.extensions import db

HOSTILE = [
    "x" * 20_000,
    "   ",  # only spaces: a select's Optional() passes it unchecked
    "\x00\x01\x1b[31m\u202e\ufeff",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "' OR 1=1; DROP TABLE person; --",
    "-99999999999999999999999999999",
    "99999999999999999999999999999",  # beyond any database integer (SQLite cannot even bind it)
    "1e309",
    "NaN",
    "0",
    "",
    "2027-02-30",
    "9999-12-31",  # a date at the end of the calendar: adding a deadline to it would overflow
    "0001-01-01T00:00",
    "ℌ𝔢𝔩𝔩𝔬 مرحبا 👩‍👩‍👧",
]
# Uploads: (file name, content). Path tricks, a name too long, a type that lies, empty, not text at all.
HOSTILE_FILES = [
    ("../../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("x" * 400 + ".pdf", b"%PDF-1.4\n%%EOF\n"),
    ("plan.pdf", b"<html><script>alert(1)</script></html>"),
    ("leeg.csv", b""),
    ("huurders.csv", b"\xff\xfe\x00\x00" + bytes(range(256)) * 40),
    ("huurders.csv", "Nummer;Naam\n1;\u202eA\n".encode() + b"\x00" * 10),
    ("\u202egpj.exe", b"MZ\x90\x00"),
]
# Forms that end the session or only lead elsewhere: sending them would stop the sweep, not test it.
SKIP_ACTIONS = re.compile(r"/sign-out|/sign-in")
MAX_PAGES = 150
PER_SHAPE = 4


class _Page(HTMLParser):
    """The links and the POST forms (action, field names, select options) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "files": [],
                          "multipart": "multipart" in (a.get("enctype") or "")}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            if a.get("type") == "file":
                self._form["files"].append(a["name"])
            else:
                self._form["fields"].setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


HOSTILE_QUERIES = [
    "page=-99999999999999999999&open=1&lang=..%2F..%2Fx&as=%3Cscript%3E&q=%27%22%3B--&next=%2F%2Fevil.example",
    "page=1e309&lang=ar&as=xx&open=%00&q=" + "x" * 5000,
    "page=NaN&lang=&as=&open=&sort=%E2%80%AE",
    "page=99999999999999999999999&lang=nl",
    "page=9223372036854775807",
]


def _crawl(client, starts: list[str], visited: list[str] | None = None,  # noqa: ANN001
           skip: re.Pattern = SKIP_ACTIONS) -> dict[str, dict]:
    """Every POST form reachable by links from ``starts`` (same site), by action address; pages into ``visited``."""
    seen, shapes, queue, forms = set(), {}, list(starts), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(path).path)  # a few pages per shape of address (a draft, an open …)
        if path in seen or shapes.get(shape, 0) >= PER_SHAPE:
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        if visited is not None:
            visited.append(path)
        parser = _Page()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = urljoin(path, form["action"] or path)
            if not skip.search(action):
                forms.setdefault(urlsplit(action).path, {**form, "action": action, "page": path})
        for href in parser.links:
            target = urljoin(path, href)
            split = urlsplit(target)
            if split.netloc in ("", "localhost") and not split.path.startswith(("/static", "/sign-out")) \
                    and not split.path.endswith((".csv", ".xlsx", ".json", ".pdf", ".svg")):
                queue.append(split.path + (f"?{split.query}" if split.query else ""))
    return forms


def _token(client, page: str) -> str:  # noqa: ANN001
    """A fresh token from the page the form was on (a previous request may have changed the session)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page).get_data(as_text=True))
    return match.group(1) if match else ""


def _send_hostile(client, forms: dict[str, dict]) -> int:  # noqa: ANN001
    """Each form with every field set to each hostile value; a form with uploads also with each hostile file."""
    sent = 0
    for form in forms.values():
        payloads = [({name: value for name in form["fields"] if name != "csrf_token"}, value) for value in HOSTILE]
        for filename, content in HOSTILE_FILES if form["files"] else []:
            payloads.append(({**{name: "1" for name in form["fields"] if name != "csrf_token"},
                              **{name: (io.BytesIO(content), filename) for name in form["files"]}}, filename))
        # Swapped: a file under the name of every text field, text under the name of every file field.
        payloads.append(({**{name: (io.BytesIO(b"1"), "1.pdf") for name in form["fields"] if name != "csrf_token"},
                          **{name: "plan.pdf" for name in form["files"]}}, "swapped"))
        for data, shown in payloads:
            data["csrf_token"] = _token(client, form["page"])
            multipart = form["multipart"] or shown == "swapped"
            response = client.post(form["action"], data=data, content_type="multipart/form-data" if multipart else None)
            assert response.status_code < 500, (form["action"], shown[:40], response.status_code)
            db.session.rollback()
            sent += 1
    return sent


def _get_hostile(client, pages: list[str]) -> int:  # noqa: ANN001
    """Every page again with hostile query strings: a page number out of range, unknown languages, markup."""
    for path in pages:
        for query in HOSTILE_QUERIES:
            response = client.get(f"{urlsplit(path).path}?{query}")
            assert response.status_code < 500, (path, query[:40], response.status_code)
            db.session.rollback()
    return len(pages) * len(HOSTILE_QUERIES)


@pytest.fixture
def demo(app):  # noqa: ANN201
    from inspraak.demo import load_demo

    with app.test_request_context():
        load_demo()
        every_type = _every_question_type()
    db.session.commit()
    app.config["RATELIMIT_ENABLED"] = False
    return every_type


def _every_question_type() -> int:
    """An open consultation for the whole corporation with one question of every type and no limits
    of their own (the demo has no number, ranking, matrix or short text): the tenant's page and the
    paper and assisted forms get every hostile value too."""
    from inspraak.consultations import authoring, invitations, queries, questions
    from inspraak.consultations.models import QuestionType
    from inspraak.people.models import Corporation, StaffUser

    corporation = db.session.scalar(sa.select(Corporation).where(Corporation.slug == "de-linde"))
    editor = db.session.scalar(sa.select(StaffUser).where(StaffUser.corporation_id == corporation.id))
    c = authoring.create_consultation(corporation.id, title={"nl": "Alle soorten vragen"}, source_language="nl",
                                      by=editor)
    for kind in QuestionType:
        if kind is QuestionType.AGREEMENT:  # only in a support measurement, which the demo has
            continue
        settings = {"min": 1, "max": 5} if kind is QuestionType.SCALE else {}
        q = questions.add_question(c, c.sections[0], type=kind, text={"nl": f"Vraag {kind.value}"}, required=False,
                                   settings=settings, by=editor)
        if kind in queries.CHOICE_TYPES:
            for label in ("Een", "Twee", "Drie"):
                questions.add_option(q, label={"nl": label}, is_other=label == "Drie"
                                     and kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE))
        if kind is QuestionType.MATRIX:
            questions.add_row(q, label={"nl": "Rij"})
    invitations.open_consultation(c, by=editor)
    return c.id


def test_staff_forms_survive_hostile_input(app, client, demo, make_staff, login_staff):
    from inspraak.people.models import Corporation

    corporation = db.session.scalar(sa.select(Corporation).where(Corporation.slug == "de-linde"))
    login_staff(client, make_staff(corporation, "admin", "editor", "publisher", "data_entry"))
    pages: list[str] = []
    forms = _crawl(client, ["/staff/", "/staff/consultations", "/staff/results", "/staff/councils/",
                            "/staff/tenants", "/staff/accounts", "/staff/outbox"], pages)
    assert _get_hostile(client, pages) >= 50 * len(HOSTILE_QUERIES)
    assert len(forms) >= 60, sorted(forms)  # 94 today: consultations in each state, councils, results, accounts
    assert any(f"/consultations/{demo}/" in action for action in forms), sorted(forms)  # every question type
    assert sum(bool(form["files"]) for form in forms.values()) >= 2  # the tenant import and proposal documents
    uploads = sum(bool(form["files"]) for form in forms.values())
    assert _send_hostile(client, forms) == len(forms) * (len(HOSTILE) + 1) + uploads * len(HOSTILE_FILES)


def test_tenant_and_council_forms_survive_hostile_input(app, client, demo, login_tenant):
    from inspraak.council.models import Member, Position
    from inspraak.people.models import Person

    secretary = db.session.scalar(sa.select(Person).join(Member, Member.person_id == Person.id)
                                  .where(Member.position == Position.SECRETARY).order_by(Person.id))
    login_tenant(client, secretary)
    pages: list[str] = []
    forms = _crawl(client, ["/", "/consultations", "/council", "/results", "/account"], pages)
    assert _get_hostile(client, pages) >= 10 * len(HOSTILE_QUERIES)
    assert len(forms) >= 15, sorted(forms)  # 26 today: answering, account, meetings, motions, proxies, votes
    assert f"/consultations/{demo}/page/1" in forms  # every question type
    assert any(form["files"] for form in forms.values())  # attachments to agenda items
    uploads = sum(bool(form["files"]) for form in forms.values())
    assert _send_hostile(client, forms) == len(forms) * (len(HOSTILE) + 1) + uploads * len(HOSTILE_FILES)


def test_public_forms_survive_hostile_input(app, client, demo):
    """Signed out: the sign-in forms (code, email link, staff password, forgotten password) and every public page."""
    pages: list[str] = []
    forms = _crawl(client, ["/", "/sign-in", "/staff/sign-in", "/staff/password/forgot"], pages,
                   skip=re.compile(r"/sign-out"))
    assert {"/sign-in/code", "/sign-in/email", "/staff/sign-in", "/staff/password/forgot"} <= set(forms), sorted(forms)
    assert _get_hostile(client, pages) >= 4 * len(HOSTILE_QUERIES)
    assert _send_hostile(client, forms) == len(forms) * (len(HOSTILE) + 1)


def test_a_form_too_large_to_send_is_refused_in_words_that_fit_any_form(app, client):
    """A very long text answer, not only a file, can pass the size limit: the page must not speak of a file only."""
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = client.post("/sign-in/code?lang=en", data={"code": "x" * 5000})
    assert response.status_code == 413
    assert "What you sent is too large. Choose a smaller file, or write a shorter text." in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [{"code": 123}, [1, 2], 5, "x", {"code": {"a": 1}}, {"email": 7, "password": None}])
@pytest.mark.parametrize("path", ["/sign-in/code", "/staff/sign-in", "/staff/password/forgot"])
def test_a_json_body_is_an_empty_form(app, client, path, body):
    """No page sends JSON; Flask-WTF read any JSON into the form's fields (a list or a number: a 500)."""
    response = client.post(path, json=body, headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 400
