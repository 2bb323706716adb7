"""The workflow engine: which actions a person may take on a document, and taking one.

``get_transitions(doc, user)`` lists the actions offered; ``apply_workflow(doc, action,
user, comment=None, **data)`` takes one. A transition is allowed when, from the document's
current state, a transition of that action exists whose role (``allowed``) the person holds,
whose person rules (``only``) name them, and whose ``condition`` holds; and, when
``allow_self_approval`` is 0, the person is neither the document's owner nor its last
modifier (Frappe's rule).

Each transition runs in ONE database transaction: the row is locked (``SELECT … FOR
UPDATE``), state and permission are checked again on the locked row, the caller's ``data``
is applied (only the fields the transition lists), the state changes, the hooks run
(numbering, assignments …), the document is validated and saved, and a Workflow Log row is
appended. Anything that fails rolls all of it back, so two people pressing buttons at once
leave one consistent result: the second finds the new state and is refused.

Workflow files are read from ``apps/eoffice/workflows/*.json`` and then from the site's
``sites/<site>/workflows/*.json`` (a site's file replaces the app's for the same DocType).
They are re-read when a file changes, so an administrator's edit of labels or roles takes
effect without a restart; an edit with a mistake is refused (the system check and
:func:`load_errors` say where) and the last good version stays in force.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from eoffice.exceptions import (
    DoesNotExistError,
    PermissionError,
    ValidationError,
    WorkflowTransitionError,
)
from eoffice.workflows import conditions
from eoffice.workflows.definition import (
    ALL,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    check_one_active_per_doctype,
    load_workflow_file,
)
from eoffice.workflows.rules import PERSON_RULES

log = logging.getLogger(__name__)

APP_WORKFLOW_DIR = Path(__file__).resolve().parent

_lock = threading.Lock()
_cache: dict = {"key": None, "active": {}}
#: path → (mtime, workflows last loaded without error, error of the current content or None)
_files_seen: dict[str, tuple[int, list[Workflow], str | None]] = {}


def workflow_dirs() -> list[Path]:
    """Where workflow files are read from, later ones overriding earlier ones."""
    dirs = [APP_WORKFLOW_DIR]
    site_dir = getattr(settings, "SITE_DIR", None)
    if site_dir:
        dirs.append(Path(site_dir) / "workflows")
    return dirs


def _files() -> list[list[Path]]:
    return [sorted(d.glob("*.json")) if d.is_dir() else [] for d in workflow_dirs()]


def _read(path: Path) -> list[Workflow]:
    """The workflows of one file; a file whose new content is wrong keeps its last good ones.

    An administrator's mistaken edit is thus refused (and reported by :func:`load_errors` and
    the system check) while documents go on with what worked before; a file that never
    loaded contributes nothing, so the app's own file for that DocType stays in force.
    """
    mtime = path.stat().st_mtime_ns
    seen = _files_seen.get(str(path))
    if seen and seen[0] == mtime:
        return seen[1]
    good = seen[1] if seen else []
    try:
        good, error = load_workflow_file(path), None
    except WorkflowDefinitionError as exc:
        error = str(exc)
        log.error("workflow file refused, keeping the last good version: %s", error)
    _files_seen[str(path)] = (mtime, good, error)
    return good


def load_errors() -> list[str]:
    """The errors of the workflow files as they are now on disk (empty when all load)."""
    load_workflows()
    current = {str(p) for layer in _files() for p in layer}
    return [err for path, (_m, _w, err) in _files_seen.items() if err and path in current]


def load_workflows(force: bool = False) -> dict[str, Workflow]:
    """The active workflow of each DocType, from the files (cached until a file changes)."""
    layers = _files()
    key = tuple((str(p), p.stat().st_mtime_ns) for layer in layers for p in layer)
    with _lock:
        if not force and _cache["key"] == key:
            return _cache["active"]
        if force:
            _files_seen.clear()
        active: dict[str, Workflow] = {}
        for layer in layers:
            workflows = [wf for path in layer for wf in _read(path)]
            active.update(check_one_active_per_doctype(workflows))
        _cache["key"], _cache["active"] = key, active
        return active


def get_workflow(doctype_name: str) -> Workflow | None:
    """The active workflow of a DocType, or None."""
    return load_workflows().get(doctype_name)


def current_state(workflow: Workflow, doc) -> str:
    """The document's state; an empty state field means the workflow's first state."""
    return getattr(doc, workflow.workflow_state_field, None) or workflow.initial_state


# ---------------------------------------------------------------------------------------


@dataclass
class TransitionContext:
    """What a hook receives: the locked document, who acts, the transition and its data."""

    doc: models.Model
    user: object
    workflow: Workflow
    transition: Transition
    from_state: str
    comment: str = ""
    params: dict = field(default_factory=dict)
    now: object = None
    result: dict = field(default_factory=dict)  # what hooks report back (e.g. new names)


def _roles(user) -> set[str]:
    from eoffice.permissions import roles_of

    return roles_of(user)


def _role_ok(user, t: Transition) -> bool:
    return t.allowed == ALL or t.allowed in _roles(user)


def _rules_ok(doc, user, t: Transition) -> bool:
    return all(PERSON_RULES[name].func(doc, user) for name in t.only)


def _condition_ok(doc, user, t: Transition, cache: dict) -> bool:
    if not t.condition:
        return True
    if "doc" not in cache:
        cache["doc"] = doc.as_dict()
    return conditions.evaluate(t.condition, cache["doc"], user.name, _roles(user))


def _self_approval_ok(doc, user, t: Transition) -> bool:
    if t.allow_self_approval:
        return True
    return user.name not in {doc.owner, getattr(doc, "modified_by", None)} - {"", None}


def _meta(doc):
    meta = getattr(type(doc), "_doctype", None)
    if meta is None:
        raise WorkflowTransitionError(f"«{type(doc).__name__}» không phải một DocType.")
    return meta


def _can_read(user, meta, doc) -> bool:
    from eoffice.permissions import has_permission

    return has_permission(user, meta, "read", doc)


def get_transitions(doc, user) -> list[Transition]:
    """The transitions ``user`` may take on ``doc`` now, one per action, in file order."""
    meta = _meta(doc)
    wf = get_workflow(meta.name)
    if wf is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if doc.pk is None or not _can_read(user, meta, doc):
        return []
    state = current_state(wf, doc)
    cache: dict = {}
    offered: dict[str, Transition] = {}
    for t in wf.transitions_from(state):
        if t.action in offered:
            continue
        if (
            _role_ok(user, t)
            and _rules_ok(doc, user, t)
            and _condition_ok(doc, user, t, cache)
            and _self_approval_ok(doc, user, t)
        ):
            offered[t.action] = t
    return list(offered.values())


def can_edit(doc, user) -> bool:
    """Frappe's ``allow_edit``: whether the state lets this person save the document."""
    meta = _meta(doc)
    wf = get_workflow(meta.name)
    if wf is None:
        return True
    state = wf.states.get(current_state(wf, doc))
    if state is None:
        return False
    roles = {state.allow_edit, *state.also_allow_edit} - {""}
    return ALL in roles or bool(roles & _roles(user))


