"""``/app/api-keys`` ("Khóa API"): each person generates and revokes their own API keys.

A key and its secret authenticate ``Authorization: token KEY:SECRET`` on the REST API. Only a
hash of the secret is stored, so the secret is shown once, in the response to "generate", and
that response is never cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.desk.context import render_desk
from eoffice.desk.forms import ApiKeyForm
from eoffice.doctype.user import ApiKey


def _page(request, form, new_key=None, secret=None):
    keys = ApiKey.objects.filter(user=request.user).order_by("revoked_at", "-created")
    response = render_desk(
        request,
        "desk/api_keys.html",
        {
            "title": _("Khóa API"),
            "form": form,
            "keys": keys,
            "new_key": new_key,
            "secret": secret,
        },
        active="api_keys",
    )
    if secret:
        response.headers["Cache-Control"] = "no-store"
    return response


@login_required
def api_keys(request):
    """List the person's keys; on POST, generate one and show its secret this once."""
    if request.method == "POST":
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            key, secret = ApiKey.generate(request.user, label=form.cleaned_data["label"])
            return _page(request, ApiKeyForm(), new_key=key, secret=secret)
    else:
        form = ApiKeyForm()
    return _page(request, form)


@login_required
@require_POST
def revoke_api_key(request, pk: int):
    """Revoke one of the person's own keys (another person's key is not found)."""
    key = get_object_or_404(ApiKey, pk=pk, user=request.user)
    if key.revoked_at is None:
        key.revoke()
        messages.success(request, _("Đã thu hồi khóa %(key)s.") % {"key": key.api_key})
    return redirect("desk:api_keys")
