"""Journey (c): a council secretary plans a meeting and publishes its agenda, registers attendance and a proxy,
and opens an online vote; members vote on their phones (one also by proxy); the secretary closes the vote and
the outcome shows in the decision list once the minutes are approved and published; staff send the council a request for advice and see its deadline."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from inspraak.core.timeutil import local_today
from tests.e2e.conftest import DESKTOP, PHONE

JOURNEY = ("en", "nl")  # the languages this journey is checked in

MOTION = "De huurdersraad vraagt de corporatie om zonnepanelen op alle daken."


def _member_votes(site, page: Page, meeting_path: str, who: str) -> None:
    """On a phone, open the meeting and send "for" in every vote form this member has (their own, proxies)."""
    site.open(page, meeting_path, "nl")
    motion = page.locator("section.motion", has_text=MOTION)
    forms = motion.locator("form.vote-form")
    expect(forms.first).to_be_visible()
    site.check(page, f"meeting with an open vote ({who})", "nl")
    while forms.count():
        forms.first.locator("input[value=for]").check()
        forms.first.locator("button[type=submit]").click()
        expect(page.locator(".flash-success")).to_be_visible()
    site.check(page, f"meeting after voting ({who})", "nl")


def test_council_meeting_with_an_online_vote_and_a_proxy(site, new_page):
    council = site.demo.council
    secretary = new_page(DESKTOP)
    site.sign_in_tenant(secretary, council["secretary"])
    site.check_in_languages(secretary, "/council/", "my councils", languages=JOURNEY)
    secretary.locator("main a", has_text=site.demo.council_name).first.click()
    council_path = site.path_of(secretary)
    site.check_in_languages(secretary, council_path, "council", languages=JOURNEY)

    # Plan a meeting in two weeks.
    secretary.locator("main a[href$='/meetings/new']").click()
    site.check_in_languages(secretary, site.path_of(secretary), "plan a meeting", languages=JOURNEY)
    manage_path = site.plan_meeting(secretary, "Extra ledenvergadering zonnepanelen", days_ahead=14)
    site.check_in_languages(secretary, manage_path, "manage a planned meeting", languages=JOURNEY)

    # The agenda: one decision item with an online motion.
    agenda = secretary.locator(f"form[action$='{manage_path.removesuffix('/manage')}/items']")
    agenda.locator("select[name=kind]").select_option("decision")
    agenda.locator("input[name=title]").fill("Zonnepanelen")
    agenda.locator("textarea[name=description]").fill("Wat vinden wij van zonnepanelen op de daken?")
    agenda.locator("select[name=language]").select_option("nl")
    agenda.locator("button[type=submit]").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    site.check(secretary, "agenda item added", "nl")
    item = secretary.locator("li.agenda-item", has_text="Zonnepanelen")
    item.locator("details.add-motion summary").click()
    item.locator("textarea[name=text]").fill(MOTION)
    item.locator("details.add-motion button[type=submit]").click()
    expect(secretary.locator("section.motion", has_text=MOTION)).to_be_visible()
    site.check(secretary, "motion added", "nl")

    secretary.locator("form[action$='/publish'] button").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    site.check_in_languages(secretary, manage_path, "manage a published meeting", languages=JOURNEY)

    # Attendance: everyone present except the member who gives a proxy (excused).
    attendance = secretary.locator("#attendance form")
    rows = attendance.locator("fieldset.attendance-row")
    for index in range(rows.count()):
        row = rows.nth(index)
        status = "excused" if row.locator("legend").inner_text() == council["proxy holder"].proxy_for else "present"
        row.locator(f"input[value={status}]").check()
    attendance.locator("button[type=submit]").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    site.check(secretary, "attendance saved", "nl")

    proxies = secretary.locator("#proxies form").last
    proxies.locator("select[name=giver]").select_option(label=council["proxy holder"].proxy_for)
    proxies.locator("select[name=holder]").select_option(label=council["proxy holder"].name)
    proxies.locator("input[name=signed_on]").fill(local_today().isoformat())
    proxies.locator("button[type=submit]").click()
    expect(secretary.locator("#proxies li", has_text=council["proxy holder"].name)).to_be_visible()
    site.check(secretary, "proxy recorded", "nl")

    motion = secretary.locator("section.motion", has_text=MOTION)
    motion.locator("form[action$='/open'] button[type=submit]").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    site.check(secretary, "vote opened", "nl")
    meeting_path = manage_path.removesuffix("/manage")

    # Members vote on their phones; the proxy holder votes twice, once for the member who is away.
    member = new_page(PHONE)
    site.sign_in_tenant(member, council["member"])
    _member_votes(site, member, meeting_path, "member")
    site.check_in_languages(member, meeting_path, "meeting after voting", languages=JOURNEY)

    holder = new_page(PHONE)
    site.sign_in_tenant(holder, council["proxy holder"])
    site.open(holder, meeting_path, "nl")
    expect(holder.locator("section.motion", has_text=MOTION).locator("form.vote-form")).to_have_count(2)
    expect(holder.locator("legend", has_text=council["proxy holder"].proxy_for)).to_be_visible()
    _member_votes(site, holder, meeting_path, "proxy holder")
    # The member, the proxy holder and the member they vote for: three votes so far (an open ballot shows the count).
    expect(holder.locator("section.motion", has_text=MOTION).locator(".notice")).to_be_visible()
    expect(holder.locator("section.motion", has_text=MOTION)).to_contain_text(re.compile(r"\b3\b"))

    _member_votes(site, secretary, meeting_path, "secretary")

    # The secretary closes the vote: the result shows, and the decision is listed for tenants.
    site.open(secretary, manage_path, "nl")
    motion = secretary.locator("section.motion", has_text=MOTION)
    motion.locator("form[action$='/close'] button[type=submit]").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    expect(secretary.locator("section.motion", has_text=MOTION).locator("form")).to_have_count(0)
    site.check_in_languages(secretary, manage_path, "manage a meeting with a closed vote", languages=JOURNEY)

    # Tenants read the decision once the minutes are approved and published, not before.
    site.open(member, council_path + "/published", "nl")
    expect(member.locator("article.decision", has_text=MOTION)).to_have_count(0)
    site.open(secretary, manage_path, "nl")
    start = secretary.locator(f"form[action='{meeting_path}/open'] button[type=submit]")
    if start.count():
        start.click()
        expect(secretary.locator(".flash-success")).to_be_visible()
    secretary.locator("textarea[name='minutes-text']").fill("Notulen: de motie is in stemming gebracht.")
    secretary.locator(f"form[action='{meeting_path}/minutes'] button[type=submit]").click()
    expect(secretary.locator(".flash-success")).to_be_visible()
    for step in ("close", "minutes/approve", "minutes/publish"):
        secretary.locator(f"form[action='{meeting_path}/{step}'] button[type=submit]").click()
        expect(secretary.locator(".flash-success")).to_be_visible()
    site.open(member, council_path + "/published", "nl")
    decision = member.locator("article.decision", has_text=MOTION)
    expect(decision).to_be_visible()
    site.check_in_languages(member, council_path + "/published", "decision list", languages=JOURNEY)

    # Staff send the council a request for advice and see its deadline.
    staff = new_page(DESKTOP)
    site.sign_in_staff(staff, "editor")
    site.check_in_languages(staff, "/staff/councils", "staff councils", languages=JOURNEY)
    staff.locator("main a", has_text=site.demo.council_name).first.click()
    site.check_in_languages(staff, site.path_of(staff), "staff council", languages=JOURNEY)
    staff.locator("main a[href$='/advice/new']").click()
    site.check_in_languages(staff, site.path_of(staff), "new advice request", languages=JOURNEY)
    received = local_today()
    staff.locator("select[name=subject]").select_option(index=1)
    staff.locator("input[name=title]").fill("Zonnepanelen op de daken")
    staff.locator("textarea[name=body]").fill("Wij willen zonnepanelen plaatsen. Wat is uw advies?")
    staff.locator("select[name=language]").select_option("nl")
    staff.locator("input[name=received_on]").fill(received.isoformat())
    staff.locator("input[name=period_days]").fill("42")
    staff.locator("main form button[type=submit]").last.click()
    expect(staff.locator(".flash-success")).to_be_visible()
    expect(staff.locator("h1")).to_contain_text("Zonnepanelen op de daken")
    request_path = site.path_of(staff)
    site.check_in_languages(staff, request_path, "advice request", languages=JOURNEY)
    site.check_in_languages(staff, "/staff/councils/advice", "advice register", languages=JOURNEY)
    expect(staff.locator("main")).to_contain_text("Zonnepanelen op de daken")

    # The council sees the request, with its deadline, on their own page.
    site.open(member, council_path, "nl")
    expect(member.locator("main")).to_contain_text("Zonnepanelen op de daken")
    site.check(member, "council with the new request", "nl")
    site.checks.assert_clean()
