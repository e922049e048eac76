"""Demo data for trying inspraak locally: one corporation with places, households and staff."""
from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from inspraak.auth import services as auth_services
from inspraak.core.security import format_code
from inspraak.core.timeutil import local_today
from inspraak.extensions import db
from inspraak.people import services as people_services
from inspraak.people.importer import to_csv
from inspraak.people.imports import import_tenant_file
from inspraak.people.models import Complex, Corporation, Dwelling, Neighbourhood, Person, Role, StaffUser, Tenancy

DEMO_PASSWORD = "inspraak-demo-2026"
DEMO_SLUG = "de-linde"

NAMES = {
    "nl": (["Jan", "Ans", "Kees", "Fatma", "Wim", "Ria", "Henk", "Joke", "Sanne", "Dirk"],
           ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]),
    "en": (["John", "Mary", "Grace", "Peter"], ["Smith", "Brown", "Taylor", "Wilson"]),
    "tr": (["Ayşe", "Mehmet", "Emine", "Mustafa", "Zeynep"], ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik"]),
    "ar": (["Fatima", "Mohammed", "Amina", "Youssef", "Khadija"], ["El Amrani", "Haddad", "Mansour", "Bakr"]),
    "pl": (["Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena"], ["Nowak", "Wójcik", "Kowalczyk", "Mazur"]),
}
LANGUAGE_WEIGHTS = {"nl": 60, "en": 8, "tr": 12, "ar": 12, "pl": 8}
PLACES = [
    ("Kanaleneiland", "WK034405", [("1001", "Marshalllaan flats", "Marshalllaan", 70), ("1002", "Columbuslaan", "Columbuslaan", 40)]),
    ("Overvecht", "WK034411", [("2001", "Zamenhofdreef", "Zamenhofdreef", 60), ("2002", "Neckardreef", "Neckardreef", 30)]),
    ("Lunetten", "WK034408", [("3001", "Hondsrug", "Hondsrug", 50), ("3002", "Drentse Aa", "Drentse Aa", 50)]),
]
STAFF = [
    ("beheer@delinde.example", "Anouk Admin", {Role.ADMIN}, ""),
    ("redactie@delinde.example", "Erik Editor", {Role.EDITOR}, ""),
    ("publicatie@delinde.example", "Priya Publisher", {Role.PUBLISHER}, ""),
    ("invoer@delinde.example", "Daan Datainvoer", {Role.DATA_ENTRY}, ""),
    ("gemeente@delinde.example", "Gert Gemeente", {Role.PARTNER}, "Gemeente Utrecht"),
]


DEMO_COUNCIL = "Huurdersraad De Linde"
SERVICE_COSTS = {"nl": "Servicekosten 2027", "en": "Service costs 2027", "tr": "2027 hizmet giderleri",
                 "ar": "تكاليف الخدمات لعام 2027", "pl": "Koszty usług na 2027 rok"}
CLOSED_SURVEY = "Schone en veilige portieken"


def demo_exists() -> bool:
    return db.session.scalar(sa.select(Corporation.id).where(Corporation.slug == DEMO_SLUG)) is not None


def load_demo(seed: int = 2026) -> list[str]:
    """Create the demo corporation and return the lines that tell how to sign in."""
    rng = random.Random(seed)
    corporation = Corporation(
        name="Woonstichting De Linde",
        slug=DEMO_SLUG,
        contact_email="info@delinde.example",
        contact_phone="030 123 45 67",
        postal_address="Postbus 100, 3500 AA Utrecht",
    )
    db.session.add(corporation)
    db.session.flush()

    _import(corporation, _demo_records(rng))

    for email, name, roles, organisation in STAFF:
        staff = people_services.create_staff(
            corporation, email=email, name=name, roles=roles, organisation=organisation, created_by=None
        )
        staff.password_hash = auth_services.hash_password(DEMO_PASSWORD)
    _second_corporation()
    db.session.flush()
    demo_consultations(corporation)
    demo_closed_consultation(corporation, rng)
    db.session.flush()
    load_council_demo(corporation)
    return sign_in_lines()


