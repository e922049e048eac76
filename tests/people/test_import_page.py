"""The staff upload page for the tenant import (admins only)."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from inspraak.extensions import db
from inspraak.people.models import Person, Tenancy
from tests.people.conftest import make_record

URL = "/staff/import"


def upload(client, data: bytes, *, dry_run: bool = False, token: bool = True, lang: str = "en",  # noqa: ANN001, ANN201
           confirmed: bool = False):
    """Send a file as the form does; the page is asked in English so that tests can read its words.
    ``confirmed``: the box saying the file is the whole list (for an import that would end many households)."""
    form = {"file": (io.BytesIO(data), "huurders.csv")}
    if dry_run:
        form["dry_run"] = "y"
    if confirmed:
        form["partial_confirmed"] = "y"
    if token:
        form["csrf_token"] = client.csrf_token(URL)
    return client.post(f"{URL}?lang={lang}", data=form, content_type="multipart/form-data")


def count(model, corporation_id: int) -> int:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.corporation_id == corporation_id))


@pytest.fixture
def admin(client, make_corporation, make_staff, login_staff):  # noqa: ANN001, ANN201
    staff = make_staff(make_corporation(), "admin")
    login_staff(client, staff)
    return staff


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["editor", "publisher", "data_entry", "partner"])
def test_only_admins_may_import(client, make_staff, login_staff, role):
    login_staff(client, make_staff(None, role))
    assert client.get(URL).status_code == 403


def test_tenants_may_not_import(client, make_tenant, login_tenant):
    login_tenant(client, make_tenant())
    assert client.get(URL).status_code == 403


def test_the_page_offers_the_form_and_the_admin_menu_links_to_it(client, admin):
    page = client.get(URL).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert 'checked id="dry_run" name="dry_run"' in page  # check only, unless the admin turns it off
    assert f'href="{URL}"' in client.get("/staff/").get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(client, admin, csv_bytes):
    response = upload(client, csv_bytes([make_record(1)]), token=False)
    assert response.status_code == 400
    assert count(Person, admin.corporation_id) == 0


def test_import_shows_the_summary_and_changes_only_our_corporation(client, admin, make_corporation, csv_bytes):
    response = upload(client, csv_bytes([make_record(1), make_record(2)]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The import is done" in page
    assert count(Person, admin.corporation_id) == 2
    again = upload(client, csv_bytes([make_record(2)])).get_data(as_text=True)
    assert count(Tenancy, admin.corporation_id) == 2
    db.session.expire_all()
    ended = db.session.scalar(sa.select(Tenancy).where(Tenancy.contract_number == "T000001"))
    assert ended.end_date is not None and ended.corporation_id == admin.corporation_id
    assert "Households that ended" in again


def test_check_only_changes_nothing(client, admin, csv_bytes):
    response = upload(client, csv_bytes([make_record(1)]), dry_run=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Check done: nothing was changed" in page
    assert "Households that would end" in page and "Households that ended" not in page  # nothing ended
    assert count(Person, admin.corporation_id) == 0


def test_errors_are_listed_with_their_line_numbers_and_nothing_is_imported(client, admin, csv_bytes):
    data = csv_bytes([make_record(1), make_record(2, postcode="12345"), make_record(3, email="geen-adres")])
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td>3</td>" in page and "12345" in page
    assert "<td>4</td>" in page and "geen-adres" in page
    assert count(Person, admin.corporation_id) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        ("unit_number;street\r\n".encode("utf-16"), "UTF-16"),
        (b"unit_number;street;house_number\r\nVHE1;Stra\x81t;1\r\n", "cannot read the letters"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message(client, admin, data, words):
    response = upload(client, data)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_a_nul_byte_deep_in_the_file_is_refused_and_nothing_is_imported(client, admin, csv_bytes):
    data = csv_bytes([make_record(n) for n in range(1, 120)]) + b"VHE999;Stra\x00t;1\r\n"
    response = upload(client, data)
    assert response.status_code == 400
    assert "cannot read the letters" in response.get_data(as_text=True)
    assert count(Person, admin.corporation_id) == 0


def test_no_file_chosen(client, admin):
    response = client.post(URL + "?lang=en", data={"csrf_token": client.csrf_token(URL)}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_a_file_that_is_too_large(client, admin, app, csv_bytes):
    token = client.csrf_token(URL)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    data = csv_bytes([make_record(n) for n in range(1, 40)])
    response = client.post(URL + "?lang=en", data={"csrf_token": token, "file": (io.BytesIO(data), "big.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is too large" in page and 'type="file"' in page
    assert count(Person, admin.corporation_id) == 0


def test_the_page_renders_right_to_left_in_arabic(client, admin, csv_bytes):
    page = client.get(URL + "?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in page
    response = upload(client, csv_bytes([make_record(1, postcode="x")]), lang="ar")
    assert response.status_code == 400
    assert '<html lang="ar" dir="rtl"' in response.get_data(as_text=True)


def test_a_clash_with_a_simultaneous_change_is_a_clean_409(client, admin, csv_bytes, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from inspraak.people import imports

    def clash(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise IntegrityError("INSERT", {}, Exception("unique constraint"))

    monkeypatch.setattr(imports, "import_tenant_file", clash)
    response = upload(client, csv_bytes([make_record(1)]))
    assert response.status_code == 409
    assert "Nothing was imported. Try again." in response.get_data(as_text=True)


def test_a_file_that_ends_most_households_is_flagged_before_importing(client, admin, csv_bytes):
    upload(client, csv_bytes([make_record(n) for n in range(1, 7)]))
    page = upload(client, csv_bytes([make_record(1)]), dry_run=True).get_data(as_text=True)
    assert "Careful: 5 of 6 households are not in this file." in page


def test_an_import_that_would_end_most_households_waits_for_a_confirmation(client, admin, csv_bytes):
    """With 'Check only' turned off at once, a partial file ended most households before its warning was read.
    Such an import is now held back (400, nothing changed) until the box saying the file is the whole list is
    ticked; the box is offered only then."""
    upload(client, csv_bytes([make_record(n) for n in range(1, 7)]))
    assert 'name="partial_confirmed"' not in client.get(URL + "?lang=en").get_data(as_text=True)
    partial = csv_bytes([make_record(1)])
    response = upload(client, partial)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page and "5 of 6 households are not in this file." in page
    assert 'name="partial_confirmed"' in page
    assert count(Tenancy, admin.corporation_id) == 6
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenancy).where(
        Tenancy.corporation_id == admin.corporation_id, Tenancy.end_date.is_(None))) == 6
    response = upload(client, partial, confirmed=True)
    assert response.status_code == 200 and "The import is done" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Tenancy).where(
        Tenancy.corporation_id == admin.corporation_id, Tenancy.end_date.is_(None))) == 1


def test_an_import_that_ends_a_few_households_needs_no_confirmation(client, admin, csv_bytes):
    upload(client, csv_bytes([make_record(n) for n in range(1, 21)]))
    response = upload(client, csv_bytes([make_record(n) for n in range(1, 18)]))
    assert response.status_code == 200 and "The import is done" in response.get_data(as_text=True)


def test_reading_a_file_and_a_check_only_leave_others_free_to_save(client, admin, monkeypatch):
    """SQLite (`make run`): the upload held the write lock from its first query, through reading the file
    (seconds for a large one) and through a check only; every tenant and staff member who saved meanwhile
    waited, and after 10 seconds got an error. Now only the import's own writing holds it."""
    import sqlite3

    from inspraak.people import importer, imports

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer")
    parse = importer.parse_tenant_file
    locked_while: list[str] = []

    def parse_and_look(data: bytes, **kwargs):  # noqa: ANN003, ANN202
        other = sqlite3.connect(db.engine.url.database, isolation_level=None, timeout=0)
        try:  # someone else saving while the file is read
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        except sqlite3.OperationalError:
            locked_while.append("reading")
        finally:
            other.close()
        return parse(data, **kwargs)

    monkeypatch.setattr(imports, "parse_tenant_file", parse_and_look)
    data = importer.to_csv([make_record(1), make_record(2)]).encode()
    assert upload(client, data, dry_run=True).status_code == 200
    assert upload(client, data).status_code == 200
    assert not locked_while
    assert count(Person, admin.corporation_id) == 2


def test_values_from_the_file_are_isolated_from_the_arabic_sentence_and_escaped(client, admin, csv_bytes):
    """A postcode in an Arabic sentence read '5AB 1234' without <bdi>; a column named in a counted message too."""
    data = csv_bytes([make_record(1, postcode="1234 5AB"), make_record(2, email="<b>x</b>"), make_record(3, city="x" * 201)])
    page = upload(client, data, lang="ar").get_data(as_text=True)
    assert "<bdi>1234 5AB</bdi>" in page
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>" in page
    assert "<bdi>city</bdi>" in page
