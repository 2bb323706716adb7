"""The "Khóa API" desk page: each person generates and revokes their own keys."""

import re

from eoffice.doctype.user import ApiKey


def secret_on(html: str) -> str:
    return re.search(r'id="new-api-secret">([0-9a-f]+)<', html).group(1)


def test_the_page_explains_keys_and_offers_to_make_one(client, demo_user):
    client.force_login(demo_user("cb.dongdu@gialam.demo"))
    html = client.get("/app/api-keys").content.decode()
    assert "<h1>Khóa API</h1>" in html
    assert "Anh/chị chưa có khóa API nào." in html
    assert '<label for="id_label">Ghi chú</label>' in html


def test_generating_a_key_shows_its_secret_this_once_and_the_secret_works(client, demo_user):
    officer = demo_user("cb.dongdu@gialam.demo")
    client.force_login(officer)
    response = client.post("/app/api-keys", {"label": "Phần mềm một cửa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(user=officer)
    secret = secret_on(html)
    assert key.label == "Phần mềm một cửa"
    assert f"Authorization: token {key.api_key}:{secret}" in html
    assert ApiKey.authenticate(key.api_key, secret) == officer
    later = client.get("/app/api-keys").content.decode()
    assert key.api_key in later and secret not in later


def test_a_key_works_against_the_api_until_it_is_revoked(client, demo_user):
    officer = demo_user("cb.dongdu@gialam.demo")
    client.force_login(officer)
    html = client.post("/app/api-keys", {"label": ""}).content.decode()
    key = ApiKey.objects.get(user=officer)
    secret = secret_on(html)
    response = client.post(f"/app/api-keys/{key.pk}/revoke", follow=True)
    assert f"Đã thu hồi khóa {key.api_key}." in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert ApiKey.authenticate(key.api_key, secret) is None


def test_nobody_revokes_anothers_key(client, demo_user):
    key, _secret = ApiKey.generate(demo_user("cb.batrang@gialam.demo"))
    client.force_login(demo_user("cb.dongdu@gialam.demo"))
    assert client.post(f"/app/api-keys/{key.pk}/revoke").status_code == 404
    assert client.get(f"/app/api-keys/{key.pk}/revoke").status_code == 405
    key.refresh_from_db()
    assert key.revoked_at is None
    assert key.api_key not in client.get("/app/api-keys").content.decode()


def test_the_page_needs_a_signed_in_person(client, db):
    assert client.get("/app/api-keys")["Location"] == "/login?next=/app/api-keys"
