"""Django admin (django-unfold theme) for "Quản trị": the organisation tree, users and their
roles per unit, delegation, document types, registers and API keys.

Every ModelAdmin here asks the ONE permission layer, :mod:`eoffice.permissions`, with the
model's DocType (``model._doctype``), so that what the admin lets a person do is exactly what
the REST API lets them do. Django's own model permissions (auth.Permission, groups) are not
used. Entering /admin at all needs ``is_staff`` ("Vào trang quản trị").
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget

from eoffice.constants import Role
from eoffice.desk.home import role_label
from eoffice.desk.labels import choice_label, choices_for
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.organization import Delegation, OrganizationUnit, UnitMember
from eoffice.doctype.user import ApiKey, User
from eoffice.permissions import filter_queryset, has_permission, is_admin, role_allows

# Roles per unit (Unit Member) replace Django's groups and model permissions: an unused
# "Các nhóm" page would only suggest otherwise.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class DocTypePermissions:
    """``has_*_permission`` and the visible rows from :mod:`eoffice.permissions`.

    A model registered as a DocType is checked by role (``role_allows``) and, for one row, by
    unit scope too (``has_permission``); a model that is not a DocType (API keys) is for
    administrators only.
    """

    def _allowed(self, request, ptype: str, obj=None) -> bool:
        user = request.user
        meta = getattr(self.model, "_doctype", None)
        if meta is None:
            return bool(user.is_active and is_admin(user))
        if obj is not None and getattr(obj, "pk", None) is not None:
            return has_permission(user, meta, ptype, doc=obj)
        return role_allows(user, meta, ptype)

    def has_module_permission(self, request):
        return self._allowed(request, "read")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "read", obj)

    def has_add_permission(self, request, *args):  # inlines pass the parent object
        return self._allowed(request, "create")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "write", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        meta = getattr(self.model, "_doctype", None)
        return filter_queryset(request.user, meta, qs, "read") if meta else qs

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        # Stored values are the Vietnamese labels: show them translated, never the English
        # names Django derives from the TextChoices members ("Unit Leader").
        choices = choices_for(db_field)
        include_blank = db_field.blank or not db_field.has_default()
        if include_blank and "" not in {value for value, _label in choices}:
            choices = [("", "---------"), *choices]
        kwargs.setdefault("choices", choices)
        return super().formfield_for_choice_field(db_field, request, **kwargs)


def choice_filter(field_name: str, title):
    """A list filter on a choice field, showing the values' translated labels."""

    class ChoiceFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            return choices_for(model_admin.model._meta.get_field(field_name))

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_name: self.value()})
            return queryset

    ChoiceFilter.title = title
    return ChoiceFilter


@display(description=_("Loại đơn vị"), ordering="kind")
def kind_label(obj):
    return choice_label(obj.kind)


@display(description=_("Vai trò"), ordering="role")
def role_column(obj):
    return choice_label(obj.role)


@display(description=_("Loại sổ"), ordering="direction")
def direction_label(obj):
    return choice_label(obj.direction)


def _stamp(obj, user, adding: bool):
    """Frappe's ``owner`` / ``modified_by`` on a DocType row saved from the admin."""
    if hasattr(obj, "modified_by"):
        obj.modified_by = user.name
        if adding and not getattr(obj, "owner", None):
            obj.owner = user.name


class DocTypeAdmin(DocTypePermissions, ModelAdmin):
    """Base of the admins of DocTypes: permissions from eoffice.permissions, Frappe's stamps."""

    list_per_page = 50
    warn_unsaved_form = True

    def save_model(self, request, obj, form, change):
        _stamp(obj, request.user, not change)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and inline_form.instance is not None:
                _stamp(inline_form.instance, request.user, inline_form.instance.pk is None)
        super().save_formset(request, form, formset, change)


# ---------------------------------------------------------------------------------------
# The organisation


class RelatedOnlyDropdownFilter(RelatedDropdownFilter):
    """A dropdown of only the related rows that the visible rows point to: the "parent" filter
    lists the units that have units under them, a clerk's register filter their own units."""

    def field_choices(self, field, request, model_admin):
        pks = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": pks}, ordering=ordering
        )


class FoldedSearch:
    """Search that ignores Vietnamese accents on every database.

    On MariaDB the column collation (utf8mb4_uca1400_ai_ci) already folds accents and đ/d. The
    embedded SQLite does not, so there the (small) table is folded in Python: units and people
    number in the thousands at most.
    """

    def get_search_results(self, request, queryset, search_term):
        from django.db import connection

        from eoffice.text import ascii_fold

        if connection.vendor == "mysql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        words = ascii_fold(search_term).lower().split()
        fields = [f.lstrip("^=@") for f in self.get_search_fields(request)]
        rows = queryset.values_list("pk", *fields)
        pks = [
            pk
            for pk, *values in rows
            if all(any(w in ascii_fold(str(v or "")).lower() for v in values) for w in words)
        ]
        return queryset.filter(pk__in=pks), False


