"""The sections of each role's home page (issue 7), declared as data.

Each block names its DocType and a query written against the field names of DESIGN.md's
contracts ("Incoming Document": ``workflow_state``, ``urgency``, ``arrival_date``,
``arrival_number``, ``register``; "Outgoing Document": ``workflow_state``, ``drafting_unit``;
"Assignment": ``unit``, ``assigned_to``, ``handling_role``, ``deadline``, ``completed_on``) and
the state names of DOMAIN.md. Until a DocType is registered its blocks are placeholders; when
it lands, they count. The engineer who adds a DocType checks its blocks here (the desk tests
evaluate every block for every demo user) and adjusts a query if a field differs.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from eoffice.constants import HandlingRole, Outcome, Role, Urgency
from eoffice.desk.home import Block, Section, register_section
from eoffice.permissions import memberships

INCOMING = "Incoming Document"
OUTGOING = "Outgoing Document"
ASSIGNMENT = "Assignment"

URGENT = [Urgency.URGENT.value, Urgency.VERY_URGENT.value, Urgency.FLASH.value]


# ---------------------------------------------------------------------------------------
# Query helpers (dates work whether a field is a DateField or a DateTimeField)


def _is_datetime(qs, name: str) -> bool:
    return isinstance(qs.model._meta.get_field(name), models.DateTimeField)


def _bound(qs, name: str, day: datetime.date):
    """The value to compare field ``name`` with for "the start of ``day``": the date itself,
    or local midnight for a DateTimeField. Ranges instead of ``__date``/``__year`` lookups:
    those need the database's time zone tables (often not loaded in MariaDB, where they then
    match nothing) and cannot use an index."""
    if _is_datetime(qs, name):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day


def on_day(qs, name: str, day: datetime.date):
    """Rows whose date (or date and time) field ``name`` falls on ``day``, local time."""
    return qs.filter(
        **{
            f"{name}__gte": _bound(qs, name, day),
            f"{name}__lt": _bound(qs, name, day + datetime.timedelta(days=1)),
        }
    )


def before_day(qs, name: str, day: datetime.date):
    """Rows whose field ``name`` is before ``day`` (local time)."""
    return qs.filter(**{f"{name}__lt": _bound(qs, name, day)})


def between_days(qs, name: str, first: datetime.date, last: datetime.date):
    """Rows whose field ``name`` falls on ``first`` … ``last``, both included (local time)."""
    return qs.filter(
        **{
            f"{name}__gte": _bound(qs, name, first),
            f"{name}__lt": _bound(qs, name, last + datetime.timedelta(days=1)),
        }
    )


def today() -> datetime.date:
    """Today in the site's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def due_soon_until(day: datetime.date) -> datetime.date:
    """The last day that counts as "Sắp đến hạn" seen from ``day``.

    DOMAIN.md: N working days, N set per site (``due_soon_working_days``, default 2). The
    working-day calendar comes with the deadline issue (``eoffice.calendar``); until it does,
    calendar days are counted.
    """
    days = int(getattr(settings, "SITE_CONFIG", {}).get("due_soon_working_days", 2))
    try:
        from eoffice.calendar import add_working_days
    except ImportError:
        return day + datetime.timedelta(days=days)
    result = add_working_days(day, days)
    return datetime.date.fromisoformat(result) if isinstance(result, str) else result


def units_with_role(user, *roles: str, below: bool = True) -> set[int]:
    """Ids of the units where ``user`` holds one of ``roles`` today, with the units below them.

    Kept on the user object for the request (as ``memberships`` is): a home page asks it for
    many blocks."""
    cache = getattr(user, "_eoffice_units_with_role", None)
    if cache is None:
        cache = {}
        try:
            user._eoffice_units_with_role = cache
        except AttributeError:  # an object that takes no attributes: no cache
            pass
    key = (tuple(sorted(roles)), below)
    if key not in cache:
        cache[key] = _units_with_role(user, roles, below)
    return set(cache[key])


def _units_with_role(user, roles, below: bool) -> set[int]:
    from eoffice.doctype.organization import OrganizationUnit

    ids = {unit for unit, role in memberships(user) if role in roles}
    if below and ids:
        prefixes = OrganizationUnit.objects.filter(pk__in=ids).values_list("path", flat=True)
        query = models.Q()
        for prefix in prefixes:
            query |= models.Q(path__startswith=prefix)
        ids |= set(OrganizationUnit.objects.filter(query).values_list("pk", flat=True))
    return ids


