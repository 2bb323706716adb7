"""Deadline rules per site: handling time by document type and urgency, the clerk's time, N."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from eoffice import calendar
from eoffice.constants import DeadlineState, HandlingRole, Urgency
from eoffice.doctype.assignment import Assignment, deadline_state_of
from eoffice.doctype.deadline_rule import DeadlineRule, DeadlineSettings, handling_days
from eoffice.doctype.document_type import DocumentType
from tests.deadlines.helpers import messages
from tests.doctype.factories import directed

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def doc_type(name):
    return DocumentType.objects.get(type_name=name)


def test_without_rules_urgent_documents_are_due_the_same_day_others_in_ten_working_days(demo):
    for urgency in (Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH):
        assert calendar.default_deadline(MONDAY, urgency, doc_type("Công văn")) == MONDAY
    assert calendar.default_deadline(MONDAY, Urgency.NORMAL, doc_type("Công văn")) == dt.date(
        2026, 3, 16
    )


def test_rules_by_document_type_and_urgency_in_their_order(demo):
    invitation, report = doc_type("Giấy mời"), doc_type("Báo cáo")
    invitation.default_handling_days = 3
    invitation.save()
    assert handling_days(Urgency.NORMAL, invitation) == 3  # the type's own default
    DeadlineRule.objects.create(urgency=Urgency.NORMAL, handling_days=7)
    assert handling_days(Urgency.NORMAL, report) == 7  # the site's rule for every type
    assert handling_days(Urgency.NORMAL, invitation) == 3  # the type's own still wins
    DeadlineRule.objects.create(document_type=invitation, urgency=Urgency.NORMAL, handling_days=2)
    assert handling_days(Urgency.NORMAL, invitation) == 2  # type × urgency wins over all
    # Urgent ones stay same-day even for a type with a longer default …
    assert handling_days(Urgency.URGENT, invitation) == 0
    # … unless the administrator writes a rule for that urgency.
    DeadlineRule.objects.create(urgency=Urgency.URGENT, handling_days=1)
    assert handling_days(Urgency.URGENT, report) == 1
    assert handling_days(Urgency.FLASH, report) == 0
    DeadlineRule.objects.create(document_type=report, urgency=Urgency.FLASH, handling_days=0)
    assert calendar.default_deadline(MONDAY, Urgency.URGENT, report) == dt.date(2026, 3, 3)


def test_the_site_default_handling_time_is_a_setting(demo):
    DeadlineSettings.objects.create(default_handling_days=15)
    assert calendar.default_deadline(MONDAY, Urgency.NORMAL, doc_type("Công văn")) == dt.date(
        2026, 3, 23
    )
    DeadlineSettings(default_handling_days=5).save()  # the one row is updated, not doubled
    assert DeadlineSettings.objects.count() == 1
    assert handling_days(Urgency.NORMAL, doc_type("Công văn")) == 5


def test_a_direction_without_a_date_gets_the_rules_deadline(demo):
    DeadlineRule.objects.create(
        document_type=doc_type("Công văn"), urgency=Urgency.NORMAL, handling_days=4
    )
    doc = directed(demo)
    lead = Assignment.objects.get(reference_name=doc.name, handling_role=HandlingRole.LEAD)
    assert lead.deadline == calendar.add_working_days(doc.start_date(), 4)
    urgent = directed(demo, urgency=Urgency.FLASH)
    lead = Assignment.objects.get(reference_name=urgent.name, handling_role=HandlingRole.LEAD)
    assert lead.deadline == urgent.start_date()


def test_the_clerk_registers_and_hands_on_by_the_next_working_day_urgent_ones_at_once():
    friday = dt.date(2026, 2, 13)
    assert calendar.clerk_deadline(friday) == dt.date(2026, 2, 23)  # over Tết
    assert calendar.clerk_deadline(friday, Urgency.URGENT) == friday
    DeadlineSettings.objects.create(clerk_working_days=0)
    assert calendar.clerk_deadline(friday) == friday


def test_due_soon_follows_the_sites_threshold():
    today = dt.date(2026, 3, 2)
    in_four = calendar.add_working_days(today, 4)
    assert deadline_state_of(in_four, today) == DeadlineState.ON_TRACK
    DeadlineSettings.objects.create(due_soon_working_days=5)
    assert deadline_state_of(in_four, today) == DeadlineState.DUE_SOON
    assert deadline_state_of(today - dt.timedelta(days=1), today) == DeadlineState.OVERDUE


def test_two_rules_for_the_same_type_and_urgency_are_refused_in_vietnamese(demo):
    DeadlineRule.objects.create(urgency=Urgency.NORMAL, handling_days=7)
    twin = DeadlineRule(urgency=Urgency.NORMAL, handling_days=8)
    with pytest.raises(DjangoValidationError) as info:
        twin.full_clean()
    assert info.value.message_dict["urgency"] == ["Đã có quy tắc cho loại văn bản và độ khẩn này."]
    too_long = DeadlineRule(urgency=Urgency.URGENT, handling_days=999)
    with pytest.raises(DjangoValidationError):
        too_long.full_clean()


def test_the_register_form_asks_the_api_for_the_default_deadline(client, demo, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    url = "/api/method/eoffice.deadlines.default_deadline"
    ok = client.get(url, {"date": "13/02/2026", "urgency": "Thường", "document_type": "Công văn"})
    assert ok.json() == {"message": "2026-03-06"}
    assert client.get(url, {"date": "2026-02-13", "urgency": "Hỏa tốc"}).json() == {
        "message": "2026-02-13"
    }
    bad = client.get(url, {"date": "2026-02-13", "urgency": "Gấp"})
    assert bad.status_code == 417 and "Độ khẩn «Gấp» không hợp lệ" in messages(bad)[0]
    bad = client.get(url, {"date": "2026-02-13", "document_type": "Thư tình"})
    assert bad.status_code == 417 and "Không có loại văn bản «Thư tình»" in messages(bad)[0]
