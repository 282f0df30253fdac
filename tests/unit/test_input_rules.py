"""The pure input rules: text, ids and dates (oversight.core.text)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.core.text import MAX_ID, InputRefused, check_date, clean_text, parse_id


@given(st.text())
def test_clean_text_returns_nfc_trimmed_text_without_invisible_characters_or_refuses(text):
    try:
        clean = clean_text(text)
    except InputRefused as refused:
        assert refused.code in {"blank", "control"}
        return
    assert clean == clean.strip() and clean
    assert unicodedata.is_normalized("NFC", clean)
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs"} for c in clean)


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "blank"),
        ("  \u3000 ", "blank"),
        ("\u200b", "control"),
        ("甲\x00乙", "control"),
        ("a\u202eb", "control"),
        ("a\u2066b", "control"),
        ("a\nb", "control"),
        ("a\u2028b", "control"),
    ],
)
def test_clean_text_refuses_with_the_rule(text, code):
    with pytest.raises(InputRefused) as refused:
        clean_text(text)
    assert refused.value.code == code


def test_multiline_text_keeps_its_line_breaks_but_not_other_controls():
    assert clean_text("第一行\r\n第二行", multiline=True) == "第一行\n第二行"
    with pytest.raises(InputRefused):
        clean_text("a\x0bb", multiline=True)


def test_clean_text_limits_length_after_trimming():
    assert clean_text("  abc  ", max_length=3) == "abc"
    with pytest.raises(InputRefused) as refused:
        clean_text("abcd", max_length=3)
    assert refused.value.params == {"max": 3}


@given(st.integers())
def test_parse_id_accepts_exactly_the_ids_a_64_bit_key_holds(number):
    expected = number if 1 <= number <= MAX_ID else None
    assert parse_id(number) == expected
    assert parse_id(str(number)) == expected


@pytest.mark.parametrize("raw", ["²", "١٢", "1e3", " 5", "0x10", "", None, True, "5.0"])
def test_parse_id_refuses_what_is_not_ascii_digits(raw):
    assert parse_id(raw) is None


def test_dates_outside_the_sane_range_are_refused():
    assert check_date(date(2026, 1, 1)) == date(2026, 1, 1)
    for bad in (date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)):
        with pytest.raises(InputRefused):
            check_date(bad)


# --- declared fields: numbers, yes/no, choices given as pairs ----------------------------------

from decimal import Decimal  # noqa: E402

from oversight.core.errors import DomainError  # noqa: E402
from oversight.core.fields import FieldSpec, clean_value  # noqa: E402

QUANTITY = FieldSpec(
    "quantity", "数量", kind="decimal", decimals=3, minimum=Decimal("0.001"), unit="千克"
)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("12.5", Decimal("12.5")),
        (3.0, Decimal("3.0")),
        (7, Decimal(7)),
        (" 0.125 ", Decimal("0.125")),
    ],
)
def test_a_decimal_is_read_from_a_form_json_or_a_spreadsheet(raw, clean):
    assert clean_value(QUANTITY, raw) == clean


@pytest.mark.parametrize("raw", ["1e3", "abc", "0", "-1", "1.0001", True, "٣"])
def test_a_decimal_outside_its_rules_is_refused_naming_the_field(raw):
    with pytest.raises(DomainError) as refused:
        clean_value(QUANTITY, raw)
    assert refused.value.field == "quantity"


def test_yes_no_and_choices_given_as_pairs():
    flag = FieldSpec("vault", "金库", kind="boolean")
    assert clean_value(flag, "是") is True and clean_value(flag, "false") is False
    with pytest.raises(DomainError):
        clean_value(flag, "maybe")
    grade = FieldSpec("grade", "等级", kind="choice", choices=[("I", "一级"), ("II", "二级")])
    assert clean_value(grade, "II") == "II"
    with pytest.raises(DomainError) as refused:
        clean_value(grade, "III")
    assert "一级" in str(refused.value.message)
