from django.urls import path

from eoffice.security import views

app_name = "security"
urlpatterns = [
    path("login/otp", views.otp_step, name="otp"),
    path("security/totp", views.enrol, name="totp"),
]
