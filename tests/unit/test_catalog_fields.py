"""Kinds of subject declare their own fields in catalog.yaml; the strict loader refuses every bad
declaration with its file and line, and the catalog hands the declarations to forms, the API and
validation as declared fields."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from oversight.catalog.loader import Catalog, CatalogError, load
from oversight.catalog.schema import AGENCY_KINDS, SubjectLinks
from oversight.core.fields import Fields, FieldSpec, clean_value
from tests.visible_text import identifier_like

ROOT = Path(__file__).resolve().parents[2] / "catalog"
CATALOG = load(ROOT)

# The common fields of every subject, as the subjects app names them.
COMMON = [
    "id",
    "kind",
    "name",
    "credit_code",
    "agency_id",
    "address",
    "contact_name",
    "contact_phone",
    "risk_grade",
    "status",
    "registered_on",
    "closed_on",
    "notes",
]


# --- helpers -----------------------------------------------------------------------------------


def with_kind(root: Path, body: str) -> Path:
    """Add a kind of subject (YAML, as under ``subject_kinds:``) to a copy of the catalog."""
    path = root / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "\nmethod_kinds:\n"
    assert text.count(marker) == 1
    kind = textwrap.indent(textwrap.dedent(body).strip("\n"), "  ")
    path.write_text(text.replace(marker, f"\n{kind}\n{marker}"), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The line of ``needle`` in the kind a test added (the one whose code starts TEST_)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if "- code: TEST_" in line)
    found = [n for n, line in enumerate(lines[start:], start=start + 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def problems(root: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def outside_kind(*fields: str, extra: str = "") -> str:
    """An outside kind with the given field declarations (one flow mapping a line) and
    ``extra`` keys (one line)."""
    declared = "\n".join(f"        - {f}" for f in fields)
    more = f"\n      {extra}" if extra else ""
    return f"""
    - code: TEST_KIND
      name: 测试对象
      internal: false
      credit_code: required{more}
      fields:
{declared}
    """


def refused(small_catalog: Path, body: str, needle: str) -> tuple[int, list[str]]:
    """Load the catalog with ``body`` added; return the line of ``needle`` and the problems."""
    path = with_kind(small_catalog, body)
    return line_of(path, needle), problems(small_catalog)


# --- the catalog as written --------------------------------------------------------------------


def test_a_declared_kind_loads(small_catalog):
    with_kind(
        small_catalog,
        outside_kind(
            "{name: grade, label: 等级, type: choice, required: true,"
            " choices: [{value: HIGH, label: 高}, {value: LOW, label: 低}]}",
            "{name: staff, label: 人数, type: integer, minimum: 0, maximum: 10, unit: 人}",
        ),
    )
    kind = load(small_catalog).subject_kind("TEST_KIND")
    assert [f.name for f in kind.fields] == ["grade", "staff"]


def test_every_kind_declares_fields_with_chinese_labels_and_help():
    for kind in CATALOG.header.subject_kinds:
        assert kind.fields, f"{kind.code} declares no fields"
        words = [kind.name, kind.description]
        for declared in kind.fields:
            words += [declared.label, declared.help, declared.unit, declared.pattern_message]
            words += [choice.label for choice in declared.choices]
        shown = "".join(f"<p>{w}</p>" for w in words if w)
        assert identifier_like(f"<html><body>{shown}</body></html>") == [], kind.code


def test_credit_codes_follow_who_the_subjects_are():
    credit = {k.code: k.credit_code for k in CATALOG.header.subject_kinds}
    linked = [k.code for k in CATALOG.header.subject_kinds if k.links]
    assert {credit[code] for code in linked} == {"none"}
    assert credit["PRECURSOR_ENTERPRISE"] == "optional"  # individuals have none
    for code in ("KEY_SECURITY_UNIT", "BANK", "INTERNET_SERVICE_UNIT", "INFO_SYSTEM_UNIT"):
        assert credit[code] == "required"


def test_every_police_body_but_the_permit_act_is_linked_to_the_organisation():
    internal = {k.code: k for k in CATALOG.header.subject_kinds if k.internal}
    assert {code for code, kind in internal.items() if kind.links is None} == {
        "PRECURSOR_PERMIT_ACT"
    }
    custody = internal["CUSTODY_FACILITY"].links
    assert custody is not None
    assert set(custody.agency_kinds) == {"DETENTION_CENTER", "CUSTODY_CENTER"}
    traffic = internal["TRAFFIC_DEPT"].links
    assert traffic is not None and traffic.departments == ["TRAFFIC"]


def test_the_permit_act_carries_the_permit_fields():
    fields = CATALOG.subject_fields("PRECURSOR_PERMIT_ACT")
    assert {"act", "activity", "category", "chemical", "quantity"} <= set(fields)
    assert {"approving_authority", "approved_on", "permit_number"} <= set(fields)
    assert fields["act"].choices == (("PERMIT", "许可"), ("FILING", "备案"))
    assert fields["quantity"].unit == "千克"
    assert all(fields[n].required for n in ("act", "activity", "category", "quantity"))


def test_agency_kinds_are_those_of_the_organisation():
    from oversight.org.models import AgencyKind

    assert set(AGENCY_KINDS) == set(AgencyKind.values)


# --- the Python interface ----------------------------------------------------------------------


def test_subject_kind_returns_the_kind_and_refuses_an_unknown_code():
    assert CATALOG.subject_kind("BANK").name == "银行业金融机构"
    with pytest.raises(KeyError):
        CATALOG.subject_kind("SPACESHIP")
    with pytest.raises(KeyError):
        CATALOG.subject_fields("SPACESHIP")


def test_subject_fields_are_declared_fields_built_once_per_catalog():
    fields = CATALOG.subject_fields("KEY_SECURITY_UNIT")
    assert isinstance(fields, Fields)
    assert CATALOG.subject_fields("KEY_SECURITY_UNIT") is fields
    level = fields["key_unit_level"]
    assert isinstance(level, FieldSpec)
    assert (level.kind, level.label, level.required) == ("choice", "重点单位等级", True)
    assert level.choices == (("PROVINCIAL", "省级"), ("CITY", "市级"), ("COUNTY", "县级"))
    staff = fields["security_staff"]
    assert (staff.kind, staff.minimum, staff.maximum, staff.unit) == (
        "integer",
        Decimal(0),
        Decimal(100000),
        "人",
    )
    assert fields["supervising_department"].max_length == 80
    assert fields["principal"].required is False


def test_a_text_field_without_a_max_length_holds_200_characters(small_catalog):
    with_kind(small_catalog, outside_kind("{name: remark, label: 备注说明, type: text}"))
    assert load(small_catalog).subject_fields("TEST_KIND")["remark"].max_length == 200


def test_declared_fields_check_values_as_declared():
    fields = CATALOG.subject_fields("INTERNET_SERVICE_UNIT")
    number = fields["filing_number"]
    assert clean_value(number, "冀公网安备13060202000001号") == "冀公网安备13060202000001号"
    with pytest.raises(Exception, match="格式如"):
        clean_value(number, "冀公网安备123号")
    quantity = CATALOG.subject_fields("PRECURSOR_PERMIT_ACT")["quantity"]
    assert clean_value(quantity, "12.5") == Decimal("12.5")
    with pytest.raises(Exception):  # noqa: B017 - the field's own refusal, whatever its words
        clean_value(quantity, "0")


def test_each_example_is_the_clean_value_it_stands_for():
    permit = CATALOG.subject_fields("PRECURSOR_PERMIT_ACT")
    assert permit["quantity"].example == Decimal(500)
    assert permit["approved_on"].example.isoformat() == "2025-03-12"
    assert CATALOG.subject_fields("ALARM_DESK_110")["auto_callback"].example is True
    for kind in CATALOG.header.subject_kinds:
        for spec in CATALOG.subject_fields(kind.code).specs:
            if spec.example is not None:
                assert clean_value(spec, spec.example) == spec.example


def test_a_stored_catalog_gives_the_same_fields():
    stored = Catalog.from_document(CATALOG.document())
    assert stored.subject_fields("BANK").specs == CATALOG.subject_fields("BANK").specs
    assert stored.subject_kind("TRAFFIC_DEPT").links == CATALOG.subject_kind("TRAFFIC_DEPT").links


def test_a_version_stored_before_kinds_declared_fields_still_reads():
    document = CATALOG.document()
    for kind in document["header"]["subject_kinds"]:
        for key in ("credit_code", "links", "fields"):
            kind.pop(key)
    old = Catalog.from_document(document)
    assert old.subject_kind("BANK").credit_code == "required"
    assert old.subject_kind("TRAFFIC_DEPT").credit_code == "none"
    assert len(old.subject_fields("BANK")) == 0


def test_links_match_agencies_by_kind_and_department():
    links = SubjectLinks(departments=["TRAFFIC"], agency_kinds=["DETACHMENT", "BRIGADE"])
    assert links.matches(agency_kind="BRIGADE", department="TRAFFIC")
    assert not links.matches(agency_kind="BRIGADE", department="CYBER")
    assert not links.matches(agency_kind="POLICE_STATION", department="TRAFFIC")
    by_kind = SubjectLinks(agency_kinds=["COMMAND_CENTER"])
    assert by_kind.matches(agency_kind="COMMAND_CENTER", department=None)


# --- what the strict loader refuses ------------------------------------------------------------


def test_an_unknown_key_in_a_declaration_is_refused(small_catalog):
    line, found = refused(
        small_catalog, outside_kind("{name: grade, label: 等级, type: text, colour: red}"), "colour"
    )
    assert found == [f"catalog.yaml:{line}: subject_kinds.17.fields.0.colour: unknown key"]


def test_an_unknown_type_is_refused(small_catalog):
    line, found = refused(
        small_catalog, outside_kind("{name: grade, label: 等级, type: colour}"), "colour"
    )
    assert len(found) == 1
    assert found[0].startswith(f"catalog.yaml:{line}: subject_kinds.17.fields.0.type: Input should")


def test_a_choice_field_without_choices_is_refused(small_catalog):
    line, found = refused(
        small_catalog, outside_kind("{name: grade, label: 等级, type: choice}"), "grade"
    )
    assert found == [f"catalog.yaml:{line}: grade: a choice field needs choices"]


def test_choices_on_a_field_that_is_not_a_choice_are_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: grade, label: 等级, type: text, choices: [{value: A, label: 甲}]}"),
        "grade",
    )
    assert found == [f"catalog.yaml:{line}: grade: only a choice field has choices"]


def test_a_choice_given_twice_is_refused(small_catalog):
    body = outside_kind(
        "{name: grade, label: 等级, type: choice, choices: [\n"
        "            {value: HIGH, label: 高},\n"
        "            {value: HIGH, label: 很高},\n"
        "            {value: LOW, label: 高}]}"
    )
    path = with_kind(small_catalog, body)
    assert problems(small_catalog) == [
        f"catalog.yaml:{line_of(path, '很高')}: grade: choice HIGH given twice",
        f"catalog.yaml:{line_of(path, 'LOW')}: grade: choice label 高 given twice",
    ]


def test_a_name_declared_twice_is_refused(small_catalog):
    body = outside_kind(
        "{name: grade, label: 等级, type: text}", "{name: grade, label: 级别, type: text}"
    )
    line, found = refused(small_catalog, body, "级别")
    assert found == [f"catalog.yaml:{line}: field grade declared twice"]


def test_a_label_used_twice_is_refused(small_catalog):
    body = outside_kind(
        "{name: grade, label: 等级, type: text}", "{name: level, label: 等级, type: text}"
    )
    line, found = refused(small_catalog, body, "level")
    assert found == [f"catalog.yaml:{line}: label 等级 used twice"]


@pytest.mark.parametrize("name", COMMON)
def test_a_common_field_name_is_refused(small_catalog, name):
    line, found = refused(
        small_catalog, outside_kind(f"{{name: {name}, label: 某项, type: text}}"), "某项"
    )
    assert found == [
        f"catalog.yaml:{line}: {name} is a common field of every subject: choose another name"
    ]


@pytest.mark.parametrize("name", ["Grade", "grade__level", "grade_", "2grade", "等级"])
def test_a_name_that_is_not_snake_case_is_refused(small_catalog, name):
    line, found = refused(
        small_catalog, outside_kind(f"{{name: {name}, label: 某项, type: text}}"), "某项"
    )
    assert len(found) == 1
    assert found[0].startswith(f"catalog.yaml:{line}: subject_kinds.17.fields.0.name: String")


def test_a_pattern_that_does_not_compile_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: code, label: 编号, type: text, pattern: '[0-9'}"),
        "编号",
    )
    assert len(found) == 1
    assert found[0].startswith(f"catalog.yaml:{line}: code: the pattern does not compile:")


def test_a_pattern_on_a_field_that_is_not_text_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: staff, label: 人数, type: integer, pattern: '[0-9]+'}"),
        "人数",
    )
    assert found == [f"catalog.yaml:{line}: staff: only a text field has a pattern"]


def test_a_pattern_message_without_a_pattern_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: code, label: 编号, type: text, pattern_message: 格式不对}"),
        "编号",
    )
    assert found == [f"catalog.yaml:{line}: code: a pattern_message needs a pattern"]


def test_a_max_length_on_a_field_that_is_not_text_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: since, label: 日期, type: date, max_length: 10}"),
        "日期",
    )
    assert found == [f"catalog.yaml:{line}: since: only a text field has a max_length"]


def test_a_minimum_above_the_maximum_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: staff, label: 人数, type: integer, minimum: 10, maximum: 1}"),
        "人数",
    )
    assert found == [f"catalog.yaml:{line}: staff: minimum 10 is above maximum 1"]


@pytest.mark.parametrize("key", ["minimum: 1", "maximum: 1", "unit: 人"])
def test_a_bound_or_unit_on_a_field_that_is_not_a_number_is_refused(small_catalog, key):
    line, found = refused(
        small_catalog, outside_kind(f"{{name: code, label: 编号, type: text, {key}}}"), "编号"
    )
    word = key.split(":")[0]
    assert found == [
        f"catalog.yaml:{line}: code: only a number field (integer or decimal) has a {word}"
    ]


@pytest.mark.parametrize("field_type", ["integer", "text", "date"])
def test_decimals_on_a_field_that_is_not_a_decimal_are_refused(small_catalog, field_type):
    line, found = refused(
        small_catalog,
        outside_kind(f"{{name: amount, label: 数额, type: {field_type}, decimals: 2}}"),
        "数额",
    )
    assert f"catalog.yaml:{line}: amount: only a decimal field has decimals" in found


def test_decimals_on_a_decimal_are_taken(small_catalog):
    with_kind(
        small_catalog, outside_kind("{name: amount, label: 数额, type: decimal, decimals: 2}")
    )
    assert load(small_catalog).subject_fields("TEST_KIND")["amount"].decimals == 2


def test_a_fractional_bound_of_an_integer_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind("{name: staff, label: 人数, type: integer, minimum: 0.5}"),
        "人数",
    )
    assert found == [
        f"catalog.yaml:{line}: staff: the minimum of an integer field must be a whole number"
    ]


def test_an_example_that_does_not_pass_is_refused(small_catalog):
    line, found = refused(
        small_catalog,
        outside_kind(
            "{name: code, label: 编号, type: text, pattern: '[0-9]{4}',"
            " pattern_message: 填四位数字, example: '12a4'}"
        ),
        "编号",
    )
    assert found == [f"catalog.yaml:{line}: code: the example does not pass: 填四位数字"]


def test_a_bad_credit_code_value_is_refused(small_catalog):
    body = outside_kind("{name: grade, label: 等级, type: text}").replace(
        "credit_code: required", "credit_code: sometimes"
    )
    line, found = refused(small_catalog, body, "sometimes")
    assert len(found) == 1
    assert found[0].startswith(
        f"catalog.yaml:{line}: subject_kinds.17.credit_code: Input should be 'required',"
    )


def test_a_kind_must_say_whether_it_has_a_credit_code(small_catalog):
    body = outside_kind("{name: grade, label: 等级, type: text}").replace(
        "credit_code: required", "description: 无"
    )
    found = problems(with_kind(small_catalog, body).parent)
    assert found == [
        f"catalog.yaml:{line_of(small_catalog / 'catalog.yaml', 'TEST_KIND')}:"
        " subject_kinds.17.credit_code: Field required"
    ]


def test_a_kind_defined_twice_is_refused(small_catalog):
    body = outside_kind("{name: grade, label: 等级, type: text}").replace("TEST_KIND", "BANK")
    path = with_kind(small_catalog, body.replace("测试对象", "测试银行"))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "测试银行" in text) - 1
    assert problems(small_catalog) == [f"catalog.yaml:{line}: subject kind BANK defined twice"]


# --- links -------------------------------------------------------------------------------------


def internal_kind(
    links: str | None, field: str = "{name: staff, label: 人数, type: integer}"
) -> str:
    link_line = f"\n      links: {links}" if links is not None else ""
    return f"""
    - code: TEST_BODY
      name: 测试机构
      internal: true
      credit_code: none{link_line}
      fields:
        - {field}
    """


def test_a_linked_internal_kind_loads(small_catalog):
    with_kind(small_catalog, internal_kind("{departments: [CYBER], agency_kinds: [BRIGADE]}"))
    links = load(small_catalog).subject_kind("TEST_BODY").links
    assert links is not None and links.agency_kinds == ["BRIGADE"]


def test_links_none_makes_a_kind_of_records(small_catalog):
    with_kind(small_catalog, internal_kind("none"))
    assert load(small_catalog).subject_kind("TEST_BODY").links is None


def test_links_on_an_outside_kind_are_refused(small_catalog):
    body = outside_kind(
        "{name: grade, label: 等级, type: text}", extra="links: {agency_kinds: [BUREAU]}"
    )
    line, found = refused(small_catalog, body, "agency_kinds: [BUREAU]}")
    assert found == [f"catalog.yaml:{line}: links: only an internal kind (a police body) has links"]


def test_links_none_on_an_outside_kind_is_refused_too(small_catalog):
    body = outside_kind("{name: grade, label: 等级, type: text}", extra="links: none")
    line, found = refused(small_catalog, body, "links: none")
    assert found == [f"catalog.yaml:{line}: links: only an internal kind (a police body) has links"]


def test_an_internal_kind_without_links_is_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind(None), "TEST_BODY")
    assert len(found) == 1
    assert found[0].startswith(
        f"catalog.yaml:{line}: TEST_BODY: an internal kind says which rows of the organisation"
    )


def test_empty_links_are_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind(""), "links:")
    assert found == [f"catalog.yaml:{line}: links: write none, or the rows that are subjects"]


def test_links_that_name_nothing_are_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind("{}"), "links:")
    assert len(found) == 1
    assert found[0].startswith(f"catalog.yaml:{line}: subject_kinds.17.links: Value error")
    assert "name agency_kinds or departments" in found[0]


def test_links_naming_an_unknown_agency_kind_are_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind("{agency_kinds: [BRIGADE, SQUAD]}"), "SQUAD")
    assert found == [f"catalog.yaml:{line}: unknown agency kind SQUAD"]


def test_links_naming_an_unknown_department_are_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind("{departments: [ASTRONAUTS]}"), "ASTRO")
    assert found == [f"catalog.yaml:{line}: unknown department ASTRONAUTS"]


def test_an_unknown_key_in_links_is_refused(small_catalog):
    line, found = refused(small_catalog, internal_kind("{agency_kind: [BRIGADE]}"), "agency_kind:")
    assert found == [f"catalog.yaml:{line}: subject_kinds.17.links.agency_kind: unknown key"]


def test_a_linked_kind_cannot_require_a_field(small_catalog):
    body = internal_kind(
        "{agency_kinds: [BRIGADE]}",
        field="{name: staff, label: 人数, type: integer, required: true}",
    )
    line, found = refused(small_catalog, body, "人数")
    assert len(found) == 1
    assert found[0].startswith(f"catalog.yaml:{line}: staff: subjects linked to the organisation")


def test_a_kind_of_records_may_require_a_field(small_catalog):
    body = internal_kind("none", field="{name: staff, label: 人数, type: integer, required: true}")
    with_kind(small_catalog, body)
    assert load(small_catalog).subject_fields("TEST_BODY")["staff"].required