def in_state(*states: str):
    """A block query: rows in one of the workflow states."""
    return lambda user, qs: qs.filter(workflow_state__in=states)


def _open(qs):
    """Assignments still to be handled: the Assignment module's own notion of "open" when it
    declares one (recalled or closed ones are not open), else those not completed."""
    try:
        from eoffice.doctype.assignment import OPEN_STATUSES
    except ImportError:
        return qs.filter(completed_on__isnull=True)
    return qs.filter(status__in=list(OPEN_STATUSES))


def _overdue(qs):
    return before_day(_open(qs), "deadline", today())


def _due_soon(qs):
    day = today()
    return between_days(_open(qs), "deadline", day, due_soon_until(day))


def _done_on_time(qs):
    """Completed on or before the deadline (DOMAIN.md: "trước hạn" and "đúng hạn").

    The Assignment module classifies each completion once (``outcome``); where a model has no
    such field, completion and deadline are compared (dates only)."""
    fields = {f.name for f in qs.model._meta.get_fields()}
    if "outcome" in fields:
        return qs.filter(outcome__in=[Outcome.EARLY.value, Outcome.ON_TIME.value])
    return qs.filter(completed_on__lte=F("deadline"))


def _done_this_year(qs):
    year = today().year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return between_days(qs.filter(completed_on__isnull=False), "completed_on", first, last)


def on_time_rate(user, qs) -> str:
    """DOMAIN.md: done on or before the deadline ÷ done × 100%, as "91,47%"; "—" when none."""
    total = qs.count()
    if not total:
        return "—"
    return number_format(_done_on_time(qs).count() * 100 / total, decimal_pos=2) + "%"


def _led_units(user):
    return units_with_role(user, Role.LEADER.value, Role.UNIT_LEADER.value)


def _unit_led(user):
    return units_with_role(user, Role.UNIT_LEADER.value)


def _submitted_to_me(user, qs):
    """Documents submitted to this leader, or to no leader in particular (where the model says
    to whom a document was submitted)."""
    if "leader" in {f.name for f in qs.model._meta.get_fields()}:
        return qs.filter(models.Q(leader=user) | models.Q(leader__isnull=True))
    return qs


def _not_handed_down(qs):
    """Of the units' own assignments, those no officer holds yet (no open hand-down)."""
    try:
        from eoffice.doctype.assignment import OPEN_STATUSES
    except ImportError:
        return qs
    handed = qs.model.objects.filter(
        parent_assignment=models.OuterRef("pk"), status__in=list(OPEN_STATUSES)
    )
    return qs.filter(~models.Exists(handed))


def _mine(user, qs):
    return qs.filter(assigned_to=user)


# ---------------------------------------------------------------------------------------
# Văn thư


