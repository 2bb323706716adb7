"""Desk routes: the front door, signing in and out, the home page, lists, API keys."""

from django.contrib.auth import views as auth_views
from django.urls import path

from eoffice.desk.views import api_keys, auth, home, lists

app_name = "desk"

urlpatterns = [
    path("", auth.front_door, name="front_door"),
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("app", home.home, name="home"),
    path("app/api-keys", api_keys.api_keys, name="api_keys"),
    path("app/api-keys/<int:pk>/revoke", api_keys.revoke_api_key, name="revoke_api_key"),
    path("app/<slug:slug>", lists.doctype_list, name="list"),
]

# Mounted by eoffice.urls outside the "desk" namespace and before Django admin: admin and
# unfold look "set_language" up by that bare name, and /admin/login/ must win over admin's own.
site_urlpatterns = [
    path("i18n/setlang/", auth.set_language, name="set_language"),
    path("admin/login/", auth.admin_login, name="admin_login"),
]
