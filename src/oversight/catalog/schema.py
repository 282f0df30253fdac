"""The shape of the catalog: regimes, provisions and effective-dated figures. Pure: no Django.

Every model forbids unknown keys. Cross-references (a provision id, a subject kind, a figure key)
are checked by ``Catalog`` once every file is read, so that a dangling one names its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

CODE = r"^[A-Z][A-Z0-9_]{1,39}$"
ITEM_CODE = r"^[A-Z][A-Z0-9_]{0,19}$"
PROVISION_ID = r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$"
FIGURE_KEY = r"^[a-z][a-z0-9_]{1,39}$"

Unit = Literal[
    "CNY",  # 元
    "days",  # 日 (calendar)
    "working_days",  # 工作日
    "hours",  # 小时
    "months",  # 月
    "percent",  # %
    "points",  # 分
    "count",  # 次、项
    "officers",  # 人 (民警)
]
Mode = Literal["PERIODIC", "AD_HOC", "SPECIAL", "RANDOM"]
Who = Literal["SELF", "PEER", "SPOT", "SUPERIOR"]
Status = Literal["verified", "unconfirmed"]
HandlingKind = Literal[
    "RECTIFICATION",  # 责令(限期)整改 / 改正
    "WARNING",  # 警告 (行政处罚)
    "FINE",  # 罚款
    "CONFISCATION",  # 没收
    "SUSPENSION",  # 停产停业整顿 / 停止施工
    "REVOCATION",  # 吊销许可证
    "CORRECTION_ORDER",  # 责令纠正或者撤销
    "CIRCULAR",  # 通报 (批评 / 情况)
    "AWARD_EXCLUSION",  # 取消评优资格
    "SANCTION_RECOMMENDATION",  # 建议给予处分
    "ACCOUNTABILITY",  # 追究执法过错责任 / 处分
    "REFERRAL",  # 移送督察、纪检、司法机关
    "CRIMINAL_LIABILITY",  # 追究刑事责任
    "COMPENSATION",  # 承担赔偿责任
    "WRITTEN_SELF_CRITICISM",  # 责令书面检查
    "CONFINEMENT",  # 禁闭
    "GRADING",  # 等级评定 / 预警等级
    "PROBATION",  # 后进所挂牌整顿
    "DETERMINATION",  # 责任认定
    "FEEDBACK",  # 反馈、督促整改
    "OTHER",
]
Target = Literal["UNIT", "PERSON", "AGENCY", "OFFICER"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- law ---------------------------------------------------------------------------------------


class Provision(Strict):
    """One cited article (or paragraph) of an instrument."""

    id: str = Field(pattern=PROVISION_ID)
    article: str = Field(min_length=1)
    text: str = Field(min_length=1)
    status: Status
    note: str = ""  # for every reader, in plain Chinese: what the provision means here
    sourcing: str = ""  # for legal officers: where the text comes from and what awaits a check
    seed_text: str = ""  # the seed's wording, where it differs from the law's


class Instrument(Strict):
    """A law, regulation, rule or local document, with the provisions the catalog cites."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    number: str = ""
    promulgated_on: date | None = None
    effective_on: date | None = None
    text_file: str = ""  # file name under catalog/law/texts/, when the full text is held
    source: str = ""  # where the text was taken from, for maintainers (never shown)
    note: str = ""  # for every reader
    sourcing: str = ""  # for legal officers: how far the text can be relied on
    provisions: list[Provision] = Field(min_length=1)

    @model_validator(mode="after")
    def _provisions_belong(self) -> Instrument:
        for p in self.provisions:
            if not p.id.startswith(f"{self.id}."):
                raise ValueError(f"provision {p.id} must start with {self.id}.")
        return self


# --- figures -----------------------------------------------------------------------------------


