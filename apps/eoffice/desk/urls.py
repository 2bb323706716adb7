"""Desk routes: the front door, signing in and out, the home page, lists, API keys, and the
pages of incoming documents, tasks, assignments and inboxes (Frappe's ``/app/<doctype>/<name>``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from eoffice.desk.views import (
    api_keys,
    assignments,
    auth,
    documents,
    home,
    inbox,
    incoming,
    lists,
    notifications,
    tasks,
)

app_name = "desk"

urlpatterns = [
    path("", auth.front_door, name="front_door"),
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("app", home.home, name="home"),
    path("app/api-keys", api_keys.api_keys, name="api_keys"),
    path("app/api-keys/<int:pk>/revoke", api_keys.revoke_api_key, name="revoke_api_key"),
    # The bell: notifications in the desk and each person's choice of what they get.
    path("app/notifications", notifications.notification_list, name="notifications"),
    path("app/notifications/read-all", notifications.read_all, name="notifications_read_all"),
    path(
        "app/notifications/preferences",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "app/notifications/<str:name>/read",
        notifications.open_notification,
        name="notification_read",
    ),
    # Incoming documents: the register, the clerk's form, a document's page and its actions.
    path("app/incoming-document", incoming.register, name="register"),
    path("app/incoming-document/new", incoming.register_new, name="register_new"),
    path("app/incoming-document/<str:name>/edit", incoming.register_edit, name="register_edit"),
    # Tasks (giao việc).
    path("app/task/new", tasks.task_new, name="task_new"),
    # Inboxes and assignments.
    path("app/inbox/<slug:slug>", inbox.inbox, name="inbox"),
    path("app/assignment", inbox.assignment_list, name="assignments"),
    path(
        "app/assignment/<str:name>/<slug:operation>",
        assignments.assignment_operation,
        name="assignment_operation",
    ),
    # One document or task (the DocTypes of eoffice.desk.access.DOCUMENT_PAGES).
    path("app/<slug:slug>/<str:name>/action", documents.workflow_action, name="workflow_action"),
    path("app/<slug:slug>/<str:name>/assign", documents.assign, name="assign"),
    path("app/<slug:slug>/<str:name>/comment", documents.add_comment, name="add_comment"),
    path("app/<slug:slug>/<str:name>/files", documents.attach_files, name="attach_files"),
    path("app/<slug:slug>", lists.doctype_list, name="list"),
    path("app/<slug:slug>/<str:name>", documents.document, name="document"),
]

# Mounted by eoffice.urls outside the "desk" namespace and before Django admin: admin and
# unfold look "set_language" up by that bare name, and /admin/login/ must win over admin's own.
site_urlpatterns = [
    path("i18n/setlang/", auth.set_language, name="set_language"),
    path("admin/login/", auth.admin_login, name="admin_login"),
]
