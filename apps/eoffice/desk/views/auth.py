"""Signing in and out, the front door, and the language switch."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from eoffice.api.csrf import mark_csrf_handed
from eoffice.desk.context import desk_context, render_desk
from eoffice.desk.forms import LoginForm
from eoffice.desk.middleware import supported_languages


def front_door(request):
    """``/``: a visitor goes to the sign-in page, a signed-in person to their home page."""
    return redirect("desk:home" if request.user.is_authenticated else "desk:login")


class LoginView(auth_views.LoginView):
    """The sign-in page (e-mail and password), in Vietnamese first."""

    template_name = "desk/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        mark_csrf_handed(self.request)
        context = super().get_context_data(**kwargs)
        context.update(desk_context(self.request))
        context["title"] = _("Đăng nhập")
        return context

    def post(self, request, *args, **kwargs):
        # Lock-out and rate limit before the password is even checked (eoffice.security).
        from eoffice import exceptions as exc
        from eoffice.audit.context import client_ip
        from eoffice.security import throttle

        try:
            throttle.check(request.POST.get("username"), client_ip(request))
        except exc.EofficeError as locked:
            form = self.get_form()  # not validated: the password is not tried while locked
            form._errors = {"__all__": form.error_class([locked.message])}
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from eoffice.security import totp
        from eoffice.security.views import start_pending

        if totp.is_enabled(form.get_user()):
            # Password right; the session opens only after the code (eoffice.security.views).
            return start_pending(self.request, form.get_user(), self.get_success_url())
        response = super().form_valid(form)
        # Their saved language follows the person to any browser, unless this browser already
        # has a choice (made on this very page, for instance).
        lang = getattr(form.get_user(), "language", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES
            and lang in supported_languages()
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                lang,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the signed-in user."""
    response = i18n.set_language(request)
    lang = request.POST.get("language")
    user = request.user
    if user.is_authenticated and lang in supported_languages() and user.language != lang:
        get_user_model().objects.filter(pk=user.pk).update(language=lang)
    return response


def admin_login(request):
    """``/admin/login/``: one sign-in page for the whole site.

    A visitor is sent to the desk's sign-in page and comes back afterwards; a signed-in person
    lands here only when Django admin refused them (not staff), and is told so.
    """
    next_url = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': next_url})}")
    if request.user.is_active and request.user.is_staff:
        return HttpResponseRedirect(next_url)
    return render_desk(
        request,
        "desk/forbidden.html",
        {
            "title": _("Không có quyền truy cập"),
            "message": _(
                "Trang quản trị dành cho người được giao vai trò Quản trị. "
                "Nếu anh/chị cần quản lý cơ cấu tổ chức hoặc người dùng, "
                "vui lòng liên hệ quản trị hệ thống."
            ),
        },
        status=403,
    )
