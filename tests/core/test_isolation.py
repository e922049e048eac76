"""Names and titles people wrote are isolated from the translated sentence around them, and escaped."""
from html import unescape

from flask import render_template_string
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from inspraak.core.i18n_setup import html_message, isolate, isolate_text

HOSTILE = "<script>x</script> (fase 2)"
FSI, PDI = "\u2068", "\u2069"


def test_a_name_is_isolated_and_escaped():
    assert isolate(HOSTILE) == "<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>"


def test_markup_is_isolated_as_it_is():
    assert isolate(Markup('<span lang="nl" dir="ltr">Tuin &amp; erf</span>')) == (
        '<bdi><span lang="nl" dir="ltr">Tuin &amp; erf</span></bdi>')


def test_a_name_in_a_known_language_says_so():
    assert isolate("العربية", "ar") == '<bdi lang="ar">العربية</bdi>'


def test_nothing_stays_nothing():
    assert isolate(None) == "" and isolate_text(None) == ""


@given(st.text())
def test_isolating_adds_only_the_bdi_element(text):
    shown = str(isolate(text))
    inner = shown.removeprefix("<bdi>").removesuffix("</bdi>")
    assert "<" not in inner and unescape(inner) == text


def test_a_message_built_in_python_escapes_its_parameters_and_keeps_isolated_names():
    assert html_message("%(complex)s in %(neighbourhood)s", complex=isolate(HOSTILE), neighbourhood="<i>") == (
        "<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi> in &lt;i&gt;")


def test_the_filter_writes_html_in_html_and_isolate_characters_in_plain_text(app):
    with app.test_request_context("/?lang=ar"):
        html = render_template_string("{{ _('Hello %(name)s', name=name|isolate) }}", name=HOSTILE)
        text = render_template_string("{% autoescape false %}{{ _('Hello %(name)s', name=name|isolate) }}"
                                      "{% endautoescape %}", name=HOSTILE)
    assert "<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>" in html
    assert f"{FSI}{HOSTILE}{PDI}" in text


def test_plain_text_isolates_where_directions_mix(app):
    with app.test_request_context("/"), force_locale("ar"):
        assert isolate_text("Renovatie Complex 12 (fase 2)") == f"{FSI}Renovatie Complex 12 (fase 2){PDI}"
    with app.test_request_context("/"), force_locale("nl"):
        assert isolate_text("أمينة حداد") == f"{FSI}أمينة حداد{PDI}"
        assert isolate_text("Renovatie Complex 12 (fase 2)") == "Renovatie Complex 12 (fase 2)"



def test_every_name_in_a_page_title_is_isolated_as_text():
    """<title> holds text only (a <bdi> would show as its tags): a name or title people typed is put in it with
    ``isolate_text``, which adds FSI … PDI where directions mix."""
    import re
    from pathlib import Path

    import inspraak

    typed = re.compile(r"\b\w+\.(name|title)\b|localize\(")
    bare = []
    for template in Path(inspraak.__file__).parent.rglob("*.html"):
        for block in re.findall(r"{% block title %}(.*?){% endblock %}", template.read_text(), re.S):
            for expression in re.findall(r"{{(.*?)}}", block):
                for value in re.split(r"[(,=]\s*(?=\w+\.(?:name|title)\b|localize\()", expression):
                    if typed.match(value.strip()) and "|isolate_text" not in value:
                        bare.append(f"{template.name}: {expression.strip()}")
    assert not bare, bare
