"""The buttons of a document page: what THIS person may do now, and the small form of each.

Two sources, both decided outside the desk:

- the workflow's transitions that :func:`eoffice.workflows.engine.get_transitions` offers the
  person ("Vào sổ", "Trình lãnh đạo", "Phân công", "Hoàn thành", "Thu hồi phân công" …). Their
  forms are built from the transition's ``fields``, ``params`` and ``comment_required``, so a
  workflow file edited by an administrator changes the buttons without code;
- the actions on one assignment (:mod:`eoffice.doctype.assignment`): report progress, ask for
  more time, approve or refuse it, recall, report done, hand down to an officer. Who may take
  them is asked of the assignment module's own predicates.

Whatever a button offers, the POST it sends is decided again by the engine or the doctype
function, which refuse a wrong actor with a Vietnamese message: a page built by hand gains
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.constants import HandlingRole
from eoffice.desk.labels import choice_label

#: Transition actions that undo or refuse: shown as a red button and always confirmed.
DANGER_ACTIONS = {"Trả lại", "Thu hồi", "Hủy"}


@dataclass
class FormField:
    """One input of an action's form."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, select, hidden, datalist
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: str = ""
    help: str = ""
    error: str = ""
    placeholder: str = ""


@dataclass
class Action:
    """A button, and the form it opens (or submits at once when it has no inputs)."""

    key: str  # the workflow action, or the assignment operation
    label: str
    url: str  # where the form posts
    fields: list[FormField] = field(default_factory=list)
    tone: str = "secondary"  # primary, secondary, danger
    link: str | None = None  # a page of its own (the direction form) instead of a form
    confirm: str = ""  # the question the form asks before it is sent
    hidden: dict = field(default_factory=dict)
    error: str = ""
    open: bool = False
    submit_label: str = ""

    @property
    def one_click(self) -> bool:
        return not self.fields and not self.link

    @property
    def dom_id(self) -> str:
        from django.utils.text import slugify

        from eoffice.text import ascii_fold

        return "action-" + slugify(ascii_fold(f"{self.key} {self.hidden.get('assignment', '')}"))

    def fill(self, data, field_name: str | None = None, message: str = "") -> Action:
        """The form again, with what the person typed and the error next to its field."""
        for f in self.fields:
            if f.name in data:
                f.value = data.get(f.name, "")
            if field_name and f.name == field_name:
                f.error = message
        if message and not any(f.error for f in self.fields):
            self.error = message
        self.open = True
        return self


# ---------------------------------------------------------------------------------------
# Workflow transitions

COMMENT = gettext_lazy("Lý do, ý kiến")


def _model_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001  (a field the model does not have: its name will do)
        return name


def transition_action(doc, t, user, url: str, assign_url: str | None = None) -> Action | None:
    """The button of one transition ``t`` offered to ``user`` on ``doc``."""
    label = choice_label(t.label or t.action)
    tone = "danger" if t.action in DANGER_ACTIONS else "secondary"
    if "assignees" in t.fields:
        # Direction: a screen of its own (units, people, roles, deadlines).
        return Action(t.action, label, url, link=assign_url)
    if "assignment" in t.params:
        return None  # handing down one assignment: offered on that assignment's row
    fields: list[FormField] = []
    for name in (*t.fields, *t.params):
        fields.append(_transition_field(doc, name, user))
    if t.comment_required:
        fields.append(FormField("comment", str(COMMENT), "textarea", required=True))
    confirm = ""
    if tone == "danger" or fields:
        confirm = _("Xác nhận «%(label)s»?") % {"label": label}
    return Action(
        t.action,
        label,
        url,
        fields=fields,
        tone=tone,
        confirm=confirm,
        hidden={"action": t.action},
        submit_label=label,
    )