def sign_in_lines() -> list[str]:
    """How to sign in to the demo, and what each account finds there; gives the tenants listed a fresh letter code."""
    from flask import current_app, url_for

    from inspraak.council.models import Member

    corporation = db.session.scalar(sa.select(Corporation).where(Corporation.slug == DEMO_SLUG))
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context("/"):
        staff_url, tenant_url = base + url_for("auth.staff_sign_in"), base + url_for("auth.sign_in")
        qr_url = base + url_for("auth.sign_in_qr", code="CODE")[: -len("CODE")]
    lines = [f"Staff of {corporation.name} (password for all: {DEMO_PASSWORD}), at {staff_url}:"]
    for email, _name, roles, _organisation in STAFF:
        lines.append(f"  {', '.join(sorted(r.value for r in roles)):<11} {email}")
    lines.append(_closed_survey_line(corporation))
    lines.append("  Another corporation shares the installation, and neither sees the other's data:")
    lines.append("  its admin is beheer@woonpartners.example (Woonpartners Oost), with the same password.")
    lines.append(f"Tenants of Kanaleneiland (the open survey 'Groen en spelen'), at {tenant_url} with a letter code")
    lines.append("(or ask for an email link there: the mail is printed in this terminal):")
    codes = []
    for language in LANGUAGE_WEIGHTS:
        person = db.session.scalar(
            sa.select(Person)
            .where(Person.corporation_id == corporation.id, Person.preferred_language == language, Person.email.is_not(None))
            .order_by(Person.id)
            .limit(1)
        )
        if person is None:
            continue
        code = auth_services.issue_letter_code(person, None)
        codes.append(code)
        lines.append(f"  {language}  code {format_code(code)}  {person.name} <{person.email}>")
    if codes:
        lines.append(f"  The QR code on a letter opens the code's own address, such as {qr_url}{codes[0]}")
    # A home of the renovation complex, not on the council (whose members get new codes below).
    home = db.session.scalar(
        sa.select(Person).join(Person.tenancy).join(Tenancy.dwelling).join(Dwelling.complex)
        .where(Complex.corporation_id == corporation.id, Complex.number == "2002",
               Person.id.not_in(sa.select(Member.person_id)))
        .order_by(Person.id).limit(1)
    )
    if home is not None:
        code = auth_services.issue_letter_code(home, None)
        lines.append("Neckardreef renovation, the support measurement (one answer per home):")
        dwelling = home.tenancy.dwelling
        lines.append(f"  a home of the complex   code {format_code(code)}  "
                     f"{home.name}, {dwelling.street} {dwelling.house_number}")
    return lines + _council_sign_in_lines(corporation)


def _closed_survey_line(corporation: Corporation) -> str:
    """Where the demo's closed survey stands: waiting for the publisher, or published for its tenants."""
    from inspraak.consultations.models import Consultation, ConsultationStatus

    surveys = db.session.scalars(sa.select(Consultation).where(Consultation.corporation_id == corporation.id))
    survey = next((c for c in surveys if c.title.get("nl") == CLOSED_SURVEY), None)
    if survey is not None and survey.status is ConsultationStatus.CLOSED:
        return (f"  The survey '{CLOSED_SURVEY}' has closed: the publisher can publish its results "
                "for Kanaleneiland and Lunetten.")
    return f"  The results of '{CLOSED_SURVEY}' are published: tenants of Kanaleneiland and Lunetten read them."


def _council_sign_in_lines(corporation: Corporation) -> list[str]:
    """How to sign in to the demo council; gives its secretary, a member and a proxy holder a fresh letter code."""
    from flask import current_app

    from inspraak.council.models import Council, Member

    base = current_app.config["BASE_URL"].rstrip("/")
    council = db.session.scalar(sa.select(Council).where(Council.corporation_id == corporation.id,
                                                         Council.name == DEMO_COUNCIL))
    # In the order load_council_demo added them: chair, secretary, treasurer (holds a proxy), members.
    members = list(db.session.scalars(sa.select(Member).where(Member.council_id == council.id).order_by(Member.id)))
    secretary, holder, member, giver = members[1], members[2], members[3], members[6]
    secretary_code, member_code, holder_code = (auth_services.issue_letter_code(m.person, None)
                                                for m in (secretary, member, holder))
    return [
        f"Tenant councils, at {base}/sign-in with a letter code, then 'Tenant councils':",
        f"  secretary      code {format_code(secretary_code)}  {secretary.person.name} ({DEMO_COUNCIL})",
        f"  member         code {format_code(member_code)}  {member.person.name}",
        f"  proxy holder   code {format_code(holder_code)}  {holder.person.name} (votes for {giver.person.name})",
        f"  Staff see the advice register at {base}/staff/councils/advice.",
    ]


def _demo_records(rng: random.Random) -> list[dict]:
    """One line per person, in the shape of the tenant CSV file."""
    records = []
    unit = 0
    for hood_name, cbs, complexes in PLACES:
        for number, name, street, size in complexes:
            for house in range(1, size + 1):
                unit += 1
                start = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
                language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
                first_names, last_names = NAMES[language]
                for member in range(rng.choice([1, 1, 2, 2, 3])):
                    records.append({
                        "unit_number": f"VHE{unit:05d}",
                        "street": street,
                        "house_number": house,
                        "house_number_addition": "" if house % 7 else "A",
                        "postcode": f"35{20 + int(number) % 80:02d} {chr(65 + house % 20)}{chr(66 + house % 19)}",
                        "city": "Utrecht",
                        "complex_number": number,
                        "complex_name": name,
                        "neighbourhood": hood_name,
                        "neighbourhood_cbs_code": cbs,
                        "tenancy_number": f"HC{unit:06d}",
                        "tenancy_start": start.isoformat(),
                        "person_number": f"P{unit:05d}{member}",
                        "name": f"{rng.choice(first_names)} {rng.choice(last_names)}",
                        "email": f"huurder{unit}.{member}@example.org" if rng.random() < 0.6 else None,
                        "phone": f"06 {rng.randrange(10000000, 99999999)}" if rng.random() < 0.8 else None,
                        "language": language,
                    })
    return records


