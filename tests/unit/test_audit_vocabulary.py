"""Every action recorded anywhere in src/ has words for the audit administrator.

The scan reads the source (no database): each ``action="..."`` literal passed to
``audit.record`` (also inside ``"a" if x else "b"``) must have a label registered by its app, so a
new action cannot reach the audit log as a bare code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

from oversight.audit.vocabulary import VOCABULARY, Name, Vocabulary, register_actions

SRC = Path(__file__).resolve().parents[2] / "src"


# audit.record, and the services' helpers that call it with the action they are given.
RECORDING = {"record", "_record", "create_audited", "set_active_audited"}


def _is_record_call(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr in RECORDING and isinstance(func.value, ast.Name)
    return isinstance(func, ast.Name) and func.id in RECORDING


def _strings(node: ast.AST) -> list[ast.Constant]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _assigned(function: ast.AST, name: str) -> list[ast.Constant]:
    """The strings assigned to ``name`` in a function (``action = "a" if ok else "b"``)."""
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            found += _strings(node.value)
    return found


def recorded_actions(root: Path = SRC) -> dict[str, list[str]]:
    """Return each action passed to ``record(action=...)`` with where it is written: a literal,
    or the literals assigned to the variable passed, in the same function."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for function in functions:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call) or not _is_record_call(node):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "action":
                        continue
                    value = keyword.value
                    constants = (
                        _assigned(function, value.id)
                        if isinstance(value, ast.Name)
                        else _strings(value)
                    )
                    for constant in constants:
                        where = f"{path.relative_to(root)}:{constant.lineno}"
                        found.setdefault(constant.value, []).append(where)
    return found


def test_the_scan_finds_actions_written_in_both_branches_of_a_conditional():
    actions = recorded_actions()

    assert {"officer.activate", "officer.deactivate", "auth.login", "catalog.load"} <= set(actions)
    assert {"auth.mfa_failed", "auth.mfa_enrolled", "auth.mfa_verified"} <= set(actions)


def test_every_action_recorded_in_src_has_words():
    unlabelled = {
        action: where
        for action, where in recorded_actions().items()
        if VOCABULARY.action_label(action) is None
    }

    assert unlabelled == {}, (
        "give these audit actions a label (register_actions in the app's audit_terms.py): "
        f"{unlabelled}"
    )


def test_action_labels_are_chinese_words_not_codes():
    with translation.override("zh-hans"):
        labels = {
            action: str(VOCABULARY.action_label(action))
            for action in recorded_actions()
            if VOCABULARY.action_label(action) is not None  # the test above names those
        }

    codes = {action: label for action, label in labels.items() if label.isascii()}
    assert codes == {}


def test_every_object_type_has_a_label_in_words():
    with translation.override("zh-hans"):
        labels = {code: str(t.label) for code, t in VOCABULARY.object_types.items()}

    assert {"org.officer", "org.agency", "org.user", "catalog.catalogversion"} <= set(labels)
    assert [code for code, label in labels.items() if label.isascii()] == []


def test_registering_an_action_again_with_other_words_is_refused():
    register_actions({"agency.create": VOCABULARY.action_label("agency.create")})

    try:
        register_actions({"agency.create": "something else"})
    except ValueError as exc:
        assert "agency.create" in str(exc)
    else:
        raise AssertionError("a second, different label was accepted")


def test_a_name_shows_a_persons_name_masked_beside_its_plain_parts():
    assert Name(text="city.leader", person="王小明").words() == "city.leader（王*）"
    assert Name(person="欧阳修", note="警号 100001").words() == "欧*（警号 100001）"
    assert Name(text="sysadmin", note="系统管理员").words() == "sysadmin（系统管理员）"
    assert Name(text="甲县公安局").words() == "甲县公安局"


def test_field_words_for_one_object_type_come_before_the_shared_ones():
    vocabulary = Vocabulary()
    vocabulary.fields[("", "name")] = "名称"
    vocabulary.fields[("org.officer", "name")] = "姓名"

    assert vocabulary.field_label("org.officer", "name") == "姓名"
    assert vocabulary.field_label("org.agency", "name") == "名称"
