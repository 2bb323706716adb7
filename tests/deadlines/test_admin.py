"""The administrator's pages of deadline rules, the site calendar and routing rules."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from eoffice.deadlines import admin as deadline_admin  # noqa: F401  (registers the pages)
from eoffice.doctype.calendar_exception import CalendarException
from eoffice.doctype.deadline_rule import DeadlineRule, DeadlineSettings
from eoffice.doctype.routing_rule import RoutingLog, RoutingRule
from tests.doctype.factories import user

pytestmark = pytest.mark.django_db


def request_as(email):
    request = RequestFactory().get("/admin/")
    request.user = user(email)
    return request


@pytest.mark.parametrize(
    "model", [CalendarException, DeadlineSettings, DeadlineRule, RoutingRule, RoutingLog]
)
def test_the_pages_follow_the_one_permission_layer(demo, model):
    page = admin.site.get_model_admin(model)
    administrator, clerk = request_as("admin@gialam.demo"), request_as("vanthu@gialam.demo")
    assert page.has_view_permission(administrator)
    if model is not RoutingLog:
        assert page.has_change_permission(administrator)
    assert not page.has_change_permission(clerk)
    assert not page.has_delete_permission(clerk)


def test_settings_are_one_row(demo):
    page = admin.site.get_model_admin(DeadlineSettings)
    administrator = request_as("admin@gialam.demo")
    assert page.has_add_permission(administrator)
    DeadlineSettings.objects.create()
    assert not page.has_add_permission(administrator)