register_section(
    Section(
        key="clerk.intake",
        role=Role.CLERK.value,
        title=_("Văn bản chờ vào sổ"),
        description=_("Văn bản đến đã nhận (bản giấy đã quét, tệp, gói edXML) chưa vào sổ."),
        blocks=[
            Block(
                key="clerk.to_register",
                label=_("Chờ tiếp nhận"),
                doctype=INCOMING,
                query=in_state("Chờ tiếp nhận"),
                order_by=("-creation",),
            ),
            Block(
                key="clerk.to_register_urgent",
                label=_("Trong đó văn bản khẩn"),
                doctype=INCOMING,
                query=lambda user, qs: qs.filter(
                    workflow_state="Chờ tiếp nhận", urgency__in=URGENT
                ),
                tone="urgent",
                help=_("Khẩn, thượng khẩn, hỏa tốc: vào sổ và trình ngay."),
            ),
        ],
    )
)
register_section(
    Section(
        key="clerk.today",
        role=Role.CLERK.value,
        title=_("Vào sổ hôm nay"),
        description=_("Văn bản đến đã vào sổ trong ngày và việc còn lại với chúng."),
        blocks=[
            Block(
                key="clerk.registered_today",
                label=_("Đã vào sổ hôm nay"),
                doctype=INCOMING,
                query=lambda user, qs: on_day(
                    qs.filter(arrival_number__isnull=False), "arrival_date", today()
                ),
                order_by=("-arrival_number",),
            ),
            Block(
                key="clerk.to_submit",
                label=_("Chờ trình lãnh đạo"),
                doctype=INCOMING,
                query=in_state("Đã vào sổ"),
                help=_("Trình hoặc chuyển xử lý trong ngày, chậm nhất ngày làm việc tiếp theo."),
            ),
        ],
    )
)
register_section(
    Section(
        key="clerk.outgoing",
        role=Role.CLERK.value,
        title=_("Chờ cấp số / phát hành"),
        description=_("Văn bản đi đang chờ văn thư kiểm tra thể thức, cấp số hoặc phát hành."),
        blocks=[
            Block(
                key="clerk.to_check",
                label=_("Chờ kiểm tra thể thức"),
                doctype=OUTGOING,
                query=in_state("Chờ kiểm tra thể thức"),
            ),
            Block(
                key="clerk.to_number",
                label=_("Đã ký, chờ cấp số"),
                doctype=OUTGOING,
                query=in_state("Đã ký"),
            ),
            Block(
                key="clerk.to_issue",
                label=_("Đã cấp số, chờ phát hành"),
                doctype=OUTGOING,
                query=in_state("Đã cấp số"),
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------
# Lãnh đạo

register_section(
    Section(
        key="leader.direction",
        role=Role.LEADER.value,
        title=_("Chờ chỉ đạo"),
        description=_("Văn bản đến văn thư đã trình, chờ ý kiến chỉ đạo và phân công."),
        blocks=[
            Block(
                key="leader.to_direct",
                link="/app/inbox/direction",
                label=_("Văn bản chờ chỉ đạo"),
                doctype=INCOMING,
                query=lambda user, qs: _submitted_to_me(
                    user, qs.filter(workflow_state="Chờ chỉ đạo")
                ),
            ),
            Block(
                key="leader.to_direct_urgent",
                link="/app/inbox/direction",
                label=_("Trong đó văn bản khẩn"),
                doctype=INCOMING,
                query=lambda user, qs: _submitted_to_me(
                    user, qs.filter(workflow_state="Chờ chỉ đạo", urgency__in=URGENT)
                ),
                tone="urgent",
            ),
        ],
    )
)
register_section(
    Section(
        key="leader.sign",
        role=Role.LEADER.value,
        title=_("Chờ ký"),
        description=_("Dự thảo văn bản đi đã được duyệt và kiểm tra thể thức, chờ ký ban hành."),
        blocks=[
            Block(
                key="leader.to_sign",
                label=_("Văn bản chờ ký"),
                doctype=OUTGOING,
                query=in_state("Chờ ký"),
            ),
            Block(
                key="leader.to_sign_urgent",
                label=_("Trong đó văn bản khẩn"),
                doctype=OUTGOING,
                query=lambda user, qs: qs.filter(workflow_state="Chờ ký", urgency__in=URGENT),
                tone="urgent",
            ),
        ],
    )
)
register_section(
    Section(
        key="leader.overdue",
        role=Role.LEADER.value,
        title=_("Quá hạn của đơn vị"),
        description=_("Nhiệm vụ chưa hoàn thành của các đơn vị anh/chị phụ trách."),
        blocks=[
            Block(
                key="leader.overdue",
                label=_("Nhiệm vụ quá hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _overdue(qs.filter(unit_id__in=_led_units(user))),
                tone="overdue",
                order_by=("deadline",),
            ),
            Block(
                key="leader.due_soon",
                label=_("Nhiệm vụ sắp đến hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _due_soon(qs.filter(unit_id__in=_led_units(user))),
                tone="due-soon",
                order_by=("deadline",),
            ),
        ],
    )
)
register_section(
    Section(
        key="leader.on_time",
        role=Role.LEADER.value,
        title=_("Tỷ lệ đúng hạn"),
        description=_("Nhiệm vụ hoàn thành từ đầu năm: tỷ lệ hoàn thành trước hoặc đúng hạn."),
        blocks=[
            Block(
                key="leader.on_time_rate",
                label=_("Tỷ lệ đúng hạn năm nay"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _done_this_year(qs.filter(unit_id__in=_led_units(user))),
                metric=on_time_rate,
                tone="info",
            ),
            Block(
                key="leader.done_this_year",
                label=_("Nhiệm vụ đã hoàn thành năm nay"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _done_this_year(qs.filter(unit_id__in=_led_units(user))),
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------
# Lãnh đạo đơn vị


def unit_people(user) -> dict:
    """The people of the units ``user`` heads, and the open assignments each one holds."""
    from django.db.models import Count, Q

    from eoffice.doctype.base import get_meta
    from eoffice.doctype.organization import UnitMember

    units = _unit_led(user)
    members = list(
        UnitMember.objects.filter(unit_id__in=units)
        .exclude(user=user)
        .select_related("user", "unit")
        .order_by("unit__path", "user__full_name")
    )
    held: dict[int, tuple[int, int]] = {}
    meta = get_meta(ASSIGNMENT)
    if meta is not None and members:
        try:
            qs = _open(meta.model.objects.filter(assigned_to__in=[m.user_id for m in members]))
            overdue = Q(**{"deadline__lt": _bound(qs, "deadline", today())})
            for row in qs.values("assigned_to").annotate(
                total=Count("pk"), late=Count("pk", filter=overdue)
            ):
                held[row["assigned_to"]] = (row["total"], row["late"])
        except (FieldError, TypeError, ValueError):  # fields differ from the contract
            held = {}
    people = [
        {
            "member": m,
            "open": held.get(m.user_id, (0, 0))[0] if meta else None,
            "late": held.get(m.user_id, (0, 0))[1] if meta else None,
        }
        for m in members
    ]
    return {"people": people, "counts_available": meta is not None}


register_section(
    Section(
        key="unit.work",
        role=Role.UNIT_LEADER.value,
        title=_("Việc của đơn vị"),
        description=_("Nhiệm vụ giao cho đơn vị, theo trạng thái và hạn xử lý."),
        blocks=[
            Block(
                key="unit.to_hand_on",
                link="/app/inbox/unit",
                label=_("Chưa giao cho cán bộ"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _not_handed_down(
                    _open(qs.filter(unit_id__in=_unit_led(user), assigned_to__isnull=True))
                ),
                order_by=("deadline",),
            ),
            Block(
                key="unit.in_progress",
                link="/app/inbox/unit",
                label=_("Cán bộ đang xử lý"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _open(
                    qs.filter(unit_id__in=_unit_led(user), assigned_to__isnull=False)
                ),
                order_by=("deadline",),
            ),
            Block(
                key="unit.due_soon",
                link="/app/inbox/unit",
                label=_("Sắp đến hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _due_soon(qs.filter(unit_id__in=_unit_led(user))),
                tone="due-soon",
                order_by=("deadline",),
            ),
            Block(
                key="unit.overdue",
                link="/app/inbox/unit",
                label=_("Quá hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _overdue(qs.filter(unit_id__in=_unit_led(user))),
                tone="overdue",
                order_by=("deadline",),
            ),
        ],
    )
)
register_section(
    Section(
        key="unit.approve",
        role=Role.UNIT_LEADER.value,
        title=_("Chờ duyệt"),
        description=_("Dự thảo văn bản đi của đơn vị do cán bộ trình, chờ duyệt."),
        blocks=[
            Block(
                key="unit.to_approve",
                label=_("Dự thảo chờ duyệt"),
                doctype=OUTGOING,
                query=lambda user, qs: qs.filter(
                    workflow_state="Chờ duyệt", drafting_unit_id__in=_unit_led(user)
                ),
            ),
        ],
    )
)
register_section(
    Section(
        key="unit.people",
        role=Role.UNIT_LEADER.value,
        title=_("Ai đang giữ việc gì"),
        description=_("Cán bộ trong đơn vị và số nhiệm vụ mỗi người đang xử lý."),
        template="desk/home/section_people.html",
        extra=unit_people,
    )
)

# ---------------------------------------------------------------------------------------
# Chuyên viên

WORKING_ROLES = [HandlingRole.LEAD.value, HandlingRole.COOPERATE.value]

register_section(
    Section(
        key="officer.mine",
        role=Role.OFFICER.value,
        title=_("Việc của tôi"),
        description=_("Nhiệm vụ anh/chị chủ trì hoặc phối hợp, hạn gần nhất trước."),
        blocks=[
            Block(
                key="officer.open",
                link="/app/inbox/mine",
                label=_("Đang xử lý"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _open(
                    _mine(user, qs).filter(handling_role__in=WORKING_ROLES)
                ),
                order_by=("deadline",),
            ),
            Block(
                key="officer.due_soon",
                link="/app/inbox/mine",
                label=_("Sắp đến hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _due_soon(
                    _mine(user, qs).filter(handling_role__in=WORKING_ROLES)
                ),
                tone="due-soon",
                order_by=("deadline",),
            ),
            Block(
                key="officer.overdue",
                link="/app/inbox/mine",
                label=_("Quá hạn"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _overdue(
                    _mine(user, qs).filter(handling_role__in=WORKING_ROLES)
                ),
                tone="overdue",
                order_by=("deadline",),
            ),
        ],
    )
)
register_section(
    Section(
        key="officer.new",
        role=Role.OFFICER.value,
        title=_("Văn bản mới nhận"),
        description=_("Văn bản, chỉ đạo giao cho anh/chị trong 7 ngày qua."),
        blocks=[
            Block(
                key="officer.received",
                link="/app/inbox/mine",
                label=_("Nhận trong 7 ngày qua"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _mine(user, qs).filter(
                    creation__gte=timezone.now() - datetime.timedelta(days=7)
                ),
                order_by=("-creation",),
            ),
        ],
    )
)
register_section(
    Section(
        key="officer.inform",
        role=Role.OFFICER.value,
        title=_("Nhận để biết chưa đọc"),
        description=_("Văn bản gửi để biết; hoàn thành khi anh/chị đã đọc."),
        blocks=[
            Block(
                key="officer.inform_unread",
                link="/app/inbox/inform",
                label=_("Chưa đọc"),
                doctype=ASSIGNMENT,
                query=lambda user, qs: _open(
                    _mine(user, qs).filter(handling_role=HandlingRole.INFORM.value)
                ),
                order_by=("-creation",),
            ),
        ],
    )
)
register_section(
    Section(
        key="officer.drafts",
        role=Role.OFFICER.value,
        title=_("Dự thảo của tôi"),
        description=_("Văn bản đi anh/chị đang soạn hoặc bị trả lại để sửa."),
        blocks=[
            Block(
                key="officer.drafting",
                label=_("Đang soạn"),
                doctype=OUTGOING,
                query=lambda user, qs: qs.filter(owner=user.email, workflow_state="Dự thảo"),
                order_by=("-modified",),
            ),
        ],
    )
)

# ---------------------------------------------------------------------------------------
# Quản trị: the counts link to the Django admin, where the organisation is managed.


def _active_delegations(user, qs):
    day = today()
    return qs.filter(revoked=False, from_date__lte=day, to_date__gte=day)


def _active_api_keys(user, qs):
    from eoffice.doctype.user import ApiKey

    return ApiKey.objects.filter(revoked_at__isnull=True)


register_section(
    Section(
        key="admin.manage",
        role=Role.ADMIN.value,
        title=_("Quản trị hệ thống"),
        description=_("Cơ cấu tổ chức, người dùng và vai trò, danh mục, sổ văn bản, khóa API."),
        blocks=[
            Block(
                key="admin.units",
                label=_("Cơ cấu tổ chức (đơn vị)"),
                doctype="Organization Unit",
                query=lambda user, qs: qs.filter(is_active=True),
                admin_url="admin:eoffice_organizationunit_changelist",
            ),
            Block(
                key="admin.users",
                label=_("Người dùng và vai trò"),
                doctype="User",
                query=lambda user, qs: qs.filter(is_active=True),
                admin_url="admin:eoffice_user_changelist",
            ),
            Block(
                key="admin.delegations",
                label=_("Ủy quyền đang hiệu lực"),
                doctype="Delegation",
                query=_active_delegations,
                admin_url="admin:eoffice_delegation_changelist",
            ),
            Block(
                key="admin.document_types",
                label=_("Loại văn bản"),
                doctype="Document Type",
                query=lambda user, qs: qs.filter(is_active=True),
                admin_url="admin:eoffice_documenttype_changelist",
            ),
            Block(
                key="admin.registers",
                label=_("Sổ văn bản năm nay"),
                doctype="Document Register",
                query=lambda user, qs: qs.filter(year=today().year, is_active=True),
                admin_url="admin:eoffice_documentregister_changelist",
            ),
            Block(
                key="admin.api_keys",
                label=_("Khóa API đang dùng"),
                doctype="User",  # API keys are not a DocType; only administrators see this
                query=_active_api_keys,
                admin_url="admin:eoffice_apikey_changelist",
            ),
        ],
    )
)