def _choose(wf: Workflow, doc, user, action: str, state: str) -> Transition:
    """The transition to take, or the error that says why there is none."""
    candidates = [t for t in wf.transitions_from(state) if t.action == action]
    label = next((t.label for t in candidates if t.label), action)
    if not candidates:
        what = str(doc._meta.verbose_name).lower()
        raise WorkflowTransitionError(
            f"Không thể thực hiện «{action}» khi {what} đang ở trạng thái «{wf.label_of(state)}»."
        )
    by_role = [t for t in candidates if _role_ok(user, t)]
    if not by_role:
        roles = ", ".join(dict.fromkeys(f"«{t.allowed}»" for t in candidates))
        raise PermissionError(f"Thao tác «{label}» chỉ dành cho vai trò {roles}.")
    by_person = [t for t in by_role if _rules_ok(doc, user, t)]
    if not by_person:
        # Rules of one transition must all hold ("và"); any transition will do ("hoặc").
        who = " hoặc ".join(
            dict.fromkeys(" và ".join(PERSON_RULES[r].description for r in t.only) for t in by_role)
        )
        raise PermissionError(f"Chỉ {who} được thực hiện «{label}».")
    cache: dict = {}
    by_condition = [t for t in by_person if _condition_ok(doc, user, t, cache)]
    if not by_condition:
        raise WorkflowTransitionError(f"Văn bản chưa đủ điều kiện để thực hiện «{label}».")
    allowed = [t for t in by_condition if _self_approval_ok(doc, user, t)]
    if not allowed:
        raise PermissionError(
            f"Bạn không được tự duyệt «{label}» văn bản do chính mình tạo hoặc sửa."
        )
    return allowed[0]