def _transition_field(doc, name: str, user) -> FormField:
    from eoffice.desk import pickers

    model = type(doc)
    if name == "leader":
        unit = doc.responsible_unit()
        leaders = pickers.leaders_of(unit) if unit is not None else []
        return FormField(
            "leader",
            _("Lãnh đạo được trình"),
            "select",
            choices=[(p.email, p.label) for p in leaders] + [("", _("(Không chỉ định)"))],
            value=leaders[0].email if leaders else "",
        )
    if name == "result":
        return FormField(
            "result",
            _("Kết quả xử lý"),
            "textarea",
            help=_("Kết quả, hoặc nhập số ký hiệu văn bản trả lời ở ô dưới."),
        )
    if name == "reply_document":
        return FormField("reply_document", _("Văn bản trả lời (số ký hiệu)"))
    if name == "case_file":
        return FormField("case_file", _("Hồ sơ lưu"), required=True)
    if name == "direction":
        return FormField("direction", _("Ý kiến chỉ đạo"), "textarea", required=True)
    if name in ("deadline", "new_deadline"):
        return FormField(name, _("Hạn xử lý"), "date", placeholder="dd/mm/yyyy")
    if name == "note":
        return FormField("note", _("Ý kiến giao việc"), "textarea")
    return FormField(name, _model_label(model, name))


def transition_actions(doc, user, url: str, assign_url: str | None = None) -> list[Action]:
    """The buttons of the transitions ``user`` may take on ``doc`` now, in the file's order."""
    from eoffice.workflows.engine import get_transitions

    actions = []
    for t in get_transitions(doc, user):
        action = transition_action(doc, t, user, url, assign_url)
        if action is not None:
            actions.append(action)
    for action in actions:
        if action.tone != "danger":
            action.tone = "primary"  # the next step in the path stands out
            break
    return actions


def posted_data(doc, action: str, data) -> dict:
    """What the form of ``action`` sends, reduced to what the transition takes.

    The transitions of that action from the document's state say which keys are data
    (``fields`` and ``params``); empty inputs are left out so defaults apply.
    """
    from eoffice.workflows.engine import current_state, get_workflow

    wf = get_workflow(doc._doctype.name)
    if wf is None:
        return {}
    keys: set[str] = set()
    for t in wf.transitions_from(current_state(wf, doc)):
        if t.action == action:
            keys |= set(t.fields) | set(t.params)
    keys.discard("assignees")  # the direction form sends its rows itself
    return {k: data.get(k).strip() for k in keys if (data.get(k) or "").strip()}


# ---------------------------------------------------------------------------------------
# Actions on one assignment


def _rules():
    # The assignment module's own predicates: the one place that says who may hand down,
    # handle and report (they are the rules its functions enforce when the POST arrives).
    from eoffice.doctype import assignment

    return assignment._may_hand_down, assignment._may_handle, assignment._may_report


