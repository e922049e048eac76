"""The tenant's own page: names people wrote stand apart from the sentences around them, escaped."""
HOSTILE = "<script>x</script> (fase 2)"
ISOLATED = "<bdi>&lt;script&gt;x&lt;/script&gt; (fase 2)</bdi>"


def test_arabic_page_isolates_and_escapes_the_name_and_the_neighbourhood(client, make_complex, make_tenant,
                                                                          login_tenant):
    person = make_tenant(complex_=make_complex(neighbourhood_name=HOSTILE), name=HOSTILE, language="ar")
    login_tenant(client, person)
    html = client.get("/my").get_data(as_text=True)
    assert f"مرحبًا {ISOLATED}" in html
    assert f"الحي: {ISOLATED}" in html
    assert "<script>x" not in html


def test_an_arabic_name_in_a_dutch_page_is_isolated(client, make_tenant, login_tenant):
    login_tenant(client, make_tenant(name="أمينة حداد", language="nl"))
    assert "Hallo <bdi>أمينة حداد</bdi>" in client.get("/my").get_data(as_text=True)
