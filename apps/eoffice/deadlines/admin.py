"""Admin pages ("Quản trị") of the deadline rules, the site calendar and the routing rules.

Built on :class:`eoffice.admin.DocTypeAdmin`, so the one permission layer decides who sees and
changes what. Imported by ``eoffice/admin.py`` (Django's admin autodiscovery reads only that
module).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from eoffice.admin import DocTypeAdmin, choice_filter
from eoffice.desk.labels import choice_label
from eoffice.doctype.calendar_exception import CalendarException
from eoffice.doctype.deadline_rule import DeadlineRule, DeadlineSettings
from eoffice.doctype.routing_rule import RoutingLog, RoutingRule, dry_run


@admin.register(CalendarException)
class CalendarExceptionAdmin(DocTypeAdmin):
    list_display = ("day", "weekday", "kind_label", "description")
    list_filter = (choice_filter("kind", _("loại ngày")),)
    search_fields = ("description",)
    date_hierarchy = "day"
    ordering = ("-day",)
    fields = ("day", "kind", "description")

    @display(description=_("Thứ"))
    def weekday(self, obj):
        return ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"][
            obj.day.weekday()
        ]

    @display(description=_("Loại ngày"), ordering="kind")
    def kind_label(self, obj):
        return choice_label(obj.kind)


@admin.register(DeadlineSettings)
class DeadlineSettingsAdmin(DocTypeAdmin):
    list_display = (
        "__str__",
        "default_handling_days",
        "clerk_working_days",
        "due_soon_working_days",
        "escalate_after_working_days",
        "send_digest",
    )
    fields = (
        "default_handling_days",
        "clerk_working_days",
        "due_soon_working_days",
        "escalate_after_working_days",
        "overdue_lookback_days",
        "send_digest",
    )

    def has_add_permission(self, request, *args):
        # One row: "add" only while there is none.
        return super().has_add_permission(request, *args) and not DeadlineSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(DocTypeAdmin):
    list_display = ("type_label", "urgency_label", "handling_days", "note")
    list_filter = (choice_filter("urgency", _("độ khẩn")),)
    autocomplete_fields = ("document_type",)
    fields = ("document_type", "urgency", "handling_days", "note")

    @display(description=_("Loại văn bản"), ordering="document_type__type_name")
    def type_label(self, obj):
        return obj.document_type.type_name if obj.document_type_id else _("Mọi loại văn bản")

    @display(description=_("Độ khẩn"), ordering="urgency")
    def urgency_label(self, obj):
        return choice_label(obj.urgency)


@admin.register(RoutingRule)
class RoutingRuleAdmin(DocTypeAdmin):
    list_display = (
        "rule_name",
        "priority",
        "action_label",
        "target_unit",
        "is_active",
        "tested_result",
    )
    list_filter = ("is_active", choice_filter("action", _("xử lý")))
    search_fields = ("rule_name", "issuers", "keywords")
    autocomplete_fields = ("receiving_unit", "document_type", "target_unit", "leader")
    ordering = ("priority", "id")
    readonly_fields = ("tested_on", "tested_result")
    fieldsets = (
        (None, {"fields": ("rule_name", "priority", "is_active")}),
        (
            _("Điều kiện (khớp tất cả các mục đã điền)"),
            {
                "fields": (
                    "receiving_unit",
                    "issuers",
                    "document_type",
                    "keywords",
                    "search_extracted_text",
                )
            },
        ),
        (_("Xử lý"), {"fields": ("action", "target_unit", "leader")}),
        (_("Chạy thử"), {"fields": ("tested_on", "tested_result")}),
    )
    actions = ["run_dry_run"]

    @display(description=_("Xử lý"), ordering="action")
    def action_label(self, obj):
        return choice_label(obj.action)

    @action(description=_("Chạy thử trên văn bản đã có"), permissions=["change"])
    def run_dry_run(self, request, queryset):
        for rule in queryset:
            result = dry_run(rule)
            sample = "; ".join(
                f"{d['arrival_number']} – {d['document_number']}" for d in result["documents"][:5]
            )
            self.message_user(
                request,
                f"«{rule.rule_name}»: {rule.tested_result}"
                + (f" Ví dụ: {sample}." if sample else ""),
                messages.INFO,
            )


@admin.register(RoutingLog)
class RoutingLogAdmin(DocTypeAdmin):
    list_display = ("document", "rule_name", "action", "unit", "status", "creation")
    list_filter = ("status", "action")
    search_fields = ("document__name", "rule_name")
    readonly_fields = (
        "document",
        "rule",
        "rule_name",
        "action",
        "unit",
        "leader",
        "reason",
        "status",
        "error",
    )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
