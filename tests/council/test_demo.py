"""The council demo data loads through the services and lets the secretary sign in."""
import re

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


def _without_codes(output: str) -> list[str]:
    return [re.sub(r"/c/[A-Z0-9]+", "/c/…", re.sub(r"\bcode [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", "code …", line))
            for line in output.splitlines()]


def test_a_second_run_prints_the_same_sign_in_help_with_working_codes(app, client):
    """`make run` a second time (`demo --if-empty`): staff accounts, tenant codes and council codes again."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["inspraak", "demo", "--if-empty"])
    second = runner.invoke(args=["inspraak", "demo", "--if-empty"])
    assert first.exit_code == second.exit_code == 0, second.output
    assert "Tenant councils" in first.output and "proxy holder" in first.output
    assert set(_without_codes(first.output)) <= set(_without_codes(second.output))
    line = next(line for line in second.output.splitlines() if line.strip().startswith("secretary"))
    assert client.post_form("/sign-in/code", {"code": line.split("code ")[1].split()[0]}).status_code == 302
