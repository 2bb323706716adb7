"""The form of a task ("Giao việc"): work given without a document."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Urgency
from eoffice.desk.fields import VnDateField, translated_choices
from eoffice.doctype.task import Task


class TaskForm(forms.ModelForm):
    """Title, description, the unit in whose name it is given, urgency and deadline."""

    deadline = VnDateField(
        label=_("Hạn hoàn thành"),
        required=False,
        help_text=_("Để trống: tính theo quy định; mỗi người được giao có thể có hạn riêng."),
    )

    class Meta:
        model = Task
        fields = ["title", "description", "assigning_unit", "urgency", "deadline"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": _("Tên công việc"),
            "description": _("Nội dung, yêu cầu"),
            "assigning_unit": _("Giao việc với danh nghĩa"),
            "urgency": _("Độ khẩn"),
        }
        error_messages = {"title": {"required": _("Vui lòng nhập tên công việc.")}}

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = translated_choices(Urgency.choices)
        unit_field = self.fields["assigning_unit"]
        unit_field.queryset = unit_field.queryset.filter(pk__in=[u.pk for u in units])
        unit_field.empty_label = None
        unit_field.to_field_name = "name"
        unit_field.label_from_instance = lambda u: u.unit_name
        unit_field.error_messages["invalid_choice"] = _gettext(
            "Chỉ giao việc với danh nghĩa đơn vị anh/chị lãnh đạo."
        )
        if len(units) <= 1:
            unit_field.widget = forms.HiddenInput()
        if units and not self.is_bound:
            self.initial.setdefault("assigning_unit", units[0].name)
        self.fields["title"].widget.attrs["aria-required"] = "true"
