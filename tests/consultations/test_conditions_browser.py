"""Display conditions in the browser (static/js/conditions.js) agree with the server's pure rules.

The script runs in Node against a small stand-in for the page's DOM, for a few hundred random
pages of questions, conditions and answers; each must show exactly the questions the server shows.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from inspraak.consultations import conditions
from tests.consultations.test_conditions import Item

SCRIPT = Path(__file__).resolve().parents[2] / "inspraak" / "static" / "js" / "conditions.js"
OFF_PAGE = 100  # a question on an earlier page: its rules are decided by the server

# A stand-in for the few DOM features the script uses; prints which blocks it hid.
HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const source = fs.readFileSync(process.argv[2], "utf8");
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const results = cases.map((blocks) => {
  const made = blocks.map((b) => {
    const fields = b.fields.map((f) => ({
      name: f.name, type: f.type, value: f.value, checked: !!f.checked, disabled: false,
      tagName: f.type === "select" ? "SELECT" : "INPUT",
      getAttribute: (n) => (n === "data-atom" ? (f.atom || null) : null),
    }));
    const attrs = {"data-question": String(b.id)};
    if (b.condition) attrs["data-condition"] = JSON.stringify(b.condition);
    return {hidden: false, getAttribute: (n) => (n in attrs ? attrs[n] : null),
            querySelectorAll: () => fields, contains: () => false};
  });
  const form = {querySelectorAll: () => made, addEventListener: () => {}};
  const document = {querySelector: () => form, getElementById: () => null, activeElement: null};
  vm.runInNewContext(source, {document, window: {setTimeout: () => {}}});
  return made.map((block) => block.hidden);
});
process.stdout.write(JSON.stringify(results));
"""

KINDS = ("single", "multi", "yes_no", "text")


def _fields(qid: int, kind: str, answer) -> list[dict]:  # noqa: ANN001
    name = f"q{qid}"
    if kind == "single":
        chosen = answer["option"] if answer else None
        return [{"name": name, "type": "radio", "value": str(o), "checked": o == chosen} for o in range(4)] + [
            {"name": f"{name}_other", "type": "text", "value": "ignored"}]
    if kind == "multi":
        chosen = answer["options"] if answer else []
        return [{"name": name, "type": "checkbox", "value": str(o), "checked": o in chosen} for o in range(4)]
    if kind == "yes_no":
        return [{"name": name, "type": "radio", "value": "yes", "atom": "true", "checked": answer is True},
                {"name": name, "type": "radio", "value": "no", "atom": "false", "checked": answer is False}]
    return [{"name": name, "type": "text", "value": f"  {answer} " if answer else "  "}]


def _answer(rng: random.Random, kind: str):  # noqa: ANN202
    if rng.random() < 0.25:
        return None
    if kind == "single":
        return {"option": rng.randrange(4)}
    if kind == "multi":
        return {"options": sorted(rng.sample(range(4), rng.randrange(1, 4)))}
    if kind == "yes_no":
        return rng.random() < 0.5
    return rng.choice(["a", "1", "x y"])


def _condition(rng: random.Random, earlier: list[int]):  # noqa: ANN202
    if not earlier or rng.random() < 0.3:
        return None
    rules = []
    for _ in range(rng.randrange(1, 4)):
        rule = {"question": rng.choice([*earlier, OFF_PAGE]), "op": rng.choice(conditions.OPERATORS)}
        if rule["op"] not in ("answered", "unanswered"):
            rule["value"] = rng.choice([0, 1, 2, 3, True, False, "a"])
        rules.append(rule)
    return {"match": rng.choice(["all", "any"]), "rules": rules}


def _case(rng: random.Random) -> tuple[list[dict], list[bool]]:
    """A random page: the blocks the server renders, and which of them the server hides."""
    count = rng.randrange(1, 7)
    kinds = {qid: rng.choice(KINDS) for qid in range(1, count + 1)}
    questions = [Item(OFF_PAGE)]
    answers = {OFF_PAGE: _answer(rng, "single")}
    for qid, kind in kinds.items():
        questions.append(Item(qid, condition=_condition(rng, list(range(1, qid)))))
        answers[qid] = _answer(rng, kind)
    shown = set(conditions.visible_questions([Item(1)], questions, {k: v for k, v in answers.items() if v is not None}))
    known = {OFF_PAGE: answers[OFF_PAGE]}
    blocks = [{"id": q.id, "condition": conditions.for_browser(q.condition, known, kinds),
               "fields": _fields(q.id, kinds[q.id], answers[q.id])} for q in questions[1:]]
    return blocks, [q.id not in shown for q in questions[1:]]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_browser_shows_exactly_the_questions_the_server_shows(tmp_path):
    rng = random.Random(20261127)
    cases = [_case(rng) for _ in range(400)]
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    run = subprocess.run(["node", str(harness), str(SCRIPT)], input=json.dumps([blocks for blocks, _ in cases]),
                         capture_output=True, text=True, timeout=60, check=True)
    hidden = json.loads(run.stdout)
    for (blocks, expected), got in zip(cases, hidden, strict=True):
        assert got == expected, json.dumps(blocks)
    assert any(any(expected) for _, expected in cases) and any(not all(e) for _, e in cases)


def test_rules_about_other_pages_are_decided_by_the_server():
    condition = {"match": "any", "rules": [{"question": 1, "op": "is", "value": True},
                                           {"question": 7, "op": "includes", "value": 3}]}
    assert conditions.for_browser(condition, {1: True}, [7]) == {
        "match": "any", "rules": [{"fixed": True}, {"question": 7, "op": "includes", "value": "3"}]}
    assert conditions.for_browser(condition, {}, [7])["rules"][0] == {"fixed": False}
    assert conditions.for_browser(None, {}, [7]) is None
    assert conditions.for_browser({"match": "all", "rules": []}, {}, [7]) is None


def test_the_page_carries_the_conditions_and_loads_the_script_from_the_app(client, editor, make_tenant, make_survey,
                                                                           login_tenant):
    tenant = make_tenant(editor.corporation)
    survey = make_survey(editor)
    login_tenant(client, tenant)
    response = client.get(f"/consultations/{survey.id}/page/1")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    script_tag = re.search(r'<script src="(/static/js/conditions\.js\?v=[0-9a-f]{12})" defer></script>', html)
    assert script_tag, "the script, under its fingerprint"
    assert html.count("<script") == 1  # no inline script
    rule = {"match": "all", "rules": [{"op": "is", "question": survey.choice, "value": str(survey.bike)}]}
    assert f"data-condition='{json.dumps(rule, sort_keys=True)}'" in html
    # Without JavaScript the conditional question is simply there: nothing is hidden by the server.
    assert f'id="q{survey.why}-block"' in html and " hidden" not in html
    assert 'aria-live="polite"' in html
    script = client.get(script_tag.group(1))
    assert script.status_code == 200 and "javascript" in script.content_type
