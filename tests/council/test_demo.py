"""The council demo data loads through the services and lets the secretary sign in."""
import sqlalchemy as sa

from inspraak.council.models import AdviceRequest, Council, MotionResult
from inspraak.demo import load_demo
from inspraak.extensions import db


def test_demo_builds_councils_and_the_secretary_can_manage(client):
    lines = load_demo()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Council)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MotionResult)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdviceRequest)) == 2
    line = next(line for line in lines if line.strip().startswith("secretary"))
    code = line.split("code ")[1].split()[0]
    assert client.post_form("/sign-in/code", {"code": code}).status_code == 302
    council_id = db.session.scalar(sa.select(Council.id).where(Council.name == "Huurdersraad De Linde"))
    db.session.commit()
    page = client.get(f"/council/{council_id}").get_data(as_text=True)
    assert "Ledenvergadering voorjaar" in page and "/manage" in page
