"""``/app/notifications`` ("Thông báo"): the bell's list, marking read, and the preferences.

The data comes from :mod:`eoffice.doctype.notification` (``recent``, ``mark_read``,
``preference_table``, ``set_preference``); this module only renders it.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice.desk.context import render_desk
from eoffice.doctype.notification import (
    Channel,
    NotificationLog,
    mark_read,
    preference_table,
    recent,
    set_preference,
)


@login_required
def notification_list(request):
    """The person's recent notifications in the desk, newest first."""
    rows = recent(request.user, limit=50)
    for row in rows:
        row["created"] = dt.datetime.fromisoformat(row["creation"])
    return render_desk(
        request,
        "desk/notifications.html",
        {"title": _("Thông báo"), "notifications": rows},
        active="notifications",
    )


@login_required
@require_POST
def open_notification(request, name: str):
    """Mark one of the person's own notifications read and follow its link (another's: 404)."""
    row = (
        NotificationLog.objects.filter(name=name, for_user=request.user, in_desk=True)
        .only("name", "link")
        .first()
    )
    if row is None:
        raise Http404
    mark_read(request.user, [row.name])
    if request.POST.get("open") and row.link:
        return redirect(row.link)
    return redirect("desk:notifications")


@login_required
@require_POST
def read_all(request):
    """Mark all the person's notifications read."""
    changed = mark_read(request.user)
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": changed})
    return redirect("desk:notifications")


@login_required
def notification_preferences(request):
    """Kinds × channels (desk, e-mail), each a checkbox; saved with ``set_preference``."""
    table = preference_table(request.user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("pref"))
        for row in table:
            for key, channel in (("desk", Channel.DESK.value), ("email", Channel.EMAIL.value)):
                enabled = f"{row['kind']}|{key}" in chosen
                if enabled != row[key]:
                    set_preference(request.user, row["kind"], channel, enabled)
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
        return redirect("desk:notification_preferences")
    return render_desk(
        request,
        "desk/notification_preferences.html",
        {"title": _("Chọn thông báo nhận"), "table": table},
        active="notifications",
    )
