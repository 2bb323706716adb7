"""URL map: the REST API under /api, the desk everywhere else, Django admin under /admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("eoffice.api.urls")),
    path("private/files/", include("eoffice.api.file_urls")),  # attachments, permission-checked
    path("admin/", admin.site.urls),
    path("", include("eoffice.desk.urls")),
]
