"""Logging in and out, who is logged in, API keys and CSRF tokens: Frappe's auth methods.

- ``POST /api/method/login`` (``usr``, ``pwd``, and ``otp`` when the account has a second
  factor; JSON or form) opens a session: cookie ``sid`` (HttpOnly, SameSite=Lax) and Frappe's
  informational cookies, and answers ``{"message": "Logged In", "home_page": …,
  "full_name": …}``. Wrong credentials: 401; a missing code: 401 ``OTPRequiredError``; too
  many failures for the account or the IP: 429 (see :mod:`eoffice.security.throttle`).
- ``/api/method/logout`` closes it; ``/api/method/frappe.auth.get_logged_user`` names the user.
- ``/api/method/frappe.core.doctype.user.user.generate_keys``: an API key and secret for
  oneself (an administrator: for anyone), for ``Authorization: token KEY:SECRET``.
- ``/api/method/eoffice.auth.get_csrf_token``: hands the session a CSRF token, as a desk page
  does; from then on its unsafe requests must send it as ``X-Frappe-CSRF-Token``.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.api.csrf import mark_csrf_handed
from eoffice.api.errors import JSON_DUMPS, response_for
from eoffice.api.methods import whitelist
from eoffice.audit import api as _audit_api  # noqa: F401  (registers the audit log methods)
from eoffice.security import login as security_login

#: Frappe's informational cookies, readable by scripts (unlike ``sid``).
INFO_COOKIES = ("full_name", "user_id", "system_user", "user_image")


@whitelist("login", methods=("POST",), allow_guest=True)
def login(request, usr=None, pwd=None, otp=None, **_ignored):
    """Log in with e-mail (``usr``), password (``pwd``) and, if enrolled, a TOTP code (``otp``)."""
    if not usr or not pwd or not isinstance(usr, str) or not isinstance(pwd, str):
        raise exc.AuthenticationError(_("Hãy nhập email (usr) và mật khẩu (pwd)."))
    if otp is not None and not isinstance(otp, str | int):
        raise exc.AuthenticationError(_("Mã xác thực (otp) phải là 6 chữ số."))
    try:
        user = security_login.sign_in(request, usr, pwd, otp)
    except exc.EofficeError as error:
        # Answered, not raised: the method runs in a transaction, and the audit row of the
        # failure (which the lock-out counts) must be kept.
        return response_for(error, request)
    django_login(request, user)
    response = JsonResponse(
        {
            "message": "Logged In",  # Frappe's fixed value; clients compare it
            "home_page": settings.LOGIN_REDIRECT_URL,
            "full_name": user.full_name,
        },
        json_dumps_params=JSON_DUMPS,
    )
    info = {
        "full_name": user.full_name,
        "user_id": user.email,
        "system_user": "yes",
        "user_image": "",
    }
    for key, value in info.items():
        response.set_cookie(
            key,
            quote(value),
            max_age=settings.SESSION_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@whitelist("logout", methods=("GET", "POST"), allow_guest=True)
def logout(request):
    """Close the session (its cookie is removed)."""
    django_logout(request)
    response = JsonResponse({}, json_dumps_params=JSON_DUMPS)
    for key in INFO_COOKIES:
        response.delete_cookie(key, samesite="Lax")
    return response


@whitelist("frappe.auth.get_logged_user", methods=("GET", "POST"))
def get_logged_user(request):
    """The logged-in user's ``name`` (their e-mail)."""
    return request.user.email


@whitelist("frappe.core.doctype.user.user.generate_keys", methods=("POST",))
def generate_keys(request, user=None):
    """A new API key and secret for ``user`` (default: oneself); the secret is shown once."""
    from eoffice.doctype.user import ApiKey, User

    email = (user or request.user.email).strip().lower()
    if email != request.user.email and not permissions.is_admin(request.user):
        raise exc.PermissionError(_("Chỉ quản trị viên được tạo khóa API cho người khác."))
    target = User.objects.filter(email__iexact=email).first()
    if target is None:
        raise exc.DoesNotExistError(_("Không tìm thấy người dùng '{email}'.").format(email=email))
    key, secret = ApiKey.generate(target, label=_("Tạo qua API"))
    return {"api_key": key.api_key, "api_secret": secret}


@whitelist("eoffice.auth.revoke_api_key", methods=("POST",))
def revoke_api_key(request, api_key):
    """Revoke an API key of one's own (an administrator: anyone's); it stops working at once."""
    from eoffice.doctype.user import ApiKey

    key = ApiKey.objects.select_related("user").filter(api_key=str(api_key)).first()
    if key is None or (key.user_id != request.user.pk and not permissions.is_admin(request.user)):
        raise exc.DoesNotExistError(_("Không tìm thấy khóa API '{key}'.").format(key=api_key))
    if key.revoked_at is None:
        key.revoke()
    return "ok"


@whitelist("frappe.core.doctype.user.user.reset_password", methods=("POST",), allow_guest=True)
def reset_password(request, user=None):
    """Send password-reset instructions to ``user`` (an e-mail), if such an account exists.

    The answer is the same whether or not it exists, so that the form cannot be used to find
    out who has an account. The e-mail is sent through Django's password reset, which needs
    the desk to route a ``password_reset_confirm`` page; without one nothing is sent and a
    warning is logged.
    """
    import logging

    from django.contrib.auth.forms import PasswordResetForm
    from django.urls import NoReverseMatch, reverse

    if not user or not isinstance(user, str):
        raise exc.ValidationError(_("Hãy nhập email (user)."))
    try:
        reverse("password_reset_confirm", kwargs={"uidb64": "x", "token": "y"})
    except NoReverseMatch:
        logging.getLogger("eoffice.api").warning(
            "password reset asked for %s, but the desk has no password_reset_confirm page", user
        )
    else:
        form = PasswordResetForm({"email": user.strip()})
        if form.is_valid():
            try:
                form.save(request=request, use_https=request.is_secure())
            except OSError:  # the mail server is down: say nothing more to the visitor
                logging.getLogger("eoffice.api").exception("password reset mail failed")
    return _("Nếu email này có tài khoản, hướng dẫn đặt lại mật khẩu đã được gửi tới email đó.")


@whitelist("eoffice.auth.get_csrf_token", methods=("GET",))
def get_csrf_token(request):
    """Hand this session a CSRF token (as a desk page does); it must be sent from now on."""
    mark_csrf_handed(request)
    return get_token(request)
