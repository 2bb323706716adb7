"""Form fields the desk's forms share: dates typed dd/mm/yyyy, choices with translated labels.

A clerk types dates as they are printed on the paper: "15/08/2017", "15/8/2017", "15.08.2017"
or "15082017" all mean the 15th of August 2017 (ISO "2017-08-15" is accepted too). The inputs
are plain text inputs with a numeric keyboard on phones; ``desk.js`` inserts the slashes while
typing.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.desk.labels import choice_label

DATE_PLACEHOLDER = "dd/mm/yyyy"
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"


def parse_date(text: str) -> datetime.date | None:
    """A date typed the Vietnamese way (or ISO); None when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:2]}/{text[2:4]}/{text[4:]}"
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    try:
        if m:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if m:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def format_date(value) -> str:
    """A date as typed back into a form: "15/08/2017"; empty for None."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value:%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


class DateInput(forms.TextInput):
    """A text input for a date: numeric keyboard, a placeholder, slashes added while typing."""

    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "off",
            "data-date": "",
            "size": "10",
            "maxlength": "10",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_date(value)
        return super().format_value(value)


class DateTimeInput(DateInput):
    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": DATETIME_PLACEHOLDER, "maxlength": "16", "size": "16", **(attrs or {})}
        )


class VnDateField(forms.DateField):
    """A date typed dd/mm/yyyy (see :func:`parse_date`), with a Vietnamese message."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 15/08/2017."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        day = parse_date(str(value))
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class VnDateTimeField(forms.DateTimeField):
    """A date, optionally with a time ("15/08/2017 14:30"), local time."""

    widget = DateTimeInput
    default_error_messages = {
        "invalid": _("Ngày giờ không hợp lệ: nhập dd/mm/yyyy hoặc dd/mm/yyyy hh:mm."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        text = str(value).strip()
        m = re.fullmatch(r"(.+?)\s+(\d{1,2})[:hg](\d{2})", text)
        day = parse_date(m.group(1) if m else text)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = (int(m.group(2)), int(m.group(3))) if m else (None, None)
        if hour is None:
            # A day without a time: now if it is today, else the start of the working day.
            now = timezone.localtime()
            if day == now.date():
                return now.replace(second=0, microsecond=0)
            hour, minute = 8, 0
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def translated_choices(choices) -> list[tuple[str, str]]:
    """(value, label) pairs whose labels are the stored Vietnamese values, translated."""
    return [(value, choice_label(value)) for value, _label in choices]