def _import(corporation: Corporation, records: list[dict]) -> None:
    """Build households through the tenant import, the path real data takes."""
    result = import_tenant_file(corporation, to_csv(records).encode(), dry_run=False, actor=None)
    if not result.ok:
        raise RuntimeError("demo data does not import: " + "; ".join(f"line {e.line}: {e.message}" for e in result.errors))


def _second_corporation() -> None:
    """A small second corporation, to show that nothing crosses between them."""
    other = Corporation(name="Woonpartners Oost", slug="woonpartners-oost", contact_phone="053 765 43 21")
    db.session.add(other)
    db.session.flush()
    _import(other, [
        {
            "unit_number": f"WO{house:04d}", "street": "Stationsplein", "house_number": house, "postcode": "7511 AB",
            "city": "Enschede", "complex_number": "9001", "complex_name": "Stationsplein", "neighbourhood": "Centrum",
            "tenancy_number": f"WO-{house}", "tenancy_start": "2015-03-01", "person_number": f"WOP{house}",
            "name": f"Bewoner {house}",
        }
        for house in range(1, 13)
    ])
    staff = people_services.create_staff(
        other, email="beheer@woonpartners.example", name="Olga Oost", roles={Role.ADMIN}, created_by=None
    )
    staff.password_hash = auth_services.hash_password(DEMO_PASSWORD)


