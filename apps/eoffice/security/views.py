"""Desk pages of the second factor: the code step of sign-in, and enrolment.

Sign-in with a second factor: the password page (``desk:login``) checks the password, then,
instead of opening the session, keeps the person's id in the session for
:data:`PENDING_SECONDS` and sends them to ``/login/otp``; the right code opens the session.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.contrib.auth import login as django_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eoffice import exceptions as exc
from eoffice.desk.context import render_desk
from eoffice.security import throttle, totp
from eoffice.security.login import record_failure

PENDING_KEY = "eoffice_otp_pending"
PENDING_SECONDS = 300


def start_pending(request, user, next_url: str):
    """Remember that ``user`` passed the password step; the code page finishes the sign-in."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "at": time.time(), "next": next_url}
    return redirect("security:otp")


@require_http_methods(["GET", "POST"])
def otp_step(request):
    """``/login/otp``: the 6-digit code after the password."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect("desk:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("desk:login")
    error = ""
    if request.method == "POST":
        from eoffice.audit.context import client_ip

        try:
            throttle.check(user.email, client_ip(request))
        except exc.EofficeError as locked:
            error = locked.message
        else:
            if totp.verify(totp.device_of(user), request.POST.get("otp")):
                request.session.pop(PENDING_KEY, None)
                user.backend = "django.contrib.auth.backends.ModelBackend"
                django_login(request, user)
                next_url = pending.get("next") or "/app"
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                    next_url = "/app"
                return redirect(next_url)
            record_failure(request, user.email, "Mã xác thực hai lớp không đúng")
            error = _("Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới.")
    return render_desk(
        request, "security/otp.html", {"title": _("Xác thực hai lớp"), "error": error}
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """``/security/totp``: turn the second factor on (scan, then confirm a code) or off."""
    user = request.user
    device = totp.device_of(user)
    message, error = "", ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            device = totp.start_enrolment(user)
        elif action == "confirm" and device is not None and not device.confirmed:
            if totp.confirm(device, request.POST.get("otp")):
                message = _("Đã bật xác thực hai lớp. Từ lần đăng nhập sau sẽ cần mã xác thực.")
            else:
                error = _("Mã không đúng. Hãy nhập mã đang hiện trong ứng dụng xác thực.")
        elif action == "disable" and device is not None and device.confirmed:
            if totp.verify(device, request.POST.get("otp")):
                totp.disable(user)
                device, message = None, _("Đã tắt xác thực hai lớp.")
            else:
                error = _("Cần mã xác thực đúng để tắt xác thực hai lớp.")
    context = {
        "title": _("Xác thực hai lớp"),
        "device": device,
        "recommended": totp.recommended_for(user),
        "message": message,
        "error": error,
    }
    if device is not None and not device.confirmed:
        context["qr_svg"] = totp.qr_svg(device)
        context["secret"] = totp.secret_of(device)
    return render_desk(request, "security/totp.html", context)
