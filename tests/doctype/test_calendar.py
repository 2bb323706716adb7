"""Working days: weekends and Vietnam's public holidays (Tết included) do not count."""

from __future__ import annotations

import datetime as dt

import pytest

from eoffice.calendar import (
    add_working_days,
    default_deadline,
    is_working_day,
    working_days_between,
)
from eoffice.constants import Urgency

# The calendar reads the site's own days (Calendar Exception) from the database.
pytestmark = pytest.mark.django_db


def test_weekends_do_not_count():
    friday = dt.date(2026, 3, 6)
    assert add_working_days(friday, 1) == dt.date(2026, 3, 9)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(dt.date(2026, 3, 9), -1) == friday


def test_tet_does_not_count():
    # Tết Bính Ngọ: 16–20 February 2026 are days off.
    assert not any(is_working_day(dt.date(2026, 2, d)) for d in range(16, 21))
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 23)) == 1


def test_national_day_and_reunification_day_do_not_count():
    assert not is_working_day(dt.date(2026, 9, 2))
    assert not is_working_day(dt.date(2026, 4, 30))
    assert add_working_days(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)


def test_counting_forward_and_back_agree():
    start = dt.date(2026, 1, 2)
    for days in range(0, 40):
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
    assert working_days_between(dt.date(2026, 3, 9), dt.date(2026, 3, 6)) == -1


def test_an_urgent_document_is_due_the_same_day_a_normal_one_after_ten_working_days():
    arrival = dt.date(2026, 3, 2)
    assert default_deadline(arrival, Urgency.FLASH) == arrival
    assert default_deadline(arrival, Urgency.URGENT) == arrival
    assert default_deadline(arrival, Urgency.NORMAL) == dt.date(2026, 3, 16)


def test_dates_are_read_in_both_forms():
    assert add_working_days("06/03/2026", 1) == add_working_days("2026-03-06", 1)