def load_council_demo(corporation: Corporation) -> None:
    """Councils for the demo: a tenant organisation with an open online vote and a published meeting,
    a residents' committee for one complex, and an advice request (sign_in_lines says how to sign in)."""
    from flask import current_app

    from inspraak.core.db import utcnow
    from inspraak.council import advice, agendas, membership, presence, records, voting
    from inspraak.council.models import Ballot, Channel, CouncilKind, Follows, ItemKind, Position, RequestKind, Subject
    from inspraak.council.rules import Choice

    today = local_today()  # the Dutch date: the machine's own date may be another (a server abroad, UTC)
    with current_app.test_request_context("/"):
        people = list(db.session.scalars(
            sa.select(Person).where(Person.corporation_id == corporation.id, Person.email.is_not(None)).order_by(Person.id)
        ))
        first_per_language = {}  # sign_in_lines() hands these a new code, which would revoke ours
        for person in people:
            first_per_language.setdefault(person.preferred_language, person)
        taken = {p.id for p in first_per_language.values()}  # by id: UserMixin compares persons by session token
        people = [p for p in people[10:] if p.id not in taken]
        board = people[:7]
        positions = [Position.CHAIR, Position.SECRETARY, Position.TREASURER] + [Position.MEMBER] * 4
        organisation = membership.create_council(corporation, name=DEMO_COUNCIL,
                                                 kind=CouncilKind.TENANT_ORGANISATION)
        members = [membership.add_member(organisation, person, position=position, term_start=date(2024, 1, 1))
                   for person, position in zip(board, positions)]
        chair, secretary = members[0], members[1]

        complex_ = db.session.scalar(sa.select(Complex).where(Complex.corporation_id == corporation.id, Complex.number == "1001"))
        residents = [p for p in people[7:] if p.tenancy.dwelling.complex_id == complex_.id][:4]
        committee = membership.create_council(corporation, name="Bewonerscommissie Marshalllaan",
                                              kind=CouncilKind.RESIDENTS_COMMITTEE, complex_=complex_)
        for person, position in zip(residents, [Position.CHAIR, Position.SECRETARY, Position.MEMBER, Position.MEMBER]):
            membership.add_member(committee, person, position=position, term_start=date(2025, 6, 1))
        # Past terms, on the staff page of the tenant organisation: a member whose term ended, and the treasurer,
        # who was its secretary before, left, and was seated again with the present board.
        former = next(p for p in people[7:] if p.id not in {r.id for r in residents})
        membership.add_member(organisation, former, position=Position.MEMBER, term_start=date(2020, 1, 1),
                              term_end=date(2023, 12, 31))
        membership.add_member(organisation, board[2], position=Position.SECRETARY, term_start=date(2019, 3, 1),
                              term_end=date(2021, 6, 30))

        # A meeting held last month: closed, with a decision and published minutes.
        history_starts = _last_outbox_id()
        past = agendas.plan_meeting(organisation, title="Ledenvergadering najaar", place="Buurthuis De Linde",
                                    source_language="nl", starts_at=_evening(-30), by=secretary)
        item = agendas.add_agenda_item(past, kind=ItemKind.DECISION, presenter=chair.person.name, title={
            "nl": "Jaarplan 2027", "en": "Annual plan 2027", "tr": "2027 yıllık planı", "ar": "الخطة السنوية لعام 2027",
            "pl": "Plan roczny na 2027 rok"}, description={
            "nl": "Wat de huurdersraad in 2027 wil bereiken.", "en": "What the tenant council wants to achieve in 2027.",
            "tr": "Kiracı konseyinin 2027 yılında ulaşmak istedikleri.",
            "ar": "ما يريد مجلس المستأجرين تحقيقه في عام 2027.", "pl": "Co rada najemców chce osiągnąć w 2027 roku."})
        motion = voting.propose_motion(item, text={
            "nl": "De huurdersraad stelt het jaarplan 2027 vast.", "en": "The tenant council adopts the annual plan 2027.",
            "tr": "Kiracı konseyi 2027 yıllık planını kabul eder.", "ar": "يعتمد مجلس المستأجرين الخطة السنوية لعام 2027.",
            "pl": "Rada najemców przyjmuje plan roczny na 2027 rok."})
        agendas.publish_agenda(past, by=secretary)
        agendas.open_meeting(past, by=secretary)
        voting.open_vote(motion, closes_at=None, by=secretary)
        for member, choice in zip(members, [Choice.FOR] * 4 + [Choice.AGAINST, Choice.ABSTAIN]):
            voting.cast_vote(motion.id, member, choice)
        voting.close_vote(motion, by=secretary)
        records.save_minutes(past, {"nl": "Aanwezig: zes leden.\nHet jaarplan 2027 is vastgesteld.",
                                    "en": "Present: six members.\nThe annual plan 2027 has been adopted.",
                                    "tr": "Katılanlar: altı üye.\n2027 yıllık planı kabul edildi.",
                                    "ar": "الحاضرون: ستة أعضاء.\nاعتُمدت الخطة السنوية لعام 2027.",
                                    "pl": "Obecnych było sześciu członków.\nPlan roczny na 2027 rok został przyjęty."},
                             source_language="nl", by=secretary)
        agendas.close_meeting(past, by=secretary)
        records.approve_minutes(past, by=chair)
        records.publish_minutes(past, by=secretary)
        _sent_back_then(history_starts, past.starts_at - timedelta(days=7))

        # The next meeting: agenda published, an online vote open for a week, a show-of-hands motion ready.
        meeting = agendas.plan_meeting(organisation, title="Ledenvergadering voorjaar", place="Buurthuis De Linde",
                                       source_language="nl", online_link="https://meet.example/huurdersraad", by=secretary,
                                       starts_at=_evening(10))
        agendas.add_agenda_item(meeting, kind=ItemKind.INFORMATION, title={
            "nl": "Opening en mededelingen", "en": "Opening and announcements", "tr": "Açılış ve duyurular",
            "ar": "الافتتاح والإعلانات", "pl": "Otwarcie i komunikaty"})
        costs = agendas.add_agenda_item(meeting, kind=ItemKind.ADVICE, presenter=members[2].person.name,
                                        title=dict(SERVICE_COSTS), description={
            "nl": "De corporatie vraagt advies over de nieuwe servicekosten.",
            "en": "The corporation asks for advice on the new service costs.",
            "tr": "Konut şirketi yeni hizmet giderleri hakkında görüş istiyor.",
            "ar": "تطلب مؤسسة الإسكان المشورة بشأن تكاليف الخدمات الجديدة.",
            "pl": "Korporacja mieszkaniowa prosi o opinię w sprawie nowych kosztów usług."})
        plan = agendas.add_agenda_item(meeting, kind=ItemKind.DECISION, title={
            "nl": "Tuin achter blok C", "en": "Garden behind block C", "tr": "C bloğunun arkasındaki bahçe",
            "ar": "الحديقة خلف المبنى C", "pl": "Ogród za blokiem C"})
        online = voting.propose_motion(plan, ballot=Ballot.SECRET, text={
            "nl": "De huurdersraad steunt een gezamenlijke moestuin achter blok C.",
            "en": "The tenant council supports a shared vegetable garden behind block C.",
            "tr": "Kiracı konseyi, C bloğunun arkasında ortak bir sebze bahçesini destekler.",
            "ar": "يؤيد مجلس المستأجرين إنشاء حديقة خضروات مشتركة خلف المبنى C.",
            "pl": "Rada najemców popiera wspólny ogród warzywny za blokiem C."})
        voting.propose_motion(costs, channel=Channel.SHOW_OF_HANDS, text={
            "nl": "De huurdersraad adviseert de servicekosten niet te verhogen.",
            "en": "The tenant council advises not to raise the service costs.",
            "tr": "Kiracı konseyi, hizmet giderlerinin artırılmamasını tavsiye eder.",
            "ar": "يوصي مجلس المستأجرين بعدم رفع تكاليف الخدمات.",
            "pl": "Rada najemców zaleca, aby nie podnosić kosztów usług."})
        agendas.publish_agenda(meeting, by=secretary)
        presence.record_proxy(meeting, members[6], members[2], signed_on=utcnow(), by=secretary)
        voting.open_vote(online, closes_at=utcnow() + timedelta(days=7), by=secretary)

        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "redactie@delinde.example"))
        request = advice.send_request(
            organisation, subject=Subject.SERVICE_COSTS, kind=RequestKind.ADVICE, source_language="nl",
            title=dict(SERVICE_COSTS), body={
                "nl": "Wij vragen uw advies over de servicekosten voor 2027. Wij willen de schoonmaak uitbreiden.",
                "en": "We ask for your advice on the service costs for 2027. We want to extend the cleaning.",
                "tr": "2027 yılı hizmet giderleri hakkında kiracı konseyinin görüşünü rica ediyoruz. "
                      "Temizlik hizmetini genişletmek istiyoruz.",
                "ar": "نطلب مشورتكم بشأن تكاليف الخدمات لعام 2027. نريد توسيع خدمة التنظيف.",
                "pl": "Prosimy o Państwa opinię w sprawie kosztów usług na 2027 rok. Chcemy rozszerzyć sprzątanie."},
            received_on=today - timedelta(days=10), period_days=42, by=staff,
        )
        advice.link_request(request, meeting=meeting, motion=None, consultation_id=None, by=secretary)
        history_starts = _last_outbox_id()
        earlier = advice.send_request(
            organisation, subject=Subject.RENT_POLICY, kind=RequestKind.ADVICE, source_language="nl",
            title={"nl": "Huurverhoging juli", "en": "Rent increase in July", "tr": "Temmuz ayındaki kira artışı",
                   "ar": "زيادة الإيجار في يوليو", "pl": "Podwyżka czynszu w lipcu"},
            body={"nl": "Ons voorstel voor de huurverhoging.", "en": "Our proposal for the rent increase.",
                  "tr": "Kira artışı için önerimiz.", "ar": "اقتراحنا لزيادة الإيجار.",
                  "pl": "Nasza propozycja podwyżki czynszu."},
            received_on=today - timedelta(days=60), period_days=42, by=staff,
        )
        advice.send_advice(earlier, text="Verhoog de huur met niet meer dan de inflatie.", language="nl",
                           sent_on=today - timedelta(days=25), by=secretary)
        advice.record_response(earlier, text="Wij verhogen de huur met de inflatie plus 1%.", language="nl",
                               follows=Follows.PARTLY, responded_on=today - timedelta(days=20), by=staff)
        _sent_back_then(history_starts, _evening(-60))
        db.session.flush()