# ---------------------------------------------------------------------------------------
# Applying the caller's data


def _django_error(exc: DjangoValidationError, model, prefix: str = "") -> ValidationError:
    """The first message of a Django ValidationError as ours, naming the field."""
    if hasattr(exc, "error_dict"):
        field_name, errors = next(iter(exc.error_dict.items()))
        message = errors[0].messages[0] if hasattr(errors[0], "messages") else str(errors[0])
        label = field_name
        try:
            label = str(model._meta.get_field(field_name).verbose_name)
        except Exception:
            pass
        if field_name == "__all__":
            return ValidationError(message)
        if label.lower() not in message.lower():
            message = f"{label}: {message}"
        return ValidationError(message, field=prefix + field_name if prefix else field_name)
    return ValidationError(exc.messages[0] if exc.messages else str(exc))


_SKIP_CHILD_KEYS = {
    "name",
    "idx",
    "parent",
    "parentfield",
    "parenttype",
    "doctype",
    "owner",
    "creation",
    "modified",
    "modified_by",
    "docstatus",
    "id",
}


def _coerce(model, field_name: str, value, where: str):
    """A wire value (names for links, ISO or dd/mm/yyyy dates) as the model field wants it."""
    from eoffice.calendar import to_date

    f = model._meta.get_field(field_name)
    if value in (None, ""):
        return None if (f.null or f.is_relation) else ""
    if f.is_relation:
        related = f.related_model
        if isinstance(value, related):
            return value
        lookup = {"name": str(value).strip()}
        if related._meta.model_name == "user":
            lookup = {"email__iexact": str(value).strip()}
        obj = related.objects.filter(**lookup).first()
        if obj is None and isinstance(value, int):
            obj = related.objects.filter(pk=value).first()
        if obj is None:
            raise ValidationError(f"{f.verbose_name}: không tìm thấy «{value}».", field=where)
        return obj
    if isinstance(f, models.DateTimeField):
        return value
    if isinstance(f, models.DateField):
        try:
            return to_date(value)
        except ValueError:
            raise ValidationError(
                f"{f.verbose_name}: «{value}» không phải ngày hợp lệ.", field=where
            ) from None
    if isinstance(value, str):
        from eoffice.text import nfc

        return nfc(value.strip())
    return value


def _set_child_table(doc, meta, table: str, rows) -> None:
    if not isinstance(rows, list):
        raise ValidationError(f"«{table}» phải là một danh sách dòng.", field=table)
    child_model = meta.child_tables[table]
    parent_fk = child_model._meta.get_field("parent")
    built = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ValidationError(f"Dòng {i} của «{table}» phải là một đối tượng.", field=table)
        obj = child_model(idx=i)
        setattr(obj, parent_fk.name, doc)
        for key, value in row.items():
            if key in _SKIP_CHILD_KEYS:
                continue
            try:
                child_model._meta.get_field(key)
            except Exception:
                raise ValidationError(
                    f"Dòng {i} của «{table}»: không có trường «{key}».", field=table
                ) from None
            setattr(obj, key, _coerce(child_model, key, value, table))
        try:
            obj.full_clean(exclude=["parent"])
        except DjangoValidationError as exc:
            err = _django_error(exc, child_model)
            raise ValidationError(f"Dòng {i} của «{table}»: {err.message}", field=table) from None
        built.append(obj)
    getattr(doc, table).all().delete()
    child_model.objects.bulk_create(built)


