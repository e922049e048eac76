"""The cached site header: the same HTML per language, address and kind of reader; the token stays personal."""
from __future__ import annotations

import re

from inspraak.core.layout import CSRF_PLACEHOLDER

SIGN_OUT_TOKEN = re.compile(r'action="/sign-out"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def _header(page: str) -> str:
    return page[page.index('<header class="site-header">'):page.index("</header>")]


def test_each_reader_signs_out_with_a_token_of_their_own(app, make_tenant, login_tenant):
    first, second = app.test_client(), app.test_client()
    login_tenant(first, make_tenant())
    login_tenant(second, make_tenant())
    tokens = []
    for client in (first, second):
        page = client.get("/consultations?lang=en").get_data(as_text=True)
        tokens.append(SIGN_OUT_TOKEN.search(page).group(1))
        assert CSRF_PLACEHOLDER not in page
    assert tokens[0] != tokens[1]
    response = second.post("/sign-out", data={"csrf_token": tokens[1]})
    assert response.status_code == 302
    assert "Sign in" in _header(second.get("/?lang=en").get_data(as_text=True))


def test_the_menu_follows_the_roles_on_the_same_address(app, make_corporation, make_staff, login_staff):
    corporation = make_corporation()
    admin, partner = app.test_client(), app.test_client()
    login_staff(admin, make_staff(corporation, "admin"))
    login_staff(partner, make_staff(corporation, "partner"))
    admin_header = _header(admin.get("/staff/?lang=en").get_data(as_text=True))
    partner_header = _header(partner.get("/staff/?lang=en").get_data(as_text=True))
    assert "Audit log" in admin_header and "Import tenants" in admin_header
    assert "Audit log" not in partner_header and "Tenant councils" not in partner_header  # partners read published pages only
    anonymous = _header(app.test_client().get("/?lang=en").get_data(as_text=True))
    assert "Sign in" in anonymous and "Sign out" not in anonymous


def test_the_header_is_in_the_language_and_for_the_address_of_the_page(client):
    dutch = _header(client.get("/?lang=nl").get_data(as_text=True))
    arabic = _header(client.get("/?lang=ar").get_data(as_text=True))
    assert dutch != arabic
    assert 'href="/?lang=ar" lang="ar" dir="rtl" hreflang="ar" aria-current="true"' in arabic
    other = _header(client.get("/sign-in?lang=ar").get_data(as_text=True))
    assert 'href="/sign-in?lang=nl"' in other and 'href="/?lang=nl"' not in other


def test_an_address_holding_the_placeholder_gets_no_token(app, make_tenant, login_tenant):
    client = app.test_client()
    login_tenant(client, make_tenant())
    page = client.get("/consultations?lang=en&x=%00csrf%00").get_data(as_text=True)
    header = _header(page)
    assert "x=csrf" in header and "\x00" not in page  # NUL never gets past the request (security.CleanRequest)
    token = SIGN_OUT_TOKEN.search(page).group(1)
    assert header.count(token) == 1
    missing = client.get("/x%00csrf%00?lang=en")  # in the path it stays, escaped in every link: never the placeholder
    assert missing.status_code == 404 and "\x00" not in missing.get_data(as_text=True)


def test_every_scrolling_table_can_be_reached_by_keyboard_and_is_named():
    """A table wider than a phone scrolls in its box: the box must take focus (arrow keys scroll it)
    and say what it holds (WCAG 2.1.1 and 4.1.2)."""
    from pathlib import Path

    import inspraak

    boxes = []
    for template in Path(inspraak.__file__).parent.rglob("*.html"):
        for line in template.read_text(encoding="utf-8").splitlines():
            if 'class="table-scroll"' in line:
                boxes.append((template.name, line))
    assert boxes
    for name, line in boxes:
        assert 'tabindex="0"' in line and 'role="region"' in line and "aria-label" in line, (name, line)
