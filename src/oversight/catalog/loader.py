"""Read the catalog directory strictly: all of it, or nothing, with the file and line of each fault.

Layout::

    catalog/catalog.yaml            departments, subject kinds, method kinds
    catalog/provisions/*.yaml       one instrument each, with the provisions the catalog cites
    catalog/regimes/*.yaml          one regime each
    catalog/regimes/*.cases.yaml    executable test cases of a regime

Pure Python (PyYAML and pydantic); no Django settings or database. Django's translation helpers
come in only with the declared fields handed to forms (``Catalog.subject_fields``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from oversight.catalog.citation import cite
from oversight.catalog.fields import field_spec, field_specs
from oversight.catalog.schema import (
    AGENCY_KINDS,
    RESERVED_FIELD_NAMES,
    CaseFile,
    CatalogHeader,
    DrawWeights,
    Figure,
    Frequency,
    Instrument,
    Item,
    MethodItem,
    Provision,
    Regime,
    SubjectKind,
)
from oversight.core.errors import DomainError
from oversight.core.fields import Fields

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CatalogError(Exception):
    """The catalog does not load; ``problems`` lists every fault found, with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"the catalog does not load: {head}{more}")


# --- YAML with line numbers and no duplicate keys ----------------------------------------------


class _Document:
    """A parsed YAML file: its data, and the line of every path inside it."""

    def __init__(self, file: str, data: Any, lines: dict[Path_, int]) -> None:
        self.file = file
        self.data = data
        self.lines = lines

    def line_of(self, path: Iterable[str | int]) -> int:
        """Return the line of the deepest known node on ``path`` (1 for the file itself)."""
        parts = tuple(path)
        while parts and parts not in self.lines:
            parts = parts[:-1]
        return self.lines.get(parts, 1)

    def problem(self, path: Iterable[str | int], message: str) -> Problem:
        return Problem(self.file, self.line_of(path), message)


