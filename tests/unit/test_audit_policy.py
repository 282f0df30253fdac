"""Masks for personal data shown to the audit administrator (pure functions)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.audit.policy import (
    mask_id_number,
    mask_middle,
    mask_name,
    mask_phone,
    mask_warrant_number,
)


@pytest.mark.parametrize(
    "mask, value, shown",
    [
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "0312-5551234", "031*****1234"),
        (mask_phone, "1234567", "1*****7"),
        (mask_phone, "110", "***"),
        (mask_id_number, "110101199001011234", "110***********1234"),
        (mask_warrant_number, "T500001", "T5***01"),
        (mask_warrant_number, "A1234567890123456789", "A1****************89"),
        (mask_phone, "", ""),
    ],
)
def test_numbers_keep_only_their_ends(mask, value, shown):
    assert mask(value) == shown


@pytest.mark.parametrize(
    "name, shown",
    [
        ("王小明", "王*"),
        ("欧阳修", "欧*"),
        ("李四", "李*"),
        ("王", "*"),
        (" 张三 ", "张*"),
        ("", ""),
    ],
)
def test_a_name_keeps_its_first_character_and_hides_its_length(name, shown):
    assert mask_name(name) == shown


@given(
    st.text(min_size=1, max_size=40),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=6),
)
def test_a_mask_keeps_the_length_and_hides_at_least_a_third(value, start, end):
    masked = mask_middle(value, keep_start=start, keep_end=end)

    assert len(masked) == len(value)
    hidden = sum(1 for a, b in zip(value, masked, strict=True) if b == "*" and a != "*")
    assert hidden + value.count("*") >= -(-len(value) // 3)
    assert masked != value or set(value) == {"*"}
