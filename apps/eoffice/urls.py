"""URL map: the REST API under /api, the desk everywhere else, Django admin under /admin."""

from django.contrib import admin
from django.urls import include, path

from eoffice.desk.urls import site_urlpatterns

urlpatterns = [
    path("api/", include("eoffice.api.urls")),
    path("private/files/", include("eoffice.api.file_urls")),  # attachments, permission-checked
    *site_urlpatterns,  # the language switch and /admin/login/ (one sign-in page for the site)
    path("admin/", admin.site.urls),
    path("", include("eoffice.security.urls")),  # /login/otp, /security/totp
    path("", include("eoffice.audit.urls")),  # /audit-log (administrators)
    path("", include("eoffice.desk.urls")),
]
