"""Workflow files: Frappe's Workflow JSON, read and checked into :class:`Workflow` objects.

A file holds one workflow (a JSON object) or a list of them (what ``bench export-fixtures``
writes). The keys are Frappe's: ``workflow_name``, ``document_type``, ``workflow_state_field``,
``is_active``, ``states[{state, doc_status, allow_edit, update_field, update_value, ...}]`` and
``transitions[{state, action, next_state, allowed, condition, allow_self_approval}]``; every
other Frappe key (``name``, ``owner``, ``idx``, ``parenttype``, ``workflow_builder_id`` …) is
accepted and ignored. Our own keys, where Frappe has no room:

- on a state: ``label`` (what the desk shows; default the state), ``style`` (a colour hint),
  ``also_allow_edit`` (more roles that may edit in that state; Frappe's ``allow_edit`` holds one);
- on a transition: ``label`` (the button; default the action), ``only`` (a person rule or a
  list of them, see :mod:`eoffice.workflows.rules`), ``run`` (hooks), ``fields`` (document
  fields the caller may set with the action, e.g. ``direction``), ``params`` (other values
  the hooks take, e.g. ``assign_to``), ``requires`` (fields that must be filled after the
  action), ``comment_required``.

Everything is checked when the file is loaded; a mistake raises
:class:`WorkflowDefinitionError` naming the file and the entry.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from eoffice.constants import Role
from eoffice.workflows import conditions
from eoffice.workflows.rules import PERSON_RULES, hook_of

#: Frappe's role that every logged-in user has.
ALL = "All"


class WorkflowDefinitionError(Exception):
    """A workflow file that cannot be used: the message names the file and the entry."""


@dataclass(frozen=True)
class State:
    state: str
    doc_status: int = 0
    allow_edit: str = ""
    also_allow_edit: tuple[str, ...] = ()
    update_field: str | None = None
    update_value: object = None
    label: str = ""
    style: str = ""

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "doc_status": str(self.doc_status),
            "allow_edit": self.allow_edit,
            "also_allow_edit": list(self.also_allow_edit),
            "update_field": self.update_field,
            "update_value": self.update_value,
            "label": self.label or self.state,
            "style": self.style,
        }


@dataclass(frozen=True)
class Transition:
    index: int
    state: str
    action: str
    next_state: str
    allowed: str
    condition: str | None = None
    allow_self_approval: bool = True
    only: tuple[str, ...] = ()
    run: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    comment_required: bool = False
    label: str = ""

    def as_dict(self) -> dict:
        """Frappe's transition row, plus our keys (what ``get_transitions`` returns)."""
        return {
            "state": self.state,
            "action": self.action,
            "next_state": self.next_state,
            "allowed": self.allowed,
            "condition": self.condition,
            "allow_self_approval": int(self.allow_self_approval),
            "label": self.label or self.action,
            "only": list(self.only),
            "fields": list(self.fields),
            "params": list(self.params),
            "requires": list(self.requires),
            "comment_required": int(self.comment_required),
        }


@dataclass
class Workflow:
    name: str
    document_type: str
    workflow_state_field: str
    is_active: bool
    states: dict[str, State]
    transitions: list[Transition]
    source: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def initial_state(self) -> str:
        """The first state of the file, as in Frappe: where a new document starts."""
        return next(iter(self.states))

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.state == state]

    def label_of(self, state: str) -> str:
        s = self.states.get(state)
        return (s.label or s.state) if s else state


def _as_tuple(value, where: str, what: str) -> tuple[str, ...]:
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise WorkflowDefinitionError(f"{where}: «{what}» phải là một chuỗi hoặc danh sách chuỗi")


def _flag(value, where: str, what: str, default: bool) -> bool:
    if value in (None, ""):
        return default
    if value in (0, 1, "0", "1", True, False):
        return bool(int(value))
    raise WorkflowDefinitionError(f"{where}: «{what}» phải là 0 hoặc 1")


def _roles() -> set[str]:
    return set(Role.values) | {ALL}


def _check_role(role: str, where: str, key: str) -> None:
    if role not in _roles():
        known = ", ".join(f"«{r}»" for r in Role.values)
        raise WorkflowDefinitionError(
            f"{where}: vai trò «{role}» ở «{key}» không tồn tại; các vai trò là {known}, «{ALL}»"
        )