@admin.register(OrganizationUnit)
class OrganizationUnitAdmin(FoldedSearch, DocTypeAdmin):
    list_display = (
        "tree_name",
        "short_name",
        kind_label,
        "agency_code",
        "keeps_own_registers",
        "is_active",
    )
    list_filter = (
        ("parent", RelatedOnlyDropdownFilter),
        choice_filter("kind", _("loại đơn vị")),
        "keeps_own_registers",
        "is_active",
    )
    list_filter_submit = True
    search_fields = ("unit_name", "short_name", "agency_code")
    search_help_text = _("Tên đơn vị (gõ có dấu hoặc không dấu), tên viết tắt hoặc mã định danh.")
    ordering = ("path", "sort_order")
    list_per_page = 100
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("unit_name", "short_name", "kind", "parent")}),
        (_("Trao đổi văn bản"), {"fields": ("agency_code", "keeps_own_registers")}),
        (_("Khác"), {"fields": ("is_active", "sort_order", "name")}),
    )

    @display(description=_("Tên đơn vị"), ordering="path")
    def tree_name(self, obj):
        """The name indented by its depth in the tree, so the list reads as the tree."""
        if not obj.depth:
            return format_html("<strong>{}</strong>", obj.unit_name)
        return format_html(
            '<span style="padding-left:{}rem" title="{}">└ {}</span>',
            1.5 * obj.depth,
            obj.parent.unit_name if obj.parent_id else "",
            obj.unit_name,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def get_readonly_fields(self, request, obj=None):
        # The name is the key the API uses: chosen (or generated) once, then fixed.
        return ("name",) if obj is not None else ()


class UnitMemberInline(DocTypePermissions, TabularInline):
    model = UnitMember
    fields = ("unit", "role", "title", "is_primary")
    autocomplete_fields = ("unit",)
    extra = 0


class EofficeUserCreationForm(UserCreationForm):
    """A new user: e-mail (the sign-in name), full name, password."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Đã có người dùng với địa chỉ email này."))
        return email


class EofficeUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleFilter(admin.SimpleListFilter):
    title = _("vai trò")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role.value, role_label(role.value)) for role in Role]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(memberships__role=self.value()).distinct()
        return queryset


@admin.register(User)
class UserAdmin(FoldedSearch, DocTypePermissions, BaseUserAdmin, ModelAdmin):
    form = EofficeUserChangeForm
    add_form = EofficeUserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [UnitMemberInline]
    list_display = ("full_name", "email", "posts", "is_active", "is_staff", "last_login")
    list_filter = (
        RoleFilter,
        ("memberships__unit", RelatedOnlyDropdownFilter),
        "is_active",
        "is_staff",
    )
    list_filter_submit = True
    search_fields = ("full_name", "email", "position")
    search_help_text = _("Họ tên (gõ có dấu hoặc không dấu), email hoặc chức vụ.")
    ordering = ("full_name",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "creation")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "position", "phone", "language")}),
        (
            _("Truy cập"),
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "creation")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        members = UnitMember.objects.select_related("unit").order_by("-is_primary", "unit__path")
        return super().get_queryset(request).prefetch_related(Prefetch("memberships", members))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":  # the desk's languages, not free text
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=settings.LANGUAGES,
                initial=settings.LANGUAGE_CODE,
                widget=UnfoldAdminSelectWidget,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")  # only a superuser makes another
        return fields

    @display(description=_("Vai trò và đơn vị"))
    def posts(self, obj):
        rows = [f"{role_label(m.role)} · {m.unit.unit_name}" for m in obj.memberships.all()]
        return format_html("{}", "; ".join(rows)) if rows else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not user.is_staff and user.memberships.filter(role=Role.ADMIN.value).exists():
            messages.warning(
                request,
                _(
                    "%(name)s có vai trò Quản trị nhưng chưa được phép vào trang quản trị: "
                    "đánh dấu “Vào trang quản trị” nếu cần."
                )
                % {"name": user.full_name},
            )


@admin.register(Delegation)
class DelegationAdmin(DocTypeAdmin):
    list_display = ("delegator", "delegate", "unit", role_column, "from_date", "to_date", "state")
    list_filter = (
        choice_filter("role", _("vai trò")),
        "revoked",
        ("unit", RelatedOnlyDropdownFilter),
    )
    list_filter_submit = True
    search_fields = ("delegator__full_name", "delegate__full_name", "unit__unit_name", "reason")
    autocomplete_fields = ("delegator", "delegate", "unit")
    date_hierarchy = "from_date"
    ordering = ("-from_date",)
    fields = ("delegator", "delegate", "unit", "role", "from_date", "to_date", "reason", "revoked")
    actions = ["revoke"]

    @display(
        description=_("Tình trạng"),
        label={"active": "success", "future": "info", "ended": "warning", "revoked": "danger"},
    )
    def state(self, obj):
        today = timezone.localdate()
        if obj.revoked:
            return "revoked", _("Đã thu hồi")
        if obj.from_date > today:
            return "future", _("Chưa bắt đầu")
        if obj.to_date < today:
            return "ended", _("Đã hết hạn")
        return "active", _("Đang hiệu lực")

    @action(description=_("Thu hồi các ủy quyền đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked=False).update(
            revoked=True, modified_by=request.user.name, modified=timezone.now()
        )
        self.message_user(
            request,
            ngettext("Đã thu hồi %(n)d ủy quyền.", "Đã thu hồi %(n)d ủy quyền.", count)
            % {"n": count},
            messages.SUCCESS,
        )


# ---------------------------------------------------------------------------------------
# Document types and registers


@admin.register(DocumentType)
class DocumentTypeAdmin(DocTypeAdmin):
    list_display = (
        "type_name",
        "abbreviation",
        "is_normative",
        "default_handling_days",
        "is_active",
        "sort_order",
    )
    list_filter = ("is_normative", "is_active")
    search_fields = ("type_name", "abbreviation")
    ordering = ("sort_order", "type_name")
    list_per_page = 100
    fields = (
        "type_name",
        "abbreviation",
        "is_normative",
        "default_handling_days",
        "is_active",
        "sort_order",
    )


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(DocTypeAdmin):
    list_display = (
        "register_name",
        "unit",
        direction_label,
        "year",
        "is_secret",
        "is_normative",
        "last_number",
        "is_active",
    )
    list_filter = (
        choice_filter("direction", _("loại sổ")),
        "year",
        "is_secret",
        "is_normative",
        "is_active",
        ("unit", RelatedOnlyDropdownFilter),
    )
    list_filter_submit = True
    search_fields = ("register_name", "unit__unit_name")
    autocomplete_fields = ("unit",)
    ordering = ("-year", "unit__path", "direction")
    fields = (
        "register_name",
        "unit",
        "direction",
        "year",
        "is_secret",
        "is_normative",
        "is_active",
        "last_number",
    )
    # Numbers are given only by the numbering service (DocumentRegister.take_next).
    readonly_fields = ("last_number",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


# ---------------------------------------------------------------------------------------
# API keys


class ApiKeyCreationForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("user", "label")


class ApiKeyStatusFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Đang dùng")), ("revoked", _("Đã thu hồi"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(DocTypePermissions, ModelAdmin):
    """API keys of every user. Generating one shows its secret once (only a hash is stored)."""

    list_display = ("api_key", "user", "label", "created", "last_used", "state")
    list_filter = (ApiKeyStatusFilter,)
    search_fields = ("api_key", "label", "user__email", "user__full_name")
    autocomplete_fields = ("user",)
    ordering = ("-created",)
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "label")
        return ("api_key", "user", "label", "created", "last_used", "revoked_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("api_key", "user", "created", "last_used", "revoked_at")

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the key stays on record

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, secret = ApiKey.generate(obj.user, label=obj.label)
        # The admin logs and redirects with ``obj``: make it the row just created.
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = key._state.db
        obj._secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        """Show the secret this once, on a page that is never cached, instead of redirecting."""
        secret = getattr(obj, "_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Đã tạo khóa API"),
            "key": obj,
            "secret": secret,
        }
        response = TemplateResponse(request, "admin/eoffice/apikey/generated.html", context)
        response.headers["Cache-Control"] = "no-store"
        return response

    @display(description=_("Trạng thái"), label={"active": "success", "revoked": "danger"})
    def state(self, obj):
        if obj.revoked_at:
            return "revoked", _("Đã thu hồi")
        return "active", _("Đang dùng")

    @action(description=_("Thu hồi các khóa đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            key.revoke()
        self.message_user(
            request,
            ngettext("Đã thu hồi %(n)d khóa.", "Đã thu hồi %(n)d khóa.", len(keys))
            % {"n": len(keys)},
            messages.SUCCESS,
        )


# Admin pages of other modules register themselves on import.
from eoffice.deadlines import admin as _deadline_admin  # noqa: E402,F401
