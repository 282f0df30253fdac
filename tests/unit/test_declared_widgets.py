"""Declared forms write their inputs and select lists in Python (for speed): the markup must say
what Django's own templates say — the chosen option, escaped values, the error attributes."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django import forms

from oversight.core.fields import Fields, FieldSpec
from oversight.web.declared import declared_form
from tests.html import one

FIELDS = Fields(
    FieldSpec(
        "grade", "等级", kind="choice", required=False, choices=[("A", "A级"), ("B", "B<级>")]
    ),
    FieldSpec("q", "查找", required=False, max_length=10),
    FieldSpec("count", "数量", kind="integer", required=False),
    FieldSpec("since", "起始", kind="date", required=False),
)


def _html(data: dict[str, str]) -> str:
    form = declared_form(FIELDS)(data)
    form.is_valid()
    return "".join(str(form[name]) for name in FIELDS)


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = _html({"grade": "B"})
    assert one(html, "select[name=grade] option[selected]").get("value") == "B"
    assert one(html, "select[name=grade] option[value=B]").text == "B<级>"
    assert "B&lt;级&gt;" in html


def test_a_typed_value_comes_back_escaped_with_the_declared_attributes():
    html = _html({"q": 'a"<b', "count": "7", "since": "2026-01-02"})
    box = one(html, "input[name=q]")
    assert (box.get("value"), box.get("maxlength"), box.get("type")) == ('a"<b', "10", "text")
    assert 'value="a&quot;&lt;b"' in html
    assert one(html, "input[name=count]").get("value") == "7"
    assert one(html, "input[name=since]").get("type") == "date"


def test_an_empty_input_has_no_value_and_a_refused_one_is_marked_invalid():
    html = _html({"grade": "Z", "count": ""})
    assert one(html, "input[name=count]").get("value") is None
    assert one(html, "select[name=grade]").get("aria-invalid") == "true"


def test_the_markup_matches_djangos_own_widgets():
    ours = declared_form(FIELDS)({"grade": "A", "q": "x"})
    theirs = declared_form(FIELDS)({"grade": "A", "q": "x"})
    theirs.fields["grade"].widget.__class__ = forms.Select
    theirs.fields["q"].widget.__class__ = forms.TextInput
    for name in ("grade", "q"):
        assert _attrs(str(ours[name])) == _attrs(str(theirs[name]))


def _attrs(html: str) -> list[tuple[str, dict]]:
    return [(tag.name, dict(tag.attrs)) for tag in BeautifulSoup(html, "html.parser").find_all()]