def _apply_data(ctx: TransitionContext, meta, data: dict) -> None:
    t = ctx.transition
    unknown = [k for k in data if k not in t.fields and k not in t.params]
    if unknown:
        raise ValidationError(
            f"Thao tác «{t.label or t.action}» không nhận «{unknown[0]}».", field=unknown[0]
        )
    doc = ctx.doc
    for key in t.fields:
        if key not in data:
            continue
        if key in meta.child_tables:
            _set_child_table(doc, meta, key, data[key])
        else:
            f = doc._meta.get_field(key)
            setattr(doc, f.name, _coerce(type(doc), key, data[key], key))
    ctx.params = {k: data[k] for k in t.params if k in data}


def _is_empty(doc, meta, name: str) -> bool:
    if name in meta.child_tables:
        return not getattr(doc, name).exists()
    value = getattr(doc, name, None)
    return value in (None, "") or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------


def transition(doc, action: str, user, comment: str | None = None, **data) -> TransitionContext:
    """Take ``action`` on ``doc`` as ``user``; return the context (``ctx.doc`` is the new row).

    Raises WorkflowTransitionError (no such action in this state, condition not met),
    PermissionError (role, person rule, self-approval, or the row is not visible),
    ValidationError (bad data; nothing stored changes).
    """
    from eoffice.doctype.workflow_log import WorkflowLog
    from eoffice.text import nfc

    meta = _meta(doc)
    wf = get_workflow(meta.name)
    if wf is None:
        raise WorkflowTransitionError(f"«{meta.name}» không có quy trình đang dùng.")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionError("Bạn cần đăng nhập để thực hiện thao tác này.")
    comment = nfc((comment or "").strip())
    model = type(doc)
    with transaction.atomic():
        locked = model.objects.select_for_update().filter(pk=doc.pk).first()
        if locked is None:
            raise DoesNotExistError(f"Không tìm thấy «{doc.name}».")
        if not _can_read(user, meta, locked):
            raise PermissionError("Bạn không có quyền thực hiện thao tác trên tài liệu này.")
        state = current_state(wf, locked)
        t = _choose(wf, locked, user, action, state)
        if t.comment_required and not comment:
            raise ValidationError(
                f"Cần nhập lý do hoặc ý kiến khi «{t.label or t.action}».", field="comment"
            )
        ctx = TransitionContext(
            doc=locked,
            user=user,
            workflow=wf,
            transition=t,
            from_state=state,
            comment=comment,
            now=timezone.now(),
        )
        _apply_data(ctx, meta, data)
        setattr(locked, wf.workflow_state_field, t.next_state)
        next_state = wf.states[t.next_state]
        if next_state.update_field:
            setattr(locked, next_state.update_field, next_state.update_value)
        locked.modified_by = user.name
        for hook in t.run:
            getattr(locked, hook)(ctx)
        for name in t.requires:
            if _is_empty(locked, meta, name):
                label = name
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except Exception:
                    pass
                raise ValidationError(
                    f"Cần nhập «{label}» khi «{t.label or t.action}».", field=name
                )
        try:
            locked.full_clean()
        except DjangoValidationError as exc:
            raise _django_error(exc, model) from None
        locked.save()
        WorkflowLog.objects.create(
            reference_doctype=meta.name,
            reference_name=locked.name,
            workflow_name=wf.name,
            from_state=state,
            action=t.action,
            to_state=t.next_state,
            user=user,
            user_name=user.name,
            user_full_name=getattr(user, "full_name", "") or "",
            comment=comment,
            owner=user.name,
            modified_by=user.name,
        )
    log.info("%s %s: %s —%s→ %s by %s", meta.name, locked.name, state, t.action, t.next_state, user)
    return ctx


def apply_workflow(doc, action: str, user, comment: str | None = None, **data):
    """Take ``action`` on ``doc`` as ``user`` (see :func:`transition`); return the updated row.

    The caller's ``doc`` object is refreshed too.
    """
    ctx = transition(doc, action, user, comment, **data)
    if ctx.doc is not doc:
        try:
            doc.refresh_from_db()
        except Exception:  # a row the caller built but never saved: nothing to refresh
            pass
    return ctx.doc
