from django.urls import path

from eoffice.audit import views

app_name = "audit"
urlpatterns = [path("audit-log", views.audit_log, name="log")]
