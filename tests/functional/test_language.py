"""Chinese always, unless the user picks another language in their settings (issue 7)."""

from __future__ import annotations

import json

from django.test import Client

from oversight.org.models import User
from oversight.org.services import token_issue
from tests.conftest import client_for
from tests.html import one


def test_a_browser_asking_for_english_still_gets_chinese(city):
    client = client_for(city.a_leader.user)
    page = client.get("/org/agencies/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert one(page, "html")["lang"] == "zh-hans"
    assert one(page, "main h1").text == "机构"
    login = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert one(login, "html")["lang"] == "zh-hans"


def test_a_user_who_picks_english_gets_english_and_no_one_else_does(city):
    client = client_for(city.a_leader.user)
    response = client.post("/profile/", {"language": "en"})
    assert response.status_code == 302
    assert User.objects.get(pk=city.a_leader.user.pk).language == "en"
    assert one(client.get("/org/agencies/"), "main h1").text == "Agencies"
    other = client_for(city.b_viewer.user)
    assert one(other.get("/org/agencies/"), "main h1").text == "机构"


def test_the_api_speaks_the_token_holders_language(city):
    User.objects.filter(pk=city.a_leader.user.pk).update(language="en")
    _token, raw = token_issue(actor=None, username="a.leader")
    response = Client().post(
        "/api/v1/officers",
        json.dumps({}),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages["name"] == "This field is required."
    _token, raw = token_issue(actor=None, username="b.leader")
    chinese = Client().get("/api/v1/officers?page=0", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert chinese.json()["title"] == "输入内容无效"