def _read_yaml(path: Path, root: Path) -> _Document:
    name = str(path.relative_to(root))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError([Problem(name, 1, f"not UTF-8 text: {exc.reason}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CatalogError(
            [Problem(name, line, f"not valid YAML: {exc}".splitlines()[0])]
        ) from None
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    constructor = yaml.SafeLoader("")

    def convert(node: yaml.Node | None, at: Path_) -> Any:
        if node is None:
            return None
        lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                # Keys are taken as written: YAML 1.1 would read on/yes/no as booleans.
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(
                        Problem(name, key_node.start_mark.line + 1, "a key must be text")
                    )
                    continue
                key = str(key_node.value)
                if key in result:
                    problems.append(
                        Problem(name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
                    )
                    continue
                result[key] = convert(value_node, (*at, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [convert(child, (*at, i)) for i, child in enumerate(node.value)]
        return convert_scalar(node, at)

    def convert_scalar(node: yaml.Node, at: Path_) -> Any:
        try:
            return constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            problems.append(
                Problem(name, node.start_mark.line + 1, f"invalid value {node.value!r}: {exc}")
            )
            return node.value

    data = convert(node, ())
    if problems:
        raise CatalogError(problems)
    return _Document(name, data, lines)


def _validate(doc: _Document, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "(file)"
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(doc.problem(error["loc"], f"{where}: {message}"))
        raise CatalogError(problems) from None


# --- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """Everything the catalog directory says, checked and cross-referenced."""

    header: CatalogHeader
    instruments: dict[str, Instrument]
    regimes: dict[str, Regime]
    cases: dict[str, CaseFile] = field(default_factory=dict)

    @cached_property
    def provisions(self) -> dict[str, Provision]:
        return {p.id: p for i in self.instruments.values() for p in i.provisions}

    def instrument_of(self, provision_id: str) -> Instrument:
        return self.instruments[provision_id.split(".", 1)[0]]

    @cached_property
    def citations(self) -> dict[str, str]:
        """Each provision's citation for people, by provision id (see ``citation.cite``)."""
        return {
            p.id: cite(instrument, p)
            for instrument in self.instruments.values()
            for p in instrument.provisions
        }

    @cached_property
    def _subject_kinds(self) -> dict[str, SubjectKind]:
        return {k.code: k for k in self.header.subject_kinds}

    def subject_kind(self, code: str) -> SubjectKind:
        """Return the kind of subject ``code``; raise KeyError if the catalog has none such."""
        return self._subject_kinds[code]

    @cached_property
    def _subject_fields(self) -> dict[str, Fields]:
        return {code: field_specs(kind) for code, kind in self._subject_kinds.items()}

    def subject_fields(self, code: str) -> Fields:
        """Return the fields kind ``code`` declares beyond the common ones; KeyError if unknown."""
        return self._subject_fields[code]

    def document(self) -> dict[str, Any]:
        """Return the whole catalog as plain JSON data (the export, and what a version stores)."""
        return {
            "header": self.header.model_dump(mode="json", by_alias=True),
            "instruments": [i.model_dump(mode="json") for i in self.instruments.values()],
            "regimes": [r.model_dump(mode="json", by_alias=True) for r in self.regimes.values()],
            "cases": [c.model_dump(mode="json") for c in self.cases.values()],
        }

    def content_hash(self) -> str:
        data = json.dumps(
            self.document(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Catalog:
        """Rebuild a catalog from ``document()`` (as stored with a version)."""
        header = CatalogHeader.model_validate(_upgraded_header(document["header"]))
        instruments = {i["id"]: Instrument.model_validate(i) for i in document["instruments"]}
        regimes = {r["code"]: Regime.model_validate(r) for r in document["regimes"]}
        cases = {c["regime"]: CaseFile.model_validate(c) for c in document.get("cases", [])}
        return cls(header, instruments, regimes, cases)


def _upgraded_header(header: dict[str, Any]) -> dict[str, Any]:
    """A header stored before kinds said whether they carry a credit code: say it as then meant
    (outside units do, police bodies do not)."""
    kinds = header.get("subject_kinds", [])
    if all("credit_code" in kind for kind in kinds):
        return header
    return {
        **header,
        "subject_kinds": [
            {"credit_code": "none" if kind.get("internal") else "required", **kind}
            for kind in kinds
        ],
    }


def _files(directory: Path, suffix: str, exclude: str | None = None) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.glob(f"*{suffix}") if not (exclude and p.name.endswith(exclude))
    )


def load(root: Path | str) -> Catalog:
    """Load and check the catalog under ``root``; raise CatalogError listing every fault."""
    root = Path(root)
    if not (root / "catalog.yaml").is_file():
        raise CatalogError([Problem(str(root), 1, "no catalog.yaml here")])
    files = _read_files(root)
    if files.header is None:
        raise CatalogError(files.problems)
    problems = files.problems + list(_cross_references(files, files.header))
    if files.header_doc is not None:
        problems += list(_subject_kind_problems(files.header_doc, files.header))
    if problems:
        raise CatalogError(problems)
    return Catalog(
        header=files.header,
        instruments={k: v for k, (_, v) in files.instruments.items()},
        regimes={
            k: v
            for k, (_, v) in sorted(
                files.regimes.items(), key=lambda kv: section_key(kv[1][1].section)
            )
        },
        cases={k: v for k, (_, v) in files.cases.items()},
    )


@dataclass
class _Files:
    """Every file of a catalog directory as read and validated on its own, with its faults."""

    problems: list[Problem]
    header: CatalogHeader | None
    header_doc: _Document | None
    instruments: dict[str, tuple[_Document, Instrument]]
    regimes: dict[str, tuple[_Document, Regime]]
    cases: dict[str, tuple[_Document, CaseFile]]
    unreadable_regimes: bool


def _read_files(root: Path) -> _Files:
    """Read and validate each file; note ids defined twice. References are checked later."""
    problems: list[Problem] = []

    def attempt(path: Path, model: type[BaseModel]) -> tuple[_Document, Any] | None:
        try:
            doc = _read_yaml(path, root)
            return doc, _validate(doc, model)
        except CatalogError as exc:
            problems.extend(exc.problems)
            return None

    header_read = attempt(root / "catalog.yaml", CatalogHeader)

    unreadable: set[type[BaseModel]] = set()

    def collect(paths: Iterable[Path], model: type[BaseModel], key: str, what: str) -> dict:
        """Read each file; index what it defines by ``key``, noting one defined twice."""
        found: dict[str, tuple[_Document, Any]] = {}
        for path in paths:
            read = attempt(path, model)
            if read is None:
                unreadable.add(model)
            else:
                doc, item = read
                name = getattr(item, key)
                if name in found and what:
                    problems.append(doc.problem((key,), f"{what} {name} defined twice"))
                found[name] = read
        return found

    instruments = collect(_files(root / "provisions", ".yaml"), Instrument, "id", "instrument")
    regimes = collect(
        _files(root / "regimes", ".yaml", exclude=".cases.yaml"), Regime, "code", "regime"
    )
    cases = collect(_files(root / "regimes", ".cases.yaml"), CaseFile, "regime", "")
    header_doc, header = header_read if header_read else (None, None)
    return _Files(problems, header, header_doc, instruments, regimes, cases, Regime in unreadable)


def _cross_references(files: _Files, header: CatalogHeader) -> Iterator[Problem]:
    """Yield every reference between files that points at nothing, and provisions given twice."""
    provisions = {p.id: p for _, i in files.instruments.values() for p in i.provisions}
    for doc, regime in files.regimes.values():
        yield from _dangling(doc, regime, header, provisions)
    for doc, case_file in files.cases.values():
        if case_file.regime in files.regimes or not files.unreadable_regimes:  # else: reported
            yield from _dangling_cases(doc, case_file, files.regimes)
    yield from _duplicate_provisions(files.instruments.values())
    if files.header_doc is not None and header.draw_weights is not None:
        yield from _cited(files.header_doc, ("draw_weights",), header.draw_weights, provisions)


def _subject_kind_problems(doc: _Document, header: CatalogHeader) -> Iterator[Problem]:
    """Yield every kind of subject defined twice, and every declaration that does not fit."""
    departments = {d.code for d in header.departments}
    codes: set[str] = set()
    for i, kind in enumerate(header.subject_kinds):
        at: Path_ = ("subject_kinds", i)
        if kind.code in codes:
            yield doc.problem((*at, "code"), f"subject kind {kind.code} defined twice")
        codes.add(kind.code)
        yield from _link_problems(doc, at, kind, departments)
        yield from _field_problems(doc, at, kind)


def _link_problems(
    doc: _Document, at: Path_, kind: SubjectKind, departments: set[str]
) -> Iterator[Problem]:
    """Yield what is wrong with a kind's ``links``: absent on a police body, given on an outside
    kind, naming an unknown agency kind or department."""
    written = doc.data["subject_kinds"][at[1]]
    if not kind.internal:
        if "links" in written:
            yield doc.problem(
                (*at, "links"), "links: only an internal kind (a police body) has links"
            )
        return
    if "links" not in written:
        yield doc.problem(
            at,
            f"{kind.code}: an internal kind says which rows of the organisation are its subjects"
            " (links: {agency_kinds: [...], departments: [...]}) or links: none",
        )
        return
    if written["links"] is None:
        yield doc.problem((*at, "links"), "links: write none, or the rows that are subjects")
    if kind.links is None:
        return
    for j, agency_kind in enumerate(kind.links.agency_kinds):
        if agency_kind not in AGENCY_KINDS:
            yield doc.problem(
                (*at, "links", "agency_kinds", j), f"unknown agency kind {agency_kind}"
            )
    for j, department in enumerate(kind.links.departments):
        if department not in departments:
            yield doc.problem((*at, "links", "departments", j), f"unknown department {department}")
    for j, declared in enumerate(kind.fields):
        if declared.required:
            yield doc.problem(
                (*at, "fields", j, "required"),
                f"{declared.name}: subjects linked to the organisation are created with their"
                " agency, before anyone fills in a field: none of their fields can be required",
            )


def _field_problems(doc: _Document, at: Path_, kind: SubjectKind) -> Iterator[Problem]:
    """Yield every declared field that repeats a name or label, takes a reserved name, or whose
    keys do not fit its type."""
    names: set[str] = set()
    labels: set[str] = set()
    for j, declared in enumerate(kind.fields):
        where: Path_ = (*at, "fields", j)
        if declared.name in RESERVED_FIELD_NAMES:
            yield doc.problem(
                (*where, "name"),
                f"{declared.name} is a common field of every subject: choose another name",
            )
        elif declared.name in names:
            yield doc.problem((*where, "name"), f"field {declared.name} declared twice")
        if declared.label in labels:
            yield doc.problem((*where, "label"), f"label {declared.label} used twice")
        names.add(declared.name)
        labels.add(declared.label)
        problems = list(declared.problems())
        for path, message in problems:
            yield doc.problem((*where, *path), f"{declared.name}: {message}")
        if declared.example is not None and not problems:
            try:
                field_spec(declared)
            except DomainError as exc:
                yield doc.problem(
                    (*where, "example"), f"{declared.name}: the example does not pass: {exc}"
                )


def _duplicate_provisions(instruments: Iterable[tuple[_Document, Instrument]]) -> Iterator[Problem]:
    for doc, instrument in instruments:
        seen: set[str] = set()
        for index, provision in enumerate(instrument.provisions):
            if provision.id in seen:
                yield doc.problem(("provisions", index, "id"), f"provision {provision.id} twice")
            seen.add(provision.id)


def _dangling(
    doc: _Document, regime: Regime, header: CatalogHeader, provisions: dict[str, Provision]
) -> Iterator[Problem]:
    """Yield every reference in a regime that points at nothing."""
    yield from _dangling_header_codes(doc, regime, header, provisions)
    methods = {m.code for m in header.method_kinds}
    for at, items in regime.item_lists():
        yield from _dangling_in_items(doc, regime, at, items, provisions, methods)
    yield from _dangling_in_figures(doc, regime, provisions)
    for i, rule in enumerate(regime.permit_matrix):
        if rule.reference not in provisions:
            yield doc.problem(
                ("permit_matrix", i, "reference"), f"unknown provision {rule.reference}"
            )
    yield from _dangling_figure_uses(doc, regime, methods)


def _dangling_header_codes(
    doc: _Document, regime: Regime, header: CatalogHeader, provisions: dict[str, Provision]
) -> Iterator[Problem]:
    """Yield the department, basis provisions and subject kinds that catalog.yaml lacks."""
    kinds = {k.code for k in header.subject_kinds}
    if regime.department not in {d.code for d in header.departments}:
        yield doc.problem(("department",), f"unknown department {regime.department}")
    for i, provision in enumerate(regime.basis):
        if provision not in provisions:
            yield doc.problem(("basis", i), f"unknown provision {provision}")
    for i, kind in enumerate(regime.objects.subject_kinds):
        if kind not in kinds:
            yield doc.problem(("objects", "subject_kinds", i), f"unknown subject kind {kind}")


def _dangling_in_items(
    doc: _Document,
    regime: Regime,
    at: Path_,
    items: Sequence[Item],
    provisions: dict[str, Provision],
    methods: set[str],
) -> Iterator[Problem]:
    """Yield repeated item codes and the references of one list of items that point at nothing."""
    codes: set[str] = set()
    for i, item in enumerate(items):
        where = (*at, i)
        if item.code in codes:
            yield doc.problem((*where, "code"), f"item code {item.code} used twice")
        codes.add(item.code)
        if item.reference and item.reference not in provisions:
            yield doc.problem((*where, "reference"), f"unknown provision {item.reference}")
        for j, kind in enumerate(item.applies_to):
            if kind not in regime.objects.subject_kinds:
                yield doc.problem(
                    (*where, "applies_to", j), f"{kind} is not a subject kind of this regime"
                )
        if isinstance(item, MethodItem) and at == ("methods", "items") and item.kind not in methods:
            yield doc.problem((*where, "kind"), f"unknown method kind {item.kind}")
        for j, key in enumerate(getattr(item, "figures", [])):
            if key not in regime.figures:
                yield doc.problem((*where, "figures", j), f"unknown figure {key}")


def _dangling_in_figures(
    doc: _Document, regime: Regime, provisions: dict[str, Provision]
) -> Iterator[Problem]:
    """Yield figures citing an unknown provision, misquoting it, or citing verified law unquoted."""
    for key, figure in regime.figures.items():
        yield from _cited(doc, ("figures", key), figure, provisions)


def _cited(
    doc: _Document, at: Path_, figure: Figure | DrawWeights, provisions: dict[str, Provision]
) -> Iterator[Problem]:
    """Yield what is wrong with a figure's citation: an unknown provision, a quote not in its
    text, or verified law cited without its words."""
    if figure.reference not in provisions:
        yield doc.problem((*at, "reference"), f"unknown provision {figure.reference}")
    elif figure.quote and _flat(figure.quote) not in _flat(provisions[figure.reference].text):
        yield doc.problem((*at, "quote"), f"the quote is not in the text of {figure.reference}")
    elif provisions[figure.reference].status == "verified" and not figure.quote:
        yield doc.problem(at, "a figure citing a verified provision must quote its words")


def _dangling_figure_uses(doc: _Document, regime: Regime, methods: set[str]) -> Iterator[Problem]:
    """Yield unknown methods of the frequencies, then every use of a figure the regime lacks."""
    rules = regime.procedure.rules
    figure_uses: list[tuple[Path_, str | None]] = [
        (("procedure", "rules", "min_inspectors"), rules.min_inspectors),
        (("sampling_cap",), regime.sampling_cap),
    ]
    for i, freq in enumerate(rules.frequencies):
        figure_uses.append((("procedure", "rules", "frequencies", i, "figure"), freq.figure))
        yield from _frequency_problems(doc, regime, i, freq, methods)
    if regime.scoring:
        figure_uses.append((("scoring", "total"), regime.scoring.total))
        figure_uses.append((("scoring", "recheck_limit"), regime.scoring.recheck_limit))
        for i, component in enumerate(regime.scoring.components):
            figure_uses.append((("scoring", "components", i, "weight"), component.weight))
    for at, key in figure_uses:
        if key is not None and key not in regime.figures:
            yield doc.problem(at, f"unknown figure {key}")


def _frequency_problems(
    doc: _Document, regime: Regime, i: int, freq: Frequency, methods: set[str]
) -> Iterator[Problem]:
    """Yield a frequency's method that is no method kind, or none of the regime's methods, and
    the kinds it applies to that are not the regime's."""
    at = ("procedure", "rules", "frequencies", i)
    if freq.method not in methods:
        yield doc.problem((*at, "method"), f"unknown method {freq.method}")
    elif freq.method not in {m.kind for m in regime.methods.items}:
        yield doc.problem((*at, "method"), f"{freq.method} is not a method of this regime")
    for j, kind in enumerate(freq.applies_to):
        if kind not in regime.objects.subject_kinds:
            message = f"{kind} is not a subject kind of this regime"
            yield doc.problem((*at, "applies_to", j), message)


def _dangling_cases(
    doc: _Document, case_file: CaseFile, regimes: dict[str, tuple[_Document, Regime]]
) -> Iterator[Problem]:
    if case_file.regime not in regimes:
        yield doc.problem(("regime",), f"unknown regime {case_file.regime}")
        return
    regime = regimes[case_file.regime][1]
    for i, case in enumerate(case_file.cases):
        if case.figure is not None and case.figure not in regime.figures:
            yield doc.problem(("cases", i, "figure"), f"unknown figure {case.figure}")


_NUMERALS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}


def _numeral(text: str) -> int:
    """Read a Chinese numeral up to 99 (一 … 十 … 九十九)."""
    if not text:
        return 0
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(units, 0))
    return _NUMERALS.get(text, 0)


def section_key(section: str) -> tuple[int, int, str]:
    """Order sections as the seed does: （二） before （十）, （五）一 before （五）二."""
    match = re.match(r"^（([一二三四五六七八九十]+)）([一二三四五六七八九十]*)(.*)$", section)
    if not match:
        return (999, 0, section)
    return (_numeral(match[1]), _numeral(match[2]), match[3])


def _flat(text: str) -> str:
    return "".join(text.split())
