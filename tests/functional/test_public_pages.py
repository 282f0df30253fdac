"""The public draw verifier (/public/verify/): open without logging in, no cookie, no data.

Who may reach it is in the access matrix; here, what it serves: the same page to everyone, in
Chinese, its one script under the page's CSP nonce, every problem the script can name worded,
and verify.py itself to download.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from django.test import Client

from oversight.planning import verify
from oversight.web.views.public import PROBLEMS
from tests.conftest import client_for
from tests.html import one

PAGE = "/public/verify/"
SCRIPT = Path(__file__).resolve().parents[2] / "src/oversight/web/static/oversight/draw-verify.js"


def test_a_visitor_gets_the_page_in_chinese_without_a_cookie(db):
    response = Client().get(PAGE)
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF token: nothing to keep
    assert one(response, "html")["lang"] == "zh-hans"
    assert one(response, "button[data-draw-verify]").text.strip() == "核验"
    assert "python -m oversight.planning.verify" in response.content.decode()


def test_its_script_is_our_own_under_the_pages_nonce(db):
    response = Client().get(PAGE)
    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce
    scripts = [s for s in response.content.decode().split("<script")[1:] if "src=" in s]
    assert len(scripts) == 1
    assert 'src="/static/oversight/draw-verify.js' in scripts[0]
    assert f'nonce="{nonce.group(1)}"' in scripts[0]
    words = json.loads(one(response, "script#draw-verify-strings").text)
    assert words["valid"] == "有效。"


def test_every_problem_the_script_names_has_its_words():
    """The codes the script gives its problems are the page's: none shown as a bare code."""
    script = SCRIPT.read_text("utf-8")
    named = set(re.findall(r'(?:problem|P)\(\s*"(\w+)"', script))
    composed = {c for c in named if c.endswith("_")}  # "context_" + why, "seed_value_" + why
    reasons = {"not_string", "too_long", "bad_char", "not_canonical"}
    codes = named - composed
    codes |= {f"context_{r}" for r in reasons} | {f"seed_value_{r}" for r in reasons | {"empty"}}
    member = set(re.findall(r'return \["(member_\w+)"', script))
    assert codes | member == set(PROBLEMS)


def test_a_logged_in_officer_sees_the_same_page(city):
    anonymous = Client().get(PAGE).content.decode()
    officer = client_for(city.a_leader.user).get(PAGE).content.decode()
    strip = re.compile(r'nonce="[^"]+"')
    assert strip.sub("", officer) == strip.sub("", anonymous)
    assert city.a_leader.user.username not in officer


def test_the_page_offers_verify_py_itself(db):
    page = Client().get(PAGE)
    source = Client().get("/public/verify/verify.py")
    assert source.status_code == 200
    assert source["Content-Disposition"] == 'attachment; filename="verify.py"'
    assert source.content == Path(verify.__file__).read_bytes()
    assert hashlib.sha256(source.content).hexdigest() in page.content.decode()


def test_nothing_is_posted_to_it(db):
    assert Client().post(PAGE, {"draw": "{}"}).status_code == 405