def _evening(days: int) -> datetime:
    """Half past seven in the evening, Dutch time, ``days`` from today: when the demo's councils meet."""
    from inspraak.core.timeutil import LOCAL_TZ, local_today

    return datetime.combine(local_today() + timedelta(days=days), time(19, 30), tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def _last_outbox_id() -> int:
    from inspraak.notify.models import OutboxMessage

    db.session.flush()
    return db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0


def _sent_back_then(after_id: int, when: datetime) -> None:
    """The mail of the demo's history (a meeting last month, a request answered weeks ago) went out back then: it is
    marked sent at ``when``, so that `make run` prints only the mail of what is going on now, not an agenda "for
    the next meeting" dated a month ago. Staff still find it in the outbox overview."""
    from inspraak.notify.models import MessageStatus, OutboxMessage

    db.session.flush()
    db.session.execute(sa.update(OutboxMessage).where(
        OutboxMessage.id > after_id, OutboxMessage.status == MessageStatus.QUEUED,
    ).values(status=MessageStatus.SENT, attempts=1, created_at=when, next_attempt_at=when, sent_at=when))


def demo_consultations(corporation: Corporation) -> None:
    """An open survey with a condition for one neighbourhood (nl, en, tr, ar, pl) and an open support measurement."""
    from inspraak.consultations import authoring, documents, invitations, questions, structure, support
    from inspraak.consultations.models import AudienceScope, CountingUnit, PrivacyMode, QuestionType

    editor = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "redactie@delinde.example"))
    hood = db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.corporation_id == corporation.id,
                                                             Neighbourhood.name == "Kanaleneiland"))
    survey = authoring.create_consultation(corporation.id, source_language="nl", by=editor, title={
        "nl": "Groen en spelen in Kanaleneiland", "en": "Green spaces and play in Kanaleneiland",
        "tr": "Kanaleneiland'da yeşil alanlar ve oyun", "ar": "المساحات الخضراء واللعب في كانالينايلاند",
        "pl": "Zieleń i zabawa w Kanaleneiland"})
    survey.intro = {"nl": "We willen de binnentuinen opknappen. Wat vindt u belangrijk? Het duurt 3 minuten.",
                    "en": "We want to improve the courtyards. What matters to you? It takes 3 minutes.",
                    "tr": "Avluları yenilemek istiyoruz. Sizin için ne önemli? 3 dakika sürer.",
                    "ar": "نريد تجديد الأفنية. ما المهم بالنسبة لك؟ يستغرق ذلك 3 دقائق.",
                    "pl": "Chcemy odnowić dziedzińce. Co jest dla Państwa ważne? Ankieta zajmie 3 minuty."}
    # No month named: the demo's dates move with the day it is loaded; the page states when results come.
    survey.outro = {"nl": "Dank u wel. Als de uitslag er is, leest u hier wat we gaan doen.",
                    "en": "Thank you. When the results are in, you can read here what we will do.",
                    "tr": "Teşekkürler. Sonuçlar belli olunca ne yapacağımızı burada okuyabilirsiniz.",
                    "ar": "شكرًا لك. عندما تظهر النتائج ستقرأ هنا ما سنفعله.",
                    "pl": "Dziękujemy. Gdy wyniki będą gotowe, przeczytają tu Państwo, co zamierzamy zrobić."}
    authoring.update_settings(
        survey, source_language="nl", audience_scope=AudienceScope.NEIGHBOURHOODS, neighbourhood_ids=[hood.id],
        complex_ids=[], counting_unit=CountingUnit.PERSON, privacy_mode=PrivacyMode.ANONYMOUS, opens_at=None,
        closes_at=None, results_expected_on=local_today() + timedelta(days=60), by=editor)
    page = survey.sections[0]
    page.title = {"nl": "De binnentuin", "en": "The courtyard", "tr": "Avlu", "ar": "الفناء", "pl": "Dziedziniec"}
    uses = questions.add_question(survey, page, type=QuestionType.YES_NO, required=True, by=editor, text={
        "nl": "Gebruikt u de binnentuin?", "en": "Do you use the courtyard?", "tr": "Avluyu kullanıyor musunuz?",
        "ar": "هل تستخدم الفناء؟", "pl": "Czy korzystają Państwo z dziedzińca?"})
    what = questions.add_question(survey, page, type=QuestionType.MULTIPLE_CHOICE, required=True, by=editor,
                                  settings={"min": 1, "max": 2}, text={
        "nl": "Wat doet u daar? Kies er hoogstens 2.", "en": "What do you do there? Choose at most 2.",
        "tr": "Orada ne yapıyorsunuz? En fazla 2 seçin.", "ar": "ماذا تفعل هناك؟ اختر 2 على الأكثر.",
        "pl": "Co Państwo tam robią? Proszę wybrać najwyżej 2."})
    for label in ({"nl": "Zitten", "en": "Sit", "tr": "Oturmak", "ar": "الجلوس", "pl": "Odpoczynek na ławce"},
                  {"nl": "Spelen met kinderen", "en": "Play with children", "tr": "Çocuklarla oynamak",
                   "ar": "اللعب مع الأطفال", "pl": "Zabawa z dziećmi"},
                  {"nl": "Tuinieren", "en": "Gardening", "tr": "Bahçecilik", "ar": "البستنة", "pl": "Praca w ogrodzie"}):
        questions.add_option(what, label=label)
    questions.add_option(what, label={"nl": "Anders", "en": "Other", "tr": "Diğer", "ar": "شيء آخر", "pl": "Coś innego"},
                         is_other=True)
    questions.update_question(what, text=what.text, help={}, required=True, settings=what.settings,
                              condition={"match": "all", "rules": [{"question": uses.id, "op": "is", "value": True}]})
    second = structure.add_section(survey, by=editor, title={
        "nl": "Uw mening", "en": "Your opinion", "tr": "Fikriniz", "ar": "رأيك", "pl": "Państwa zdanie"})
    questions.add_question(survey, second, type=QuestionType.SCORE, required=True, by=editor, text={
        "nl": "Welk cijfer geeft u de binnentuin nu?", "en": "What mark do you give the courtyard now?",
        "tr": "Avluya şimdi kaç puan verirsiniz?", "ar": "كم درجة تعطي الفناء الآن؟",
        "pl": "Jaką ocenę dają Państwo teraz dziedzińcowi?"})
    questions.add_question(survey, second, type=QuestionType.LONG_TEXT, required=False, by=editor,
                           settings={"max_length": 1000}, text={
        "nl": "Wat moet er beter?", "en": "What should be better?", "tr": "Ne daha iyi olmalı?",
        "ar": "ما الذي يجب أن يتحسن؟", "pl": "Co należy poprawić?"})
    invitations.open_consultation(survey, by=editor)

    complex_ = db.session.scalar(sa.select(Complex).where(Complex.corporation_id == corporation.id, Complex.number == "2002"))
    measurement = support.create_support_measurement(corporation.id, complex_, source_language="nl", by=editor, title={
        "nl": "Renovatie Neckardreef: nieuwe kozijnen en isolatie", "en": "Renovation Neckardreef: new frames and insulation",
        "tr": "Neckardreef yenileme: yeni pencereler ve yalıtım", "ar": "تجديد نيكاردريف: نوافذ جديدة وعزل حراري",
        "pl": "Remont Neckardreef: nowe okna i ocieplenie"})
    measurement.proposal = {
        "nl": "We vervangen alle kozijnen en isoleren dak en gevel. De huur stijgt niet. Uw energierekening daalt.",
        "en": "We replace all window frames and insulate roof and walls. The rent stays the same. Your energy bill goes down.",
        "tr": "Tüm pencereleri değiştiriyor, çatıyı ve duvarları yalıtıyoruz. Kira aynı kalır. Enerji faturanız düşer.",
        "ar": "نستبدل جميع إطارات النوافذ ونعزل السقف والجدران. لا يرتفع الإيجار. تنخفض فاتورة الطاقة لديك.",
        "pl": "Wymienimy wszystkie okna oraz ocieplimy dach i ściany. Czynsz nie wzrośnie. "
              "Państwa rachunki za energię będą niższe."}
    documents.add_document(measurement, io.BytesIO(_one_page_pdf("Renovatieplan Neckardreef 2027")),
                           "Renovatieplan Neckardreef.pdf", by=editor)
    invitations.open_consultation(measurement, by=editor)


