"""Settings of the admin theme (django-unfold), which bundles its own assets (no CDN)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": _("eOffice – Quản lý văn bản và điều hành"),
    "SITE_HEADER": "eOffice",
    "SITE_URL": "/app",
    "SHOW_LANGUAGES": True,
    "SIDEBAR": {"show_search": True, "show_all_applications": True},
    "LOGIN": {"redirect_after": reverse_lazy("admin:index")},
}
