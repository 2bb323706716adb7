"""The clerk's register form ("Tiếp nhận văn bản đến") and the OCR prefill of it.

The form is a ModelForm of "Incoming Document": the model's own rules (:meth:`clean` — no
document date in the future, no deadline before arrival …) run through Django's model
validation and come back next to their fields. The desk only turns typed text into values:
dates typed dd/mm/yyyy, the document type typed by name or abbreviation ("QĐ").
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Secrecy, Urgency
from eoffice.desk.fields import VnDateField, VnDateTimeField, translated_choices
from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.incoming_document import IncomingDocument

#: Fields the clerk types, in the order the paper shows them (and the Tab key follows).
REGISTER_FIELDS = [
    "issuer",
    "document_number",
    "document_date",
    "document_type",
    "summary",
    "signer",
    "page_count",
    "urgency",
    "secrecy",
    "arrival_date",
    "deadline",
    "receiving_unit",
    "notes",
]
#: Fields OCR may fill (the names of eoffice.ocr.fields.extract_fields).
OCR_FIELDS = ("issuer", "document_number", "document_date", "document_type", "summary")
OCR_SELECTS = ("urgency", "secrecy")


def active_document_types():
    return DocumentType.objects.filter(is_active=True)


class DocumentTypeField(forms.CharField):
    """A document type typed by its name ("Quyết định") or abbreviation ("QĐ"), exact case for
    abbreviations (QĐ is not QyĐ, HĐ is not HD)."""

    default_error_messages = {
        "unknown": _("Không có loại văn bản «%(value)s». Chọn trong danh sách gợi ý."),
    }

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        types = list(active_document_types())
        for t in types:
            if t.type_name.casefold() == text.casefold() or t.abbreviation == text:
                return t
        for t in types:  # "Quyết định (QĐ)" as the suggestion list shows it
            if f"{t.type_name} ({t.abbreviation})".casefold() == text.casefold():
                return t
        raise forms.ValidationError(
            self.error_messages["unknown"], code="unknown", params={"value": text}
        )

    def prepare_value(self, value):
        if isinstance(value, DocumentType):
            return value.type_name
        if isinstance(value, int):
            t = DocumentType.objects.filter(pk=value).first()
            return t.type_name if t else ""
        return value


class IncomingDocumentForm(forms.ModelForm):
    """Register or correct an incoming document (what the clerk reads on the paper)."""

    arrival_date = VnDateTimeField(
        label=_("Ngày đến"), help_text=_("Ngày giờ nhận; với văn bản khẩn ghi cả giờ.")
    )
    document_date = VnDateField(label=_("Ngày văn bản"))
    deadline = VnDateField(
        label=_("Hạn giải quyết"),
        required=False,
        help_text=_("Để trống: tính theo quy định (ngày làm việc, trừ ngày nghỉ lễ)."),
    )
    document_type = DocumentTypeField(
        label=_("Loại văn bản"),
        widget=forms.TextInput(attrs={"list": "document-types", "autocomplete": "off"}),
    )

    class Meta:
        model = IncomingDocument
        fields = REGISTER_FIELDS
        widgets = {
            "issuer": forms.TextInput(
                attrs={"list": "issuers", "autocomplete": "off", "autofocus": True}
            ),
            "document_number": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "45/UBND-VP"}
            ),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "signer": forms.TextInput(attrs={"autocomplete": "off"}),
            "page_count": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "issuer": _("Cơ quan ban hành (tác giả)"),
            "document_number": _("Số, ký hiệu"),
            "summary": _("Trích yếu nội dung"),
            "signer": _("Người ký"),
            "page_count": _("Số trang"),
            "urgency": _("Độ khẩn"),
            "secrecy": _("Độ mật"),
            "receiving_unit": _("Đơn vị nhận"),
            "notes": _("Ghi chú"),
        }
        error_messages = {
            "issuer": {"required": _("Vui lòng nhập cơ quan ban hành.")},
            "document_number": {"required": _("Vui lòng nhập số, ký hiệu văn bản.")},
            "summary": {"required": _("Vui lòng nhập trích yếu nội dung.")},
        }

    def __init__(self, *args, user=None, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_date"].error_messages["required"] = _gettext(
            "Vui lòng nhập ngày văn bản."
        )
        self.fields["document_type"].error_messages["required"] = _gettext(
            "Vui lòng chọn loại văn bản."
        )
        self.fields["arrival_date"].error_messages["required"] = _gettext("Vui lòng nhập ngày đến.")
        self.fields["urgency"].choices = translated_choices(Urgency.choices)
        self.fields["secrecy"].choices = translated_choices(Secrecy.choices)
        unit_field = self.fields["receiving_unit"]
        unit_field.queryset = unit_field.queryset.filter(pk__in=[u.pk for u in units])
        unit_field.empty_label = None
        unit_field.to_field_name = "name"
        unit_field.label_from_instance = lambda u: u.unit_name
        if self.instance.pk and self.instance.arrival_number:
            # Numbered: the register (unit, year, secrecy) is fixed; the model says so too.
            unit_field.disabled = True
        self._units = list(units)
        if len(units) <= 1:
            unit_field.widget = forms.HiddenInput()
            unit_field.required = False  # the clerk's only unit, whatever was posted
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("arrival_date", timezone.localtime().replace(second=0))
            if units:
                self.initial.setdefault("receiving_unit", units[0].name)
        if self.instance.pk and self.instance.receiving_unit_id:
            self.initial["receiving_unit"] = self.instance.receiving_unit.name
        for f in self.fields.values():
            if f.required and not isinstance(f.widget, forms.HiddenInput):
                f.widget.attrs.setdefault("aria-required", "true")

    def clean_receiving_unit(self):
        unit = self.cleaned_data.get("receiving_unit")
        if unit is None and len(self._units) == 1:
            return self._units[0]
        return unit


def ocr_prefill(files) -> tuple[dict, set[str]]:
    """Initial values read by OCR from the first file that has them, and which fields they are.

    The OCR chain (:mod:`eoffice.ocr`) keeps ``{"fields": {...}, "from_ocr": [...]}`` on the
    File as soon as its first page is read; the clerk confirms every value.
    """
    for f in files:
        data = (getattr(f, "ocr_fields", None) or {}).get("fields") or {}
        if not data:
            continue
        initial, marked = {}, set()
        for name in OCR_FIELDS + OCR_SELECTS:
            value = data.get(name)
            if not value:
                continue
            if name == "document_date":
                from eoffice.desk.fields import format_date, parse_date

                value = format_date(parse_date(value))
                if not value:
                    continue
            initial[name] = value
            marked.add(name)
        return initial, marked
    return {}, set()
