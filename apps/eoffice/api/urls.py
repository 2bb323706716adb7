"""REST API routes (Frappe's wire format), also under ``/api/v1/`` as Frappe mounts them."""

from django.urls import path, re_path

from eoffice.api import openapi, views

urlpatterns = [
    re_path(r"^(?:v1/)?method/(?P<method>.+?)/?$", views.method_view, name="api-method"),
    re_path(r"^(?:v1/)?resource/(?P<doctype>[^/]+)/?$", views.resource_list, name="api-list"),
    re_path(
        r"^(?:v1/)?resource/(?P<doctype>[^/]+)/(?P<name>.+?)/?$",
        views.resource_doc,
        name="api-doc",
    ),
    path("openapi.json", openapi.schema_view, name="api-openapi"),
    re_path(r"^docs/?$", openapi.docs_view, name="api-docs"),
    re_path(r"^.*$", views.not_found),
]
