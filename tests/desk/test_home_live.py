"""The home pages count real documents as they move along the incoming workflow."""

import re

import pytest
from django.utils import timezone

from tests.doctype import factories as f


def value(client, email, key) -> str:
    client.force_login(f.user(email))
    html = client.get("/app").content.decode()
    match = re.search(rf'data-block="{re.escape(key)}".*?data-value>([^<]*)<', html, re.S)
    assert match, key
    return match.group(1).strip()


@pytest.fixture
def clerk_morning(demo):
    """Two documents waiting at the district clerk's desk, one of them "Hỏa tốc"."""
    return [f.incoming(demo), f.incoming(demo, urgency="Hỏa tốc")]


def test_the_clerk_sees_what_waits_to_be_registered_and_what_is_urgent(client, clerk_morning):
    assert value(client, f.CLERK, "clerk.to_register") == "2"
    assert value(client, f.CLERK, "clerk.to_register_urgent") == "1"
    assert value(client, "vanthu.dongdu@gialam.demo", "clerk.to_register") == "0"


def test_the_count_links_to_the_list_of_exactly_those_documents_urgent_ones_labelled(
    client, clerk_morning
):
    client.force_login(f.user(f.CLERK))
    html = client.get("/app/incoming-document?view=clerk.to_register").content.decode()
    assert "2 văn bản" in html
    for doc in clerk_morning:
        assert doc.summary in html
    assert '<span class="badge badge--urgent">Hỏa tốc</span>' in html
    urgent = client.get("/app/incoming-document?view=clerk.to_register_urgent").content.decode()
    assert "1 văn bản" in urgent and clerk_morning[1].summary in urgent


def test_registering_moves_a_document_to_todays_registrations(client, demo):
    f.registered(demo)
    assert value(client, f.CLERK, "clerk.to_register") == "0"
    assert value(client, f.CLERK, "clerk.registered_today") == "1"
    assert value(client, f.CLERK, "clerk.to_submit") == "1"


def test_the_chairman_sees_what_waits_for_his_direction(client, demo):
    f.waiting_for_direction(demo)
    assert value(client, f.CHAIRMAN, "leader.to_direct") == "1"
    assert value(client, f.CLERK, "clerk.to_submit") == "0"


def test_after_direction_the_units_heads_see_work_to_hand_on(client, demo):
    f.directed(demo)
    assert value(client, f.CHAIRMAN, "leader.to_direct") == "0"
    assert value(client, f.TNMT_HEAD, "unit.to_hand_on") == "1"
    assert value(client, f.DONGDU_HEAD, "unit.to_hand_on") == "1"
    assert value(client, "ct.dongdu@gialam.demo", "unit.overdue") == "0"


def test_an_overdue_assignment_stands_out_on_the_leaders_page(client, demo):
    from eoffice.doctype.assignment import Assignment

    f.directed(demo)
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    Assignment.objects.filter(unit=demo["TNMT"]).update(deadline=yesterday)
    assert value(client, f.CHAIRMAN, "leader.overdue") == "1"
    assert value(client, f.TNMT_HEAD, "unit.overdue") == "1"
    client.force_login(f.user(f.CHAIRMAN))
    html = client.get("/app").content.decode()
    assert 'class="block block--overdue" data-block="leader.overdue"' in html
    listing = client.get("/app/assignment?view=leader.overdue").content.decode()
    assert '<span class="badge badge--overdue">Quá hạn</span>' in listing


def test_a_document_submitted_to_one_leader_waits_only_on_that_leaders_page(
    client, demo, make_user
):
    from eoffice.constants import Role

    make_user("pct@gialam.demo", demo["UBND"], Role.LEADER, full_name="Phó Chủ tịch")
    f.waiting_for_direction(demo)
    assert value(client, f.CHAIRMAN, "leader.to_direct") == "1"
    assert value(client, "pct@gialam.demo", "leader.to_direct") == "0"


def test_the_on_time_rate_counts_what_was_done_on_or_before_the_deadline(client, demo):
    from eoffice.constants import Outcome
    from eoffice.doctype.assignment import Assignment

    f.directed(demo)
    lead, cooperate = Assignment.objects.order_by("pk")[:2]
    now = timezone.now()
    Assignment.objects.filter(pk=lead.pk).update(completed_on=now, outcome=Outcome.ON_TIME)
    Assignment.objects.filter(pk=cooperate.pk).update(completed_on=now, outcome=Outcome.LATE)
    assert value(client, f.CHAIRMAN, "leader.done_this_year") == "2"
    assert value(client, f.CHAIRMAN, "leader.on_time_rate") == "50,00%"
    client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    assert value(client, f.CHAIRMAN, "leader.on_time_rate") == "50.00%"