def _model_fields(model) -> tuple[set[str], set[str]]:
    """(field names a condition may read, field names that can be set)."""
    concrete = {f.name for f in model._meta.concrete_fields}
    meta = getattr(model, "_doctype", None)
    children = set(meta.child_tables) if meta else set()
    return concrete | children | {"name", "doctype"}, concrete | children


def parse_workflow(data: dict, source: str = "<workflow>") -> Workflow:
    """A checked :class:`Workflow` from one Frappe Workflow dict; ``source`` names the file."""
    from eoffice.doctype.base import get_meta

    if not isinstance(data, dict):
        raise WorkflowDefinitionError(f"{source}: một quy trình phải là một đối tượng JSON")
    if data.get("doctype", "Workflow") != "Workflow":
        raise WorkflowDefinitionError(
            f"{source}: «doctype» là «{data.get('doctype')}», không phải «Workflow»"
        )
    name = data.get("workflow_name") or data.get("name") or Path(source).stem
    where = f"{source} (quy trình «{name}»)"
    document_type = data.get("document_type")
    if not document_type:
        raise WorkflowDefinitionError(f"{where}: thiếu «document_type»")
    meta = get_meta(document_type)
    if meta is None:
        raise WorkflowDefinitionError(f"{where}: DocType «{document_type}» không tồn tại")
    readable, settable = _model_fields(meta.model)
    state_field = data.get("workflow_state_field") or "workflow_state"
    if state_field not in settable:
        raise WorkflowDefinitionError(
            f"{where}: «workflow_state_field» «{state_field}» không phải trường của «{document_type}»"
        )
    is_active = _flag(data.get("is_active"), where, "is_active", True)

    raw_states = data.get("states")
    if not isinstance(raw_states, list) or not raw_states:
        raise WorkflowDefinitionError(f"{where}: «states» phải là danh sách trạng thái, không rỗng")
    states: dict[str, State] = {}
    for i, row in enumerate(raw_states):
        at = f"{where}, states[{i}]"
        if not isinstance(row, dict) or not row.get("state"):
            raise WorkflowDefinitionError(f"{at}: mỗi trạng thái cần khóa «state»")
        at = f"{at} («{row['state']}»)"
        if row["state"] in states:
            raise WorkflowDefinitionError(f"{at}: trạng thái trùng tên")
        doc_status = str(row.get("doc_status") if row.get("doc_status") is not None else "0")
        if doc_status not in ("0", "1", "2"):
            raise WorkflowDefinitionError(f"{at}: «doc_status» phải là 0, 1 hoặc 2")
        allow_edit = row.get("allow_edit") or ""
        if allow_edit:
            _check_role(allow_edit, at, "allow_edit")
        also_allow_edit = _as_tuple(row.get("also_allow_edit"), at, "also_allow_edit")
        for role in also_allow_edit:
            _check_role(role, at, "also_allow_edit")
        update_field = row.get("update_field") or None
        if update_field and update_field not in settable:
            raise WorkflowDefinitionError(
                f"{at}: «update_field» «{update_field}» không phải trường của «{document_type}»"
            )
        states[row["state"]] = State(
            state=row["state"],
            doc_status=int(doc_status),
            allow_edit=allow_edit,
            also_allow_edit=also_allow_edit,
            update_field=update_field,
            update_value=row.get("update_value"),
            label=row.get("label") or "",
            style=row.get("style") or "",
        )

    raw_transitions = data.get("transitions")
    if not isinstance(raw_transitions, list):
        raise WorkflowDefinitionError(f"{where}: «transitions» phải là danh sách chuyển trạng thái")
    read_only = set(meta.read_only_fields) | {"name", "owner", "creation", "modified"}
    transitions: list[Transition] = []
    seen = set()
    for i, row in enumerate(raw_transitions):
        at = f"{where}, transitions[{i}]"
        if not isinstance(row, dict):
            raise WorkflowDefinitionError(f"{at}: mỗi chuyển trạng thái phải là một đối tượng")
        for key in ("state", "action", "next_state", "allowed"):
            if not row.get(key):
                raise WorkflowDefinitionError(f"{at}: thiếu «{key}»")
        at = f"{at} («{row['state']}» —«{row['action']}»→ «{row['next_state']}»)"
        for key in ("state", "next_state"):
            if row[key] not in states:
                raise WorkflowDefinitionError(
                    f"{at}: trạng thái «{row[key]}» ở «{key}» không có trong «states»"
                )
        _check_role(row["allowed"], at, "allowed")
        condition = (row.get("condition") or "").strip() or None
        if condition:
            try:
                conditions.check_condition(condition, readable)
            except conditions.ConditionError as exc:
                raise WorkflowDefinitionError(
                    f"{at}: điều kiện «{condition}» không hợp lệ: {exc}"
                ) from None
        only = _as_tuple(row.get("only"), at, "only")
        for rule in only:
            if rule not in PERSON_RULES:
                known = ", ".join(f"«{r}»" for r in sorted(PERSON_RULES))
                raise WorkflowDefinitionError(
                    f"{at}: quy tắc người thực hiện «{rule}» ở «only» không tồn tại; có: {known}"
                )
        run = _as_tuple(row.get("run"), at, "run")
        for hook in run:
            if hook_of(meta.model, hook) is None:
                raise WorkflowDefinitionError(
                    f"{at}: «{document_type}» không có thao tác «{hook}» để chạy (khóa «run»)"
                )
        fields = _as_tuple(row.get("fields"), at, "fields")
        for name_ in fields:
            if name_ not in settable or name_ in read_only or name_ == state_field:
                raise WorkflowDefinitionError(
                    f"{at}: trường «{name_}» ở «fields» không tồn tại hoặc không được đặt qua thao tác"
                )
        requires = _as_tuple(row.get("requires"), at, "requires")
        for name_ in requires:
            if name_ not in settable:
                raise WorkflowDefinitionError(
                    f"{at}: trường «{name_}» ở «requires» không phải trường của «{document_type}»"
                )
        key = (row["state"], row["action"], row["allowed"], condition)
        if key in seen:
            raise WorkflowDefinitionError(f"{at}: chuyển trạng thái trùng lặp")
        seen.add(key)
        transitions.append(
            Transition(
                index=i,
                state=row["state"],
                action=row["action"],
                next_state=row["next_state"],
                allowed=row["allowed"],
                condition=condition,
                allow_self_approval=_flag(
                    row.get("allow_self_approval"), at, "allow_self_approval", True
                ),
                only=only,
                run=run,
                fields=fields,
                params=_as_tuple(row.get("params"), at, "params"),
                requires=requires,
                comment_required=_flag(row.get("comment_required"), at, "comment_required", False),
                label=row.get("label") or "",
            )
        )

    # Every state must be reachable from the first one (where new documents start).
    initial = next(iter(states))
    reached, queue = {initial}, deque([initial])
    while queue:
        current = queue.popleft()
        for t in transitions:
            if t.state == current and t.next_state not in reached:
                reached.add(t.next_state)
                queue.append(t.next_state)
    for i, state in enumerate(states):
        if state not in reached:
            raise WorkflowDefinitionError(
                f"{where}, states[{i}] («{state}»): không thể tới trạng thái này từ trạng thái "
                f"đầu «{initial}»"
            )

    return Workflow(
        name=name,
        document_type=document_type,
        workflow_state_field=state_field,
        is_active=is_active,
        states=states,
        transitions=transitions,
        source=source,
        raw=data,
    )


def load_workflow_file(path) -> list[Workflow]:
    """The workflows of one file (an object or a list of objects), checked."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkflowDefinitionError(f"{path.name}: không đọc được tệp JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise WorkflowDefinitionError(f"{path.name}: tệp không có quy trình nào")
    if len(items) == 1:
        return [parse_workflow(items[0], path.name)]
    return [parse_workflow(item, f"{path.name}[{i}]") for i, item in enumerate(items)]


def check_one_active_per_doctype(workflows: list[Workflow]) -> dict[str, Workflow]:
    """The active workflow of each DocType; two active ones for one DocType is an error."""
    active: dict[str, Workflow] = {}
    for wf in workflows:
        if not wf.is_active:
            continue
        if wf.document_type in active:
            other = active[wf.document_type]
            raise WorkflowDefinitionError(
                f"{wf.source}: DocType «{wf.document_type}» đã có quy trình đang dùng "
                f"«{other.name}» ({other.source}); mỗi DocType chỉ có một quy trình đang dùng"
            )
        active[wf.document_type] = wf
    return active