STAIRWELL_IDEAS = [
    "Een lamp met een bewegingssensor bij de voordeur.",
    "De containers staan te dicht bij de ingang. Zet ze verderop.",
    "Graag een vaste schoonmaakdag, dan weten we wanneer we niets in de gang moeten zetten.",
    "Bel mij gerust voor een rondgang: 06 12345678.",
    "Een bord met de huisregels in meer talen.",
    "De deur valt niet goed in het slot. Daardoor lopen er vreemden binnen.",
    "Meer licht in de fietsenberging, het is daar 's avonds donker.",
    "Zet planten bij de ingang, dan is het meteen vriendelijker.",
    "Laat de schoonmakers ook de ramen in het trappenhuis doen.",
    "Een camera bij de bergingen.",
    "Maak de brievenbussen heel, er staan er twee open.",
    "Mijn buurman op nummer 14 zet zijn afval altijd in de gang.",
]


def _shuffled(rng: random.Random, counts: dict) -> list:
    """Each value as often as counted, in a random order: answers with known totals."""
    values = [value for value, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def demo_closed_consultation(corporation: Corporation, rng: random.Random) -> None:
    """A closed survey in two neighbourhoods with 64 answers, ready for the publisher to publish."""
    from inspraak.consultations import answering, authoring, invitations, questions, structure
    from inspraak.consultations.models import (AudienceScope, Channel, CountingUnit, Invitation, PrivacyMode,
                                               QuestionType)

    editor = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "redactie@delinde.example"))
    hoods = list(db.session.scalars(sa.select(Neighbourhood).where(
        Neighbourhood.corporation_id == corporation.id, Neighbourhood.name.in_(["Kanaleneiland", "Lunetten"]))))
    survey = authoring.create_consultation(corporation.id, source_language="nl", by=editor, title={
        "nl": CLOSED_SURVEY, "en": "Clean and safe stairwells",
        "tr": "Temiz ve güvenli merdiven boşlukları", "ar": "مداخل درج نظيفة وآمنة",
        "pl": "Czyste i bezpieczne klatki schodowe"})
    survey.intro = {"nl": "Hoe schoon en veilig is uw portiek? Het duurt 2 minuten.",
                    "en": "How clean and safe is your stairwell? It takes 2 minutes.",
                    "tr": "Merdiven boşluğunuz ne kadar temiz ve güvenli? 2 dakika sürer.",
                    "ar": "ما مدى نظافة مدخل الدرج وأمانه؟ يستغرق ذلك دقيقتين.",
                    "pl": "Jak czysta i bezpieczna jest Państwa klatka schodowa? Ankieta zajmie 2 minuty."}
    authoring.update_settings(
        survey, source_language="nl", audience_scope=AudienceScope.NEIGHBOURHOODS,
        neighbourhood_ids=[h.id for h in hoods], complex_ids=[], counting_unit=CountingUnit.DWELLING,
        privacy_mode=PrivacyMode.ANONYMOUS, opens_at=None, closes_at=None,
        results_expected_on=local_today() + timedelta(days=14), by=editor)
    first = survey.sections[0]
    first.title = {"nl": "Uw portiek", "en": "Your stairwell", "tr": "Merdiven boşluğunuz", "ar": "مدخل الدرج",
                   "pl": "Państwa klatka schodowa"}
    clean = questions.add_question(survey, first, type=QuestionType.YES_NO, required=True, by=editor, text={
        "nl": "Is uw portiek meestal schoon?", "en": "Is your stairwell usually clean?",
        "tr": "Merdiven boşluğunuz genellikle temiz mi?", "ar": "هل مدخل الدرج في بنايتك نظيف عادةً؟",
        "pl": "Czy Państwa klatka schodowa jest zwykle czysta?"})
    safe = questions.add_question(survey, first, type=QuestionType.SCALE, required=True, by=editor, settings={
        "min": 1, "max": 5,
        "min_label": {"nl": "Heel onveilig", "en": "Very unsafe", "tr": "Hiç güvenli değil", "ar": "غير آمن إطلاقًا",
                      "pl": "Bardzo niebezpiecznie"},
        "max_label": {"nl": "Heel veilig", "en": "Very safe", "tr": "Çok güvenli", "ar": "آمن جدًا",
                      "pl": "Bardzo bezpiecznie"}}, text={
        "nl": "Hoe veilig voelt u zich 's avonds in uw portiek?", "en": "How safe do you feel in your stairwell at night?",
        "tr": "Akşamları merdiven boşluğunuzda kendinizi ne kadar güvende hissediyorsunuz?",
        "ar": "ما مدى شعورك بالأمان في مدخل الدرج مساءً؟",
        "pl": "Jak bezpiecznie czują się Państwo wieczorem na klatce schodowej?"})
    often = questions.add_question(survey, first, type=QuestionType.SINGLE_CHOICE, required=True, by=editor, text={
        "nl": "Hoe vaak moet het portiek schoongemaakt worden?", "en": "How often should the stairwell be cleaned?",
        "tr": "Merdiven boşluğu ne sıklıkla temizlenmeli?", "ar": "كم مرة يجب تنظيف مدخل الدرج؟",
        "pl": "Jak często należy sprzątać klatkę schodową?"})
    for label in ({"nl": "Eén keer per week", "en": "Once a week", "tr": "Haftada bir", "ar": "مرة في الأسبوع",
                   "pl": "Raz w tygodniu"},
                  {"nl": "Twee keer per week", "en": "Twice a week", "tr": "Haftada iki kez", "ar": "مرتين في الأسبوع",
                   "pl": "Dwa razy w tygodniu"},
                  {"nl": "Elke werkdag", "en": "Every working day", "tr": "Her iş günü", "ar": "كل يوم عمل",
                   "pl": "W każdy dzień roboczy"}):
        questions.add_option(often, label=label)
    first_fix = questions.add_question(survey, first, type=QuestionType.MULTIPLE_CHOICE, required=True, by=editor,
                                       settings={"min": 1, "max": 2}, text={
        "nl": "Wat moet als eerste beter? Kies er hoogstens 2.", "en": "What should improve first? Choose at most 2.",
        "tr": "Önce ne iyileşmeli? En fazla 2 seçin.", "ar": "ما الذي يجب تحسينه أولاً؟ اختر اثنين على الأكثر.",
        "pl": "Co należy poprawić najpierw? Proszę wybrać najwyżej 2."})
    for label in ({"nl": "Verlichting", "en": "Lighting", "tr": "Aydınlatma", "ar": "الإضاءة", "pl": "Oświetlenie"},
                  {"nl": "Schoonmaak", "en": "Cleaning", "tr": "Temizlik", "ar": "التنظيف", "pl": "Sprzątanie"},
                  {"nl": "Sloten en deuren", "en": "Locks and doors", "tr": "Kilitler ve kapılar",
                   "ar": "الأقفال والأبواب", "pl": "Zamki i drzwi"},
                  {"nl": "Afval bij de ingang", "en": "Rubbish at the entrance", "tr": "Girişteki çöp",
                   "ar": "النفايات عند المدخل", "pl": "Śmieci przy wejściu"}):
        questions.add_option(first_fix, label=label)
    second = structure.add_section(survey, by=editor, title={
        "nl": "Uw oordeel", "en": "Your verdict", "tr": "Değerlendirmeniz", "ar": "تقييمك", "pl": "Państwa ocena"})
    mark = questions.add_question(survey, second, type=QuestionType.SCORE, required=True, by=editor, text={
        "nl": "Welk cijfer geeft u uw portiek?", "en": "What mark do you give your stairwell?",
        "tr": "Merdiven boşluğunuza kaç puan verirsiniz?", "ar": "ما الدرجة التي تعطيها لمدخل الدرج؟",
        "pl": "Jaką ocenę dają Państwo swojej klatce schodowej?"})
    idea = questions.add_question(survey, second, type=QuestionType.LONG_TEXT, required=False, by=editor,
                                  settings={"max_length": 1000}, text={
        "nl": "Heeft u een idee voor uw portiek?", "en": "Do you have an idea for your stairwell?",
        "tr": "Merdiven boşluğunuz için bir fikriniz var mı?", "ar": "هل لديك فكرة لمدخل الدرج؟",
        "pl": "Czy mają Państwo pomysł na swoją klatkę schodową?"})
    invitations.open_consultation(survey, by=editor)

    # 64 of the invited dwellings answer, with totals large enough to publish (10 or more per answer).
    count = 64
    keys = list(db.session.scalars(sa.select(Invitation.unit_key).where(Invitation.consultation_id == survey.id)
                                   .order_by(Invitation.id)))
    o, f = [opt.id for opt in often.options], [opt.id for opt in first_fix.options]
    columns = {
        clean.id: _shuffled(rng, {True: 42, False: 22}),
        safe.id: _shuffled(rng, {1: 10, 2: 12, 3: 18, 4: 14, 5: 10}),
        often.id: [{"option": option} for option in _shuffled(rng, {o[0]: 22, o[1]: 28, o[2]: 14})],
        first_fix.id: [{"options": list(pair)} for pair in _shuffled(rng, {
            (f[0], f[1]): 14, (f[1],): 12, (f[0],): 6, (f[2], f[0]): 10, (f[3], f[1]): 10, (f[2],): 4, (f[3],): 8})],
        mark.id: _shuffled(rng, {5: 10, 6: 14, 7: 18, 8: 12, 9: 10}),
        idea.id: STAIRWELL_IDEAS + [None] * (count - len(STAIRWELL_IDEAS)),
    }
    channels = _shuffled(rng, {Channel.ONLINE: 38, Channel.PAPER: 16, Channel.ASSISTED: 10})
    for number, unit_key in enumerate(rng.sample(keys, count)):
        answers = {qid: values[number] for qid, values in columns.items() if values[number] is not None}
        answering.submit_response(survey, unit_key=unit_key, answers=answers, channel=channels[number])
    invitations.close_consultation(survey, by=editor)


def _one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF showing one line of text (a demo proposal document)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the page's content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 20 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