class FigureValue(Strict):
    """A value in force from a date: a single ``value``, or a ``min``/``max`` range."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    since: date = Field(alias="from")
    value: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> FigureValue:
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("give a value, or a min and/or max")
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either a value or a min/max range, not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Figure(Strict):
    """A number from law or local rule (a fine range, a day count, a weight, a cap)."""

    label: str = Field(min_length=1)
    unit: Unit
    reference: str = Field(pattern=PROVISION_ID)
    quote: str = ""  # the words of the provision that state the figure
    values: list[FigureValue] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _dates_increase(cls, values: list[FigureValue]) -> list[FigureValue]:
        for earlier, later in pairwise(values):
            if later.since <= earlier.since:
                raise ValueError("values must be in increasing order of their 'from' dates")
        return values

    def value_at(self, day: date) -> FigureValue | None:
        """Return the value in force on ``day``, or None before the first one took effect."""
        current = None
        for candidate in self.values:
            if candidate.since <= day:
                current = candidate
        return current


# --- the six parts -----------------------------------------------------------------------------


class Item(Strict):
    """One numbered point of the seed, in its own words."""

    code: str = Field(pattern=ITEM_CODE)
    text: str = Field(min_length=1)
    reference: str | None = Field(default=None, pattern=PROVISION_ID)
    applies_to: list[str] = []  # subject kinds this item is for (all of the regime's if empty)
    note: str = ""  # for every reader, in plain Chinese
    sourcing: str = ""  # for legal officers: how the item was read from the seed or the law


class MethodItem(Item):
    kind: str = Field(pattern=CODE)  # a method kind of catalog.yaml
    modes: list[Mode] = []
    who: list[Who] = []
    announced: bool | None = None  # 明查 True / 暗访 False / either None


class HandlingItem(Item):
    kind: HandlingKind
    target: Target | None = None
    figures: list[str] = []  # keys of the regime's figures this form uses
    condition: str = ""


class Part(Strict):
    intro: str = ""
    items: list[Item] = []


class MethodPart(Strict):
    intro: str = ""
    items: list[MethodItem] = Field(min_length=1)


class HandlingPart(Strict):
    intro: str = ""
    items: list[HandlingItem] = []


class Frequency(Strict):
    """How often a method must be applied, e.g. on site once a month.

    ``method`` is a method kind of catalog.yaml that one of the regime's methods is of;
    ``figure`` the regime's figure saying how many times (or hours) per ``per``; ``applies_to``
    the subject kinds that are owed the rhythm (all of the regime's if empty).
    """

    method: str = Field(pattern=CODE)
    figure: str = Field(pattern=FIGURE_KEY)
    per: Literal["day", "month", "year"]
    text: str = ""
    applies_to: list[str] = []


class RecordRule(Strict):
    """The written record (检查笔录) a valid inspection produces."""

    required: bool = True
    signed_by: list[Literal["INSPECTORS", "REPRESENTATIVE", "WITNESS", "INSPECTED"]] = []
    refusal_noted: bool = False
    objection_allowed: bool = False


class ProcedureRules(Strict):
    min_inspectors: str | None = Field(default=None, pattern=FIGURE_KEY)
    show_credentials: bool = False
    record: RecordRule | None = None
    frequencies: list[Frequency] = []
    liaison_required: bool = False


class Procedure(Strict):
    intro: str = ""
    items: list[Item] = []
    rules: ProcedureRules = ProcedureRules()


class Objects(Strict):
    text: str = Field(min_length=1)
    subject_kinds: list[str] = Field(min_length=1)


# --- scoring, grading, approvals ---------------------------------------------------------------


class ScoreComponent(Strict):
    code: str = Field(pattern=ITEM_CODE)
    text: str = Field(min_length=1)
    weight: str = Field(pattern=FIGURE_KEY)  # a figure in points


class ScoringScheme(Strict):
    total: str = Field(pattern=FIGURE_KEY)
    components: list[ScoreComponent] = Field(min_length=1)
    publication: str = ""
    recheck_limit: str | None = Field(default=None, pattern=FIGURE_KEY)
    veto: list[Item] = []
    award_exclusions: list[Item] = []
    grades: list[str] = []


class Grading(Strict):
    text: str = Field(min_length=1)
    period: Literal["YEAR", "QUARTER", "MONTH", "ON_EVENT"]
    levels: list[str] = []
    items: list[Item] = []


class ApprovalStep(Strict):
    code: str = Field(pattern=ITEM_CODE)
    text: str = Field(min_length=1)


class ApprovalChain(Strict):
    code: str = Field(pattern=CODE)
    text: str = Field(min_length=1)
    steps: list[ApprovalStep] = Field(min_length=1)


class PermitRule(Strict):
    """Which act a category of controlled goods needs, and who decides (许可/备案 matrix)."""

    category: int = Field(ge=1, le=3)  # 第一类、第二类、第三类
    activity: Literal["PURCHASE", "TRANSPORT"]
    act: Literal["PERMIT", "FILING"]  # 许可 / 备案
    decided_by: str = Field(min_length=1)
    reference: str = Field(pattern=PROVISION_ID)
    in_scope: bool = True  # False where the city and counties do not decide it (e.g. 省级)


class SeedSpan(Strict):
    """Where the regime stands in the seed: its first and last lines (verbatim)."""

    first: str = Field(min_length=1)
    last: str = Field(min_length=1)


# --- the regime --------------------------------------------------------------------------------


class Regime(Strict):
    code: str = Field(pattern=CODE)
    title: str = Field(min_length=1)
    section: str = Field(min_length=1)  # the seed's numbering, e.g. "（五）二"
    group: str | None = Field(default=None, pattern=CODE)
    group_title: str = ""
    department: str = Field(pattern=CODE)
    basis: list[str] = []
    preamble: str = ""
    objects: Objects
    content: Part
    methods: MethodPart
    measures: Part = Part()
    procedure: Procedure = Procedure()
    handling: HandlingPart = HandlingPart()
    correction_grounds: list[Item] = []
    fault_types: list[Item] = []
    accountability_forms: list[HandlingItem] = []
    violations: list[Item] = []
    determination_steps: list[Item] = []
    figures: dict[str, Figure] = {}
    sampling_cap: str | None = Field(default=None, pattern=FIGURE_KEY)
    scoring: ScoringScheme | None = None
    grading: Grading | None = None
    approval_chains: list[ApprovalChain] = []
    permit_matrix: list[PermitRule] = []
    seed: SeedSpan

    def item_lists(self) -> list[tuple[tuple[str, ...], Sequence[Item]]]:
        """Return every list of items in the regime, each with its path in the regime file."""
        lists: list[tuple[tuple[str, ...], Sequence[Item]]] = [
            (("content", "items"), self.content.items),
            (("methods", "items"), self.methods.items),
            (("measures", "items"), self.measures.items),
            (("procedure", "items"), self.procedure.items),
            (("handling", "items"), self.handling.items),
            (("correction_grounds",), self.correction_grounds),
            (("fault_types",), self.fault_types),
            (("accountability_forms",), self.accountability_forms),
            (("violations",), self.violations),
            (("determination_steps",), self.determination_steps),
        ]
        if self.scoring:
            lists.append((("scoring", "veto"), self.scoring.veto))
            lists.append((("scoring", "award_exclusions"), self.scoring.award_exclusions))
        if self.grading:
            lists.append((("grading", "items"), self.grading.items))
        return lists

    def cited(self) -> set[str]:
        """Return the ids of every provision the regime cites: basis, items, figures, permits."""
        return (
            set(self.basis)
            | {i.reference for _, items in self.item_lists() for i in items if i.reference}
            | {f.reference for f in self.figures.values()}
            | {r.reference for r in self.permit_matrix}
        )

    @field_validator("figures")
    @classmethod
    def _figure_keys(cls, figures: dict[str, Figure]) -> dict[str, Figure]:
        for key in figures:
            if not re.match(FIGURE_KEY, key):
                raise ValueError(f"figure key {key!r} must be lower_snake_case")
        return figures


# --- the catalog file and test cases ----------------------------------------------------------


# The kinds of agency of ``oversight.org.models.AgencyKind``. The catalog sits below the
# organisation and cannot import it; a test keeps the two lists equal.
AGENCY_KINDS = (
    "BUREAU",
    "DETACHMENT",
    "BRIGADE",
    "POLICE_STATION",
    "DETENTION_CENTER",
    "CUSTODY_CENTER",
    "COMMAND_CENTER",
    "OFFICE",
)

# The common fields every subject has (the subjects app declares them): a kind's own fields
# never take these names.
RESERVED_FIELD_NAMES = frozenset(
    {
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
        # and what the subjects app keeps beside them
        "agency",
        "attributes",
        "natural_key",
        "linked_agency",
        "linked_agency_id",
        "linked_department",
        "linked_department_id",
        "created_at",
        "updated_at",
        # and the rows that point at a subject
        "changes",
        "conflicts",
    }
)
FIELD_NAME = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"  # snake_case: no double or trailing underscore
CHOICE_VALUE = r"^[A-Z][A-Z0-9_]{0,39}$"
FieldType = Literal["text", "choice", "date", "integer", "decimal", "boolean"]
NUMBER_TYPES = ("integer", "decimal")
# Text of a declared field without its own ``max_length`` holds at most this many characters.
DEFAULT_TEXT_LENGTH = 200


def _as_typed(value: Any) -> Any:
    """Read a YAML scalar as a user types it: dates as YYYY-MM-DD, yes and no as 是 and 否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


class FieldChoice(Strict):
    value: str = Field(pattern=CHOICE_VALUE)  # stored and sent by the API
    label: str = Field(min_length=1)  # what users read and type (in Chinese)


class SubjectField(Strict):
    """An attribute a kind of subject carries beyond the common ones, e.g. 重点单位等级.

    Forms, import templates, API schemas and validation are all made from it (see
    ``oversight.catalog.fields``). The loader checks that its keys fit its type (``problems``).
    """

    name: str = Field(pattern=FIELD_NAME, max_length=40)
    label: str = Field(min_length=1, max_length=40)
    type: FieldType
    required: bool = False
    choices: list[FieldChoice] = []
    pattern: str | None = None  # a Python regular expression the whole text must match
    pattern_message: str = ""  # what a user is told when it does not
    max_length: int | None = Field(default=None, ge=1, le=2000)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int | None = Field(default=None, ge=0, le=6)
    unit: str = ""  # what a number counts (人, 千克), shown beside it
    help: str = ""  # for users, in Chinese: what to fill in
    # A value that passes, as typed into a spreadsheet cell: a template's 填写示例 row, the demo.
    example: Annotated[str | None, BeforeValidator(_as_typed)] = None

    def problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Yield (path within the declaration, message) for every key that does not fit."""
        if self.type == "choice" and not self.choices:
            yield ("type",), "a choice field needs choices"
        if self.type != "choice" and self.choices:
            yield ("choices",), "only a choice field has choices"
        yield from self._choice_problems()
        yield from self._text_problems()
        yield from self._number_problems()

    def _choice_problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        values: set[str] = set()
        labels: set[str] = set()
        for k, choice in enumerate(self.choices):
            if choice.value in values:
                yield ("choices", k, "value"), f"choice {choice.value} given twice"
            if choice.label in labels:
                yield ("choices", k, "label"), f"choice label {choice.label} given twice"
            values.add(choice.value)
            labels.add(choice.label)

    def _text_problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if self.pattern is not None:
            if self.type != "text":
                yield ("pattern",), "only a text field has a pattern"
            else:
                try:
                    re.compile(self.pattern)
                except re.error as exc:
                    yield ("pattern",), f"the pattern does not compile: {exc}"
        if self.pattern_message and self.pattern is None:
            yield ("pattern_message",), "a pattern_message needs a pattern"
        if self.max_length is not None and self.type != "text":
            yield ("max_length",), "only a text field has a max_length"

    def _number_problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        number = self.type in NUMBER_TYPES
        for key in ("minimum", "maximum", "unit"):
            if getattr(self, key) not in (None, "") and not number:
                yield (key,), f"only a number field (integer or decimal) has a {key}"
        if self.decimals is not None and self.type != "decimal":
            yield ("decimals",), "only a decimal field has decimals"
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and low > high:
            yield ("minimum",), f"minimum {low} is above maximum {high}"
        if self.type == "integer":
            for key, bound in (("minimum", low), ("maximum", high)):
                if bound is not None and bound != bound.to_integral_value():
                    yield (key,), f"the {key} of an integer field must be a whole number"


class SubjectLinks(Strict):
    """Which rows of the organisation are subjects of an internal kind: every agency whose kind is
    among ``agency_kinds`` (any kind if empty) and whose department is among ``departments`` (any
    or none if empty)."""

    agency_kinds: list[str] = []  # of AGENCY_KINDS
    departments: list[str] = []  # department codes of catalog.yaml

    @model_validator(mode="after")
    def _says_something(self) -> SubjectLinks:
        if not self.agency_kinds and not self.departments:
            raise ValueError("name agency_kinds or departments (or write links: none)")
        return self

    def matches(self, *, agency_kind: str, department: str | None) -> bool:
        """Say whether an agency of this kind and department code is a subject of the kind."""
        return (not self.agency_kinds or agency_kind in self.agency_kinds) and (
            not self.departments or department in self.departments
        )


def _none_is_null(value: Any) -> Any:
    return None if value == "none" else value


class SubjectKind(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1)
    internal: bool  # a police body (True) or an outside unit, enterprise or person (False)
    description: str = ""
    # Whether its subjects carry a 统一社会信用代码.
    credit_code: Literal["required", "optional", "none"]
    # Internal kinds only: the rows of the organisation that are its subjects, or ``none`` (read
    # as null) when its subjects are records typed or imported like external ones.
    links: Annotated[SubjectLinks | None, BeforeValidator(_none_is_null)] = None
    fields: list[SubjectField] = []


class MethodKind(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1)
    remote: bool = False


class DepartmentRef(Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1)


# The risk grades of a subject (``oversight.subjects.models.RiskGrade``), A the highest. The
# catalog sits below the registry and cannot import it; a test keeps the two lists equal.
RISK_GRADES = ("A", "B", "C", "D")
MAX_DRAW_WEIGHT = 1000  # the draw file's bound on a weight (``oversight.planning.verify``)


class GradeWeights(Strict):
    """The weight of each risk grade in a target draw, in force from a date."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    since: date = Field(alias="from")
    A: int = Field(ge=1, le=MAX_DRAW_WEIGHT)
    B: int = Field(ge=1, le=MAX_DRAW_WEIGHT)
    C: int = Field(ge=1, le=MAX_DRAW_WEIGHT)
    D: int = Field(ge=1, le=MAX_DRAW_WEIGHT)

    def by_grade(self) -> dict[str, int]:
        return {grade: getattr(self, grade) for grade in RISK_GRADES}


class DrawWeights(Strict):
    """How likely a subject of each risk grade is to be drawn for a random check (双随机): a
    figure of the whole catalog, effective-dated and citing its provision like any other."""

    label: str = Field(min_length=1)
    reference: str = Field(pattern=PROVISION_ID)
    quote: str = ""  # the words of the provision that state the weights
    values: list[GradeWeights] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _dates_increase(cls, values: list[GradeWeights]) -> list[GradeWeights]:
        for earlier, later in pairwise(values):
            if later.since <= earlier.since:
                raise ValueError("values must be in increasing order of their 'from' dates")
        return values

    def value_at(self, day: date) -> GradeWeights | None:
        """Return the weights in force on ``day``, or None before the first took effect."""
        current = None
        for candidate in self.values:
            if candidate.since <= day:
                current = candidate
        return current


class CatalogHeader(Strict):
    name: str
    departments: list[DepartmentRef] = Field(min_length=1)
    subject_kinds: list[SubjectKind] = Field(min_length=1)
    method_kinds: list[MethodKind] = Field(min_length=1)
    # Weights of the subjects of a target draw by risk grade; none: every subject weighs 1.
    draw_weights: DrawWeights | None = None


class Case(Strict):
    """One executable statement about a regime, e.g. that a fine is out of range."""

    name: str = Field(min_length=1)
    check: Literal["fine_in_range", "figure_value", "sampling_allowed", "weighted_total"]
    figure: str | None = Field(default=None, pattern=FIGURE_KEY)
    on: date
    amount: Decimal | None = None
    population: int | None = None
    drawn: int | None = None
    scores: dict[str, Decimal] = {}
    expect: bool | Decimal | dict[str, Decimal]


class CaseFile(Strict):
    regime: str = Field(pattern=CODE)
    cases: list[Case] = Field(min_length=1)
