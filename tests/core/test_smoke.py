"""The app starts, serves the home page in Dutch, and Arabic right to left."""


def test_home_is_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl" dir="ltr"' in response.get_data(as_text=True)


def test_arabic_is_right_to_left(client):
    response = client.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl"' in response.get_data(as_text=True)
