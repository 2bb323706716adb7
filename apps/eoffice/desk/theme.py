"""Settings of the admin theme (django-unfold), which bundles its own assets (no CDN).

Unfold's templates load only its own static files (Inter and Material Symbols fonts included);
tests/desk/test_static.py keeps it that way. The sidebar lists what "Quản trị" manages; each
entry shows only to someone the one permission layer lets read it.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

# Imported by settings.py: nothing here may import Django machinery that reads settings.


def admin_context(request) -> dict:
    """Unfold's GLOBAL_CALLBACK, run for every admin page: admin pages hand out CSRF tokens,
    so the session must now send one on unsafe API calls (Frappe's rule, as on desk pages)."""
    from eoffice.api.csrf import mark_csrf_handed

    mark_csrf_handed(request)
    return {}


def can_view(app_model: str):
    """A sidebar permission callback: whether the admin of ``app_label.ModelName`` lets the
    person in (the ModelAdmin asks eoffice.permissions.role_allows)."""

    def check(request) -> bool:
        from django.apps import apps
        from django.contrib import admin

        model = apps.get_model(app_model)
        if not admin.site.is_registered(model):
            return False
        return admin.site.get_model_admin(model).has_view_or_change_permission(request)

    return check


def _changelist(model_name: str):
    return reverse_lazy(f"admin:eoffice_{model_name}_changelist")


UNFOLD = {
    "SITE_TITLE": _("eOffice – Quản trị"),
    "SITE_HEADER": "eOffice",
    "SITE_SUBHEADER": _("Quản lý văn bản và điều hành"),
    "SITE_URL": "/app",
    "SITE_SYMBOL": "description",
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": "/assets/eoffice/img/favicon.svg"},
    ],
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "GLOBAL_CALLBACK": "eoffice.desk.theme.admin_context",
    "BORDER_RADIUS": "8px",
    "COLORS": {
        # The desk's blue (desk.css --primary is 600); white text on 600 reads at 8:1.
        "primary": {
            "50": "#eef4fb",
            "100": "#d9e6f5",
            "200": "#b8d0ec",
            "300": "#8ab1de",
            "400": "#5a8ccc",
            "500": "#3a6fb5",
            "600": "#1d4f91",
            "700": "#173f74",
            "800": "#12315a",
            "900": "#0d2442",
            "950": "#081629",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": [
            {
                "title": _("Bàn làm việc"),
                "items": [
                    {"title": _("Về trang chủ eOffice"), "icon": "home", "link": "/app"},
                ],
            },
            {
                "title": _("Tổ chức"),
                "items": [
                    {
                        "title": _("Cơ cấu tổ chức"),
                        "icon": "account_tree",
                        "link": _changelist("organizationunit"),
                        "permission": can_view("eoffice.OrganizationUnit"),
                    },
                    {
                        "title": _("Người dùng và vai trò"),
                        "icon": "group",
                        "link": _changelist("user"),
                        "permission": can_view("eoffice.User"),
                    },
                    {
                        "title": _("Ủy quyền"),
                        "icon": "swap_horiz",
                        "link": _changelist("delegation"),
                        "permission": can_view("eoffice.Delegation"),
                    },
                ],
            },
            {
                "title": _("Danh mục văn bản"),
                "items": [
                    {
                        "title": _("Loại văn bản"),
                        "icon": "category",
                        "link": _changelist("documenttype"),
                        "permission": can_view("eoffice.DocumentType"),
                    },
                    {
                        "title": _("Sổ văn bản"),
                        "icon": "menu_book",
                        "link": _changelist("documentregister"),
                        "permission": can_view("eoffice.DocumentRegister"),
                    },
                ],
            },
            {
                "title": _("Hệ thống"),
                "items": [
                    {
                        "title": _("Khóa API"),
                        "icon": "key",
                        "link": _changelist("apikey"),
                        "permission": can_view("eoffice.ApiKey"),
                    },
                ],
            },
        ],
    },
}
