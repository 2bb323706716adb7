"""Tasks ("Giao việc") in the desk: written and given in one screen, handled like documents."""

import pytest

from eoffice.doctype.assignment import Assignment
from eoffice.doctype.task import Task
from tests.doctype import factories as f

NEW = "/app/task/new"


def rows(*entries) -> dict:
    data = {"rows": str(len(entries))}
    for i, (role, who) in enumerate(entries):
        data[f"row-{i}-handling_role"] = role
        data[f"row-{i}-{'user' if '@' in who else 'unit'}"] = who
        data[f"row-{i}-deadline"] = ""
    return data


@pytest.fixture
def chairman(client, demo):
    client.force_login(f.user(f.CHAIRMAN))
    return client


def task_form(demo, **overrides) -> dict:
    data = {
        "title": "Kiểm tra công tác phòng cháy chợ Bát Tràng",
        "description": "Kiểm tra, báo cáo trước ngày 30.",
        "assigning_unit": demo["UBND"].name,
        "urgency": "Thường",
        "deadline": "",
        **rows(("Chủ trì", demo["Bát Tràng"].name), ("Phối hợp", f.TNMT_OFFICER)),
    }
    data.update(overrides)
    return data


def test_a_leader_writes_and_gives_a_task_in_one_screen(chairman, demo):
    html = chairman.get(NEW).content.decode()
    assert "<h1>Giao việc mới</h1>" in html and 'name="row-0-handling_role"' in html
    response = chairman.post(NEW, task_form(demo))
    assert response.status_code == 302
    task = Task.objects.get()
    assert response["Location"] == f"/app/task/{task.name}"
    assert task.workflow_state == "Đã giao" and task.owner == f.CHAIRMAN
    roles = sorted(
        Assignment.objects.filter(reference_name=task.name).values_list("handling_role", flat=True)
    )
    assert roles == ["Chủ trì", "Phối hợp"]
    page = chairman.get(response["Location"]).content.decode()
    assert "Kiểm tra công tác phòng cháy chợ Bát Tràng" in page
    assert (
        "Đã giao việc «Kiểm tra công tác phòng cháy chợ Bát Tràng» cho 2 đơn vị, cá nhân." in page
    )
    assert "Xã Bát Tràng" in page and "Thu hồi" in page


def test_a_task_with_two_leads_or_no_title_stores_nothing(chairman, demo):
    response = chairman.post(
        NEW,
        task_form(
            demo, **rows(("Chủ trì", demo["Bát Tràng"].name), ("Chủ trì", demo["TNMT"].name))
        ),
    )
    assert response.status_code == 400
    assert "Chỉ được có một «Chủ trì»" in response.content.decode()
    response = chairman.post(NEW, task_form(demo, title=""))
    assert response.status_code == 400
    assert "Vui lòng nhập tên công việc." in response.content.decode()
    assert not Task.objects.exists() and not Assignment.objects.exists()


def test_a_draft_keeps_its_rows_and_is_given_later_from_its_page(chairman, demo):
    response = chairman.post(NEW, {**task_form(demo), "save_draft": "1"})
    task = Task.objects.get()
    assert task.workflow_state == "Nháp" and task.assignees.count() == 2
    page = chairman.get(response["Location"]).content.decode()
    assert f'href="/app/task/{task.name}/assign"' in page
    screen = chairman.get(f"/app/task/{task.name}/assign").content.decode()
    assert "<h1>Giao việc</h1>" in screen and 'value="cv.tnmt@gialam.demo"' in screen
    data = {"action": "Giao việc", **rows(("Chủ trì", demo["Bát Tràng"].name))}
    assert chairman.post(f"/app/task/{task.name}/assign", data).status_code == 302
    task.refresh_from_db()
    assert task.workflow_state == "Đã giao"


def test_an_officer_cannot_give_tasks(client, demo):
    client.force_login(f.user(f.TNMT_OFFICER))
    response = client.get(NEW)
    assert response.status_code == 403
    assert "Chỉ lãnh đạo (cơ quan hoặc đơn vị) mới giao việc." in response.content.decode()


def test_the_lead_finds_the_task_in_their_inbox_and_completes_it(client, demo):
    client.force_login(f.user(f.CHAIRMAN))
    client.post(NEW, task_form(demo, **rows(("Chủ trì", f.BATRANG_STAFF))))
    task = Task.objects.get()
    client.force_login(f.user(f.BATRANG_STAFF))
    inbox = client.get("/app/inbox/mine").content.decode()
    assert f'href="/app/task/{task.name}"' in inbox
    page = client.get(f"/app/task/{task.name}").content.decode()
    assert 'data-action="Hoàn thành">Hoàn thành<' in page
    client.post(f"/app/task/{task.name}/action", {"action": "Hoàn thành", "result": "Đã kiểm tra."})
    task.refresh_from_db()
    assert task.workflow_state == "Hoàn thành" and task.result == "Đã kiểm tra."
