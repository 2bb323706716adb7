"""The working-day calendar: Vietnam's holidays, Tết, the site's make-up days and days off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from eoffice import calendar
from eoffice.calendar import add_working_days, is_working_day, working_days_between
from eoffice.doctype.calendar_exception import CalendarException, CalendarExceptionKind
from tests.deadlines.helpers import messages

pytestmark = pytest.mark.django_db

D = dt.date


def off(*days):
    return [d for d in days if is_working_day(d)]


def test_tet_2017_is_seven_days_off_and_a_deadline_jumps_over_it():
    # Tết Đinh Dậu: 26/01 – 01/02/2017 off (Thursday to Wednesday).
    assert off(*(D(2017, 1, d) for d in range(26, 32)), D(2017, 2, 1)) == []
    assert add_working_days(D(2017, 1, 25), 1) == D(2017, 2, 2)
    assert working_days_between(D(2017, 1, 25), D(2017, 2, 2)) == 1


def test_a_document_registered_the_friday_before_tet_2026_is_due_ten_working_days_later():
    # Tết Bính Ngọ: 16–20/02/2026 off; with the weekends, 14–22/02.
    friday = D(2026, 2, 13)
    assert off(*(D(2026, 2, d) for d in range(14, 23))) == []
    assert add_working_days(friday, 1) == D(2026, 2, 23)
    assert calendar.default_deadline(friday) == D(2026, 3, 6)


def test_tet_2027_and_its_fifth_day_in_lieu_of_a_saturday():
    # Tết Đinh Mùi falls on Saturday 06/02/2027: 04/02 (29 Tết) – 10/02 (mùng 5) are off.
    assert off(*(D(2027, 2, d) for d in range(4, 11))) == []
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)


def test_hung_kings_day_and_its_day_in_lieu():
    assert not is_working_day(D(2017, 4, 6))  # 10/3 lunar, a Thursday
    assert not is_working_day(D(2026, 4, 27))  # 26/04/2026 is a Sunday: Monday off instead
    assert not is_working_day(D(2027, 4, 16))
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_reunification_day_and_labour_day():
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)  # 30/4 Thu, 1/5 Fri
    # 2027: 1/5 is a Saturday, taken on Monday 3/5.
    assert add_working_days(D(2027, 4, 29), 1) == D(2027, 5, 4)


def test_national_day_with_the_day_swapped_by_the_government():
    # 2026: 31/08 off in exchange for Saturday 22/08 worked; 01–02/09 off.
    assert off(D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)) == []
    assert is_working_day(D(2026, 8, 22))
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    # A Saturday worked to make up for a bridge day the package knows: 04/05/2024.
    assert is_working_day(D(2024, 5, 4)) and not is_working_day(D(2024, 4, 29))


def test_a_make_up_saturday_the_administrator_enters_counts_as_a_working_day():
    saturday = D(2027, 2, 13)
    assert add_working_days(D(2027, 2, 12), 1) == D(2027, 2, 15)
    CalendarException.objects.create(
        day=saturday,
        kind=CalendarExceptionKind.WORKING_DAY,
        description="Làm bù cho ngày nghỉ Tết",
    )
    assert is_working_day(saturday)  # at once: the change drops the cached days
    assert add_working_days(D(2027, 2, 12), 1) == saturday
    assert working_days_between(D(2027, 2, 12), D(2027, 2, 15)) == 2


def test_an_extra_day_off_moves_deadlines_and_deleting_it_moves_them_back():
    friday = D(2026, 3, 6)
    row = CalendarException.objects.create(
        day=friday, kind=CalendarExceptionKind.DAY_OFF, description="Nghỉ lễ địa phương"
    )
    assert add_working_days(D(2026, 3, 5), 1) == D(2026, 3, 9)
    row.delete()
    assert add_working_days(D(2026, 3, 5), 1) == friday


def test_an_edit_in_another_process_is_seen_after_the_cache_expires():
    from eoffice.doctype.calendar_exception import site_exceptions

    site_exceptions()  # cached here
    cache = __import__("eoffice.doctype.calendar_exception", fromlist=["_cache"])._cache
    # Another process writes without this process's signals.
    CalendarException.objects.bulk_create(
        [
            CalendarException(
                name="2026-03-06",
                day=D(2026, 3, 6),
                kind=CalendarExceptionKind.DAY_OFF,
                description="Nghỉ",
            )
        ]
    )
    assert is_working_day(D(2026, 3, 6))  # still trusted for up to `ttl` seconds
    cache._checked -= cache.ttl + 1
    assert not is_working_day(D(2026, 3, 6))


def test_a_make_up_day_must_be_a_day_off_and_a_day_off_a_working_day():
    row = CalendarException(
        day=D(2026, 3, 4), kind=CalendarExceptionKind.WORKING_DAY, description="x"
    )
    with pytest.raises(DjangoValidationError) as info:
        row.full_clean()
    assert info.value.message_dict["day"] == ["Ngày 04/03/2026 vốn là ngày làm việc."]
    row = CalendarException(day=D(2026, 3, 8), kind=CalendarExceptionKind.DAY_OFF, description="x")
    with pytest.raises(DjangoValidationError) as info:
        row.full_clean()
    assert info.value.message_dict["day"] == ["Ngày 08/03/2026 vốn là ngày nghỉ."]


def test_counting_forward_and_back_agree_across_tet_and_site_days():
    CalendarException.objects.create(
        day=D(2026, 2, 28), kind=CalendarExceptionKind.WORKING_DAY, description="Làm bù"
    )
    start = D(2026, 1, 20)
    for days in range(0, 45):
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
        assert add_working_days(end, -days) == start or not is_working_day(start)


def test_the_windows_of_the_sweep():
    # From Friday 13/02/2026, 2 working days ahead reach Tuesday 24/02 (Tết between).
    assert calendar.last_day_within(D(2026, 2, 13), 2) == D(2026, 2, 24)
    # Overdue by more than 2 working days on Wednesday 25/02: deadlines before Monday 23/02,
    # which is every day of Tết and the Friday before it.
    assert calendar.first_day_within(D(2026, 2, 25), 2) == D(2026, 2, 23)
    assert working_days_between(D(2026, 2, 23), D(2026, 2, 25)) == 2
    assert working_days_between(D(2026, 2, 22), D(2026, 2, 25)) == 3
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == 3


def test_bad_dates_and_counts_are_refused_in_vietnamese():
    with pytest.raises(ValueError, match="không phải ngày hợp lệ"):
        calendar.to_date("13/13/2026")
    with pytest.raises(ValueError, match="không phải số ngày hợp lệ"):
        add_working_days(D(2026, 3, 2), "mười")
    with pytest.raises(ValueError, match="quá lớn"):
        add_working_days(D(2026, 3, 2), 10**6)
    with pytest.raises(ValueError, match="nằm ngoài khoảng"):
        add_working_days(D(1900, 1, 1), 1)
    assert calendar.to_date("2026-03-06T10:00:00") == D(2026, 3, 6)


def test_the_api_counts_working_days_and_refuses_bad_input_in_vietnamese(client, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    url = "/api/method/eoffice.calendar.add_working_days"
    response = client.get(url, {"date": "13/02/2026", "days": "1"})
    assert response.status_code == 200 and response.json() == {"message": "2026-02-23"}
    for params, words in [
        ({"date": "2026-02-30", "days": 1}, "không phải ngày hợp lệ"),
        ({"date": "2026-02-13", "days": "x"}, "không phải số ngày hợp lệ"),
        ({"days": 1}, "Thiếu ngày"),
        ({"date": "2026-02-13", "days": 99999}, "quá lớn"),
        ({"date": "01/01/1900", "days": 1}, "nằm ngoài khoảng 1995–2200"),
        ({"date": "9999-12-31", "days": 1}, "nằm ngoài khoảng 1995–2200"),
    ]:
        bad = client.get(url, params)
        assert bad.status_code == 417, bad.content
        assert words in messages(bad)[0]
    between = client.get(
        "/api/method/eoffice.calendar.working_days_between",
        {"start": "2026-02-13", "end": "2026-02-25"},
    )
    assert between.json() == {"message": 3}