def assignment_actions(a, user, url_of, officers=None, pending=None) -> list[Action]:
    """The buttons ``user`` gets on the assignment ``a`` (an Assignment row).

    ``url_of(op)`` gives the URL an operation posts to; ``officers(unit)`` the people a unit
    head may hand it to; ``pending`` the assignment's extension request waiting for an answer.
    """
    may_hand_down, may_handle, may_report = _rules()
    if not a.is_open:
        return []
    top_lead = a.handling_role == HandlingRole.LEAD and a.parent_assignment_id is None
    actions: list[Action] = []
    hidden = {"assignment": a.name}
    if may_hand_down(user, a) and officers is not None:
        people = officers(a.unit, user)
        if people:
            actions.append(
                Action(
                    "hand_down",
                    _("Giao cán bộ xử lý"),
                    url_of("hand-down"),
                    fields=[
                        FormField(
                            "assign_to",
                            _("Giao cho"),
                            "select",
                            required=True,
                            choices=[(p.email, p.label) for p in people],
                        ),
                        FormField(
                            "deadline",
                            _("Hạn xử lý"),
                            "date",
                            value=f"{a.deadline:%d/%m/%Y}",
                            help=_("Không sau hạn của đơn vị (%(day)s).")
                            % {"day": f"{a.deadline:%d/%m/%Y}"},
                        ),
                        FormField("note", _("Ý kiến giao việc"), "textarea"),
                    ],
                    tone="primary",
                    hidden=hidden,
                    submit_label=_("Giao việc"),
                )
            )
    if may_report(user, a) and a.handling_role != HandlingRole.INFORM:
        actions.append(
            Action(
                "progress",
                _("Báo cáo tiến độ"),
                url_of("progress"),
                fields=[FormField("content", _("Nội dung báo cáo"), "textarea", required=True)],
                hidden=hidden,
                submit_label=_("Gửi báo cáo"),
            )
        )
    if (
        may_handle(user, a)
        and a.handling_role != HandlingRole.INFORM
        and a.assigned_by_id
        and pending is None
    ):
        actions.append(
            Action(
                "extend",
                _("Xin gia hạn"),
                url_of("extend"),
                fields=[
                    FormField(
                        "new_deadline",
                        _("Hạn mới đề nghị"),
                        "date",
                        required=True,
                        placeholder="dd/mm/yyyy",
                        help=_("Hạn hiện tại: %(day)s.") % {"day": f"{a.deadline:%d/%m/%Y}"},
                    ),
                    FormField("reason", _("Lý do"), "textarea", required=True),
                ],
                hidden=hidden,
                submit_label=_("Gửi đề nghị"),
            )
        )
    if pending is not None and a.assigned_by_id == user.pk:
        actions.append(
            Action(
                "approve",
                _("Đồng ý gia hạn"),
                url_of("approve-extension"),
                fields=[
                    FormField(
                        "new_deadline",
                        _("Hạn được duyệt"),
                        "date",
                        value=f"{pending.requested_deadline:%d/%m/%Y}",
                    ),
                    FormField("note", _("Ý kiến"), "textarea"),
                ],
                tone="primary",
                hidden={**hidden, "request_name": pending.name},
                confirm=_("Đồng ý gia hạn đến ngày đã chọn?"),
                submit_label=_("Đồng ý"),
            )
        )
        actions.append(
            Action(
                "refuse",
                _("Không đồng ý gia hạn"),
                url_of("refuse-extension"),
                fields=[FormField("note", _("Lý do"), "textarea", required=True)],
                tone="danger",
                hidden={**hidden, "request_name": pending.name},
                confirm=_("Không đồng ý gia hạn?"),
                submit_label=_("Không đồng ý"),
            )
        )
    if (
        may_handle(user, a)
        and not a.handling_role == HandlingRole.LEAD
        and a.handling_role != HandlingRole.INFORM
    ):
        actions.append(
            Action(
                "complete",
                _("Báo cáo hoàn thành"),
                url_of("complete"),
                fields=[
                    FormField("result", _("Kết quả thực hiện"), "textarea", required=True),
                    FormField("reply_document", _("Văn bản trả lời (số ký hiệu)")),
                ],
                hidden=hidden,
                confirm=_("Báo cáo hoàn thành phần việc này?"),
                submit_label=_("Báo cáo hoàn thành"),
            )
        )
    if a.assigned_by_id == user.pk and not top_lead:
        actions.append(
            Action(
                "recall",
                _("Thu hồi"),
                url_of("recall"),
                fields=[FormField("reason", _("Lý do thu hồi"), "textarea", required=True)],
                tone="danger",
                hidden=hidden,
                confirm=_("Thu hồi việc đã giao?"),
                submit_label=_("Thu hồi"),
            )
        )
    return actions


#: Assignment operations the desk posts, and the words of their success message.
OPERATION_DONE = {
    "hand-down": gettext_lazy("Đã giao việc cho %(who)s."),
    "progress": gettext_lazy("Đã gửi báo cáo tiến độ."),
    "extend": gettext_lazy("Đã gửi đề nghị gia hạn; chờ người giao việc duyệt."),
    "approve-extension": gettext_lazy("Đã đồng ý gia hạn."),
    "refuse-extension": gettext_lazy("Đã trả lời không đồng ý gia hạn."),
    "complete": gettext_lazy("Đã báo cáo hoàn thành."),
    "recall": gettext_lazy("Đã thu hồi việc đã giao."),
    "read": gettext_lazy("Đã đánh dấu đã đọc."),
}


def role_label(a) -> str:
    return choice_label(a.handling_role)
