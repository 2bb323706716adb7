"""Giao việc: work that comes from no document, handled with the same assignments."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from eoffice.constants import HandlingRole
from eoffice.doctype import assignment as service
from eoffice.doctype.assignment import Assignment, AssignmentStatus
from eoffice.doctype.task import Task
from eoffice.exceptions import PermissionError
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow, get_transitions
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    TNMT_HEAD,
    TNMT_OFFICER,
    rows,
    user,
)


def new_task(demo, owner=CHAIRMAN, **fields) -> Task:
    values = {
        "title": "Kiểm tra hiện trạng sử dụng đất công",
        "description": "Rà soát đất công do xã quản lý, báo cáo UBND huyện.",
        "assigning_unit": demo["UBND"],
        "owner": owner,
    }
    values.update(fields)
    task = Task(**values)
    task.full_clean()
    task.save()
    return task


def test_a_leader_gives_work_that_an_officer_completes(demo):
    task = new_task(demo)
    assert [t.action for t in get_transitions(task, user(CHAIRMAN))] == ["Giao việc", "Hủy"]
    apply_workflow(
        task,
        "Giao việc",
        user(CHAIRMAN),
        assignees=rows(
            (demo["TNMT"].name, HandlingRole.LEAD), (demo["KT"].name, HandlingRole.COOPERATE)
        ),
    )
    assert task.workflow_state == "Đã giao"
    lead = Assignment.objects.get(
        reference_doctype="Task", reference_name=task.name, handling_role=HandlingRole.LEAD
    )
    assert (lead.unit, lead.assigned_by, lead.deadline) == (
        demo["TNMT"],
        user(CHAIRMAN),
        task.deadline,
    )

    # The same machinery as documents: hand-down, report, extension, completion.
    child = service.hand_down(lead, user(TNMT_HEAD), TNMT_OFFICER)
    task.refresh_from_db()
    assert task.workflow_state == "Đang xử lý"
    service.report_progress(child, user(TNMT_OFFICER), "Đã kiểm tra 3 xã.")
    assert [a.reference_name for a in service.my_assignments(user(TNMT_OFFICER))] == [task.name]
    apply_workflow(task, "Hoàn thành", user(TNMT_OFFICER), result="Báo cáo số 12/BC-TNMT")
    assert task.workflow_state == "Hoàn thành"
    assert Assignment.objects.get(pk=child.pk).status == AssignmentStatus.DONE


def test_only_the_leader_who_wrote_the_task_gives_it(demo):
    task = new_task(demo)
    with pytest.raises(PermissionError):
        apply_workflow(
            task, "Giao việc", user(TNMT_HEAD), assignees=rows((TNMT_OFFICER, HandlingRole.LEAD))
        )


def test_a_task_is_read_by_who_gave_it_and_who_got_it(demo):
    task = new_task(demo, owner=TNMT_HEAD, assigning_unit=demo["TNMT"])
    apply_workflow(
        task, "Giao việc", user(TNMT_HEAD), assignees=rows((TNMT_OFFICER, HandlingRole.LEAD))
    )
    meta = Task._doctype
    for email, sees in (
        (TNMT_HEAD, True),
        (TNMT_OFFICER, True),
        (CHAIRMAN, True),
        (BATRANG_STAFF, False),
    ):
        assert filter_queryset(user(email), meta, Task.objects.all()).exists() is sees, email


def test_a_task_deadline_before_today_is_refused(demo):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(DjangoValidationError) as info:
        new_task(demo, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert "deadline" in info.value.message_dict


def test_recalled_work_goes_back_to_draft_and_can_be_given_again(demo):
    task = new_task(demo)
    apply_workflow(
        task, "Giao việc", user(CHAIRMAN), assignees=rows((demo["TNMT"].name, HandlingRole.LEAD))
    )
    apply_workflow(task, "Thu hồi", user(CHAIRMAN), comment="Đổi đơn vị")
    assert task.workflow_state == "Nháp"
    apply_workflow(
        task, "Giao việc", user(CHAIRMAN), assignees=rows((demo["KT"].name, HandlingRole.LEAD))
    )
    open_rows = Assignment.objects.filter(
        reference_name=task.name, status__in=service.OPEN_STATUSES
    )
    assert [a.unit for a in open_rows] == [demo["KT"]]


def test_a_head_gives_work_only_in_the_name_of_a_unit_he_leads(demo):
    task = new_task(demo, owner=TNMT_HEAD, assigning_unit=demo["KT"])
    with pytest.raises(PermissionError) as info:
        apply_workflow(
            task, "Giao việc", user(TNMT_HEAD), assignees=rows((TNMT_OFFICER, HandlingRole.LEAD))
        )
    assert info.value.message == (
        "Chỉ người tạo và lãnh đạo của đơn vị nhận văn bản hoặc giao việc được thực hiện «Giao việc»."
    )
