"""One permission layer for every request: a user reads only what their units allow.

Document registers belong to a unit; a commune's people see their commune's registers, the
district leader sees every register under the district.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error

REG = "Document Register"


@pytest.fixture
def registers(demo):
    from eoffice.doctype.document_register import DocumentRegister

    def of(unit_name):
        return sorted(
            DocumentRegister.objects.filter(unit__name=unit_name).values_list("name", flat=True)
        )

    return of


def _count(client, filters=None):
    params = {"doctype": REG}
    if filters is not None:
        import json

        params["filters"] = json.dumps(filters)
    response = client.get("/api/method/frappe.client.get_count", params=params)
    assert response.status_code == 200, response.text
    return response.json()["message"]


def test_a_commune_clerk_lists_and_counts_only_their_communes_registers(login, registers):
    clerk = login("vanthu.dongdu@gialam.demo")
    own, other = registers("GL-XA-DONGDU"), registers("GL-XA-BATTRANG")
    rows = clerk.rows(REG, fields=["name", "unit"], limit=0)
    assert sorted(r["name"] for r in rows) == own and len(own) == 5
    assert {r["unit"] for r in rows} == {"GL-XA-DONGDU"}
    assert _count(clerk) == 5
    assert _count(clerk, [["unit", "=", "GL-XA-BATTRANG"]]) == 0
    assert clerk.rows(REG, filters={"name": ["in", other]}) == []


def test_another_communes_register_is_not_found_whatever_the_request(login, registers):
    other = registers("GL-XA-BATTRANG")[0]
    for email in ("vanthu.dongdu@gialam.demo", "cb.dongdu@gialam.demo"):
        client = login(email)
        url = f"/api/resource/{REG}/{other}"
        # Same answer as for a register that does not exist: its existence is not revealed.
        assert_error(client.get(url), 404, "DoesNotExistError")
        assert_error(client.put(url, json={"register_name": "x"}), 404, "DoesNotExistError")
        assert_error(client.delete(url), 404, "DoesNotExistError")
        response = client.get(
            "/api/method/frappe.client.get_value",
            params={"doctype": REG, "fieldname": "register_name", "filters": other},
        )
        assert response.json() == {"message": {}}
        response = client.get(
            "/api/method/frappe.client.get", params={"doctype": REG, "name": other}
        )
        assert_error(response, 404, "DoesNotExistError")


def test_a_commune_officer_sees_no_register_of_another_commune(login, registers):
    officer = login("cb.dongdu@gialam.demo")
    other = set(registers("GL-XA-BATTRANG"))
    listed = {r["name"] for r in officer.rows(REG, limit=0)}
    assert not listed & other
    assert _count(officer, [["unit", "=", "GL-XA-BATTRANG"]]) == 0


def test_the_district_leader_sees_every_register_below_the_district(login, registers):
    leader = login("chutich@gialam.demo")
    # UBND, 22 communes and towns and 5 coordinating units keep registers: 5 each.
    assert _count(leader) == 28 * 5
    other = registers("GL-XA-BATTRANG")[0]
    data = leader.get(f"/api/resource/{REG}/{other}").json()["data"]
    assert data["unit"] == "GL-XA-BATTRANG"
    assert {r["name"] for r in leader.rows(REG, filters={"unit": "GL-XA-DONGDU"})} == set(
        registers("GL-XA-DONGDU")
    )


def test_a_commune_leader_sees_their_commune_and_the_district_clerk_only_the_district(
    login, registers
):
    assert _count(login("ct.dongdu@gialam.demo")) == 5
    rows = login("vanthu@gialam.demo").rows(REG, fields=["unit"], limit=0)
    assert {r["unit"] for r in rows} == {"GL-UBND"}


def test_a_clerk_cannot_create_a_register_for_another_commune(login):
    clerk = login("vanthu.dongdu@gialam.demo")
    body = {
        "register_name": "Sổ thử",
        "direction": "Đến",
        "year": 2031,
        "unit": "GL-XA-BATTRANG",
    }
    assert_error(clerk.post(f"/api/resource/{REG}", json=body), 403, "PermissionError")
    created = clerk.post(f"/api/resource/{REG}", json={**body, "unit": "GL-XA-DONGDU"})
    assert created.status_code == 200, created.text
    name = created.json()["data"]["name"]
    # Nor move one of theirs there.
    response = clerk.put(f"/api/resource/{REG}/{name}", json={"unit": "GL-XA-BATTRANG"})
    assert_error(response, 403, "PermissionError")
    assert clerk.get(f"/api/resource/{REG}/{name}").json()["data"]["unit"] == "GL-XA-DONGDU"
    assert _count(clerk) == 6
