"""Notifications: "Notification Log" (the desk's bell and the e-mail outbox) and each person's
"Notification Preference" (which kinds they get, in the desk and by e-mail).

:func:`notify` is the one way to tell people something: it reads their preferences, stores one
Notification Log row per person (shown in the desk when they want it there, marked for e-mail
when they want that), and queues the e-mail job on the ``short`` queue after the transaction
commits. The e-mail is rendered now from the Vietnamese templates ``templates/email/<kind>.txt``
and sent later by :func:`send_pending_emails` through Django's e-mail backend.

For the desk: :func:`unread_count` (the bell's number), :func:`recent` (its list),
:func:`mark_read`; over the API ``eoffice.notifications.*`` (docs/notifications.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

log = logging.getLogger(__name__)


class NotificationKind(models.TextChoices):
    ASSIGNED = "Được giao việc"
    DUE_SOON = "Sắp đến hạn"
    OVERDUE = "Quá hạn"
    ESCALATION = "Quá hạn kéo dài"
    DIGEST = "Tổng hợp hằng ngày"
    ROUTING = "Phân luồng văn bản"
    CLERK = "Văn bản chờ văn thư"


class Channel(models.TextChoices):
    DESK = "Trên phần mềm"
    EMAIL = "Email"


class EmailStatus(models.TextChoices):
    NOT_SENT = "Không gửi"
    PENDING = "Chờ gửi"
    SENDING = "Đang gửi"
    SENT = "Đã gửi"
    FAILED = "Lỗi"


#: Template names (under ``templates/email/``) by kind.
TEMPLATES = {
    NotificationKind.ASSIGNED: "assigned",
    NotificationKind.DUE_SOON: "due_soon",
    NotificationKind.OVERDUE: "overdue",
    NotificationKind.ESCALATION: "escalation",
    NotificationKind.DIGEST: "digest",
    NotificationKind.ROUTING: "routing",
    NotificationKind.CLERK: "clerk",
}
#: What a person gets when they chose nothing: everything, in the desk and by e-mail.
DEFAULT_PREFERENCES = {(kind, channel): True for kind in NotificationKind for channel in Channel}
#: Times an e-mail is tried before it is marked "Lỗi".
MAX_EMAIL_ATTEMPTS = 5


def own_notifications(user, queryset):
    """A person reads only their own notifications."""
    return queryset.filter(for_user=user)


def own_preferences(user, queryset):
    """A person reads only their own preferences."""
    return queryset.filter(user=user)


@doctype(
    "Notification Log",
    permissions={"read": ALL_ROLES, "write": ALL_ROLES},
    scope=own_notifications,
    title_field="subject",
    read_only_fields=(
        "for_user",
        "kind",
        "subject",
        "email_content",
        "document_type",
        "document_name",
        "link",
        "from_user",
        "in_desk",
        "email_status",
        "email_sent_at",
        "email_attempts",
        "email_error",
    ),
    hidden_fields=("email_error",),
)
class NotificationLog(DocModel):
    """One thing told to one person (Frappe's Notification Log)."""

    autoname = "hash"

    for_user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("Loại thông báo"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(_("Tiêu đề"), max_length=255)
    email_content = models.TextField(_("Nội dung"), blank=True)
    document_type = models.CharField(_("Loại tài liệu"), max_length=140, blank=True)
    document_name = models.CharField(_("Tài liệu"), max_length=140, blank=True)
    link = models.CharField(_("Đường dẫn"), max_length=255, blank=True)
    from_user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read = models.BooleanField(_("Đã đọc"), default=False)
    in_desk = models.BooleanField(_("Hiện trên phần mềm"), default=True)
    email_status = models.CharField(
        _("Trạng thái email"),
        max_length=20,
        choices=EmailStatus.choices,
        default=EmailStatus.NOT_SENT,
    )
    email_sent_at = models.DateTimeField(_("Gửi email lúc"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=255, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Thông báo")
        verbose_name_plural = _("Thông báo")
        ordering = ["-creation", "-id"]
        indexes = [
            # The bell: for_user = ? AND in_desk AND NOT read (count); recent: ORDER BY creation
            models.Index(fields=["for_user", "in_desk", "read"], name="ntf_unread"),
            models.Index(fields=["for_user", "in_desk", "creation"], name="ntf_recent"),
            # The e-mail outbox: email_status = 'Chờ gửi'
            models.Index(fields=["email_status"], name="ntf_outbox"),
        ]

    def __str__(self):
        return self.subject


@doctype(
    "Notification Preference",
    permissions={"read": ALL_ROLES, "create": ALL_ROLES, "write": ALL_ROLES},
    scope=own_preferences,
)
class NotificationPreference(DocModel):
    """Whether a person gets one kind of notification on one channel (absent: yes)."""

    autoname = "hash"

    user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("Loại thông báo"), max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(_("Kênh"), max_length=20, choices=Channel.choices)
    enabled = models.BooleanField(_("Nhận"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Tùy chọn nhận thông báo")
        verbose_name_plural = _("Tùy chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="unique_notification_preference"
            )
        ]


# ---------------------------------------------------------------------------------------
# Preferences


def preferences(user) -> dict[tuple[str, str], bool]:
    """(kind, channel) → whether ``user`` gets it: the defaults with their own choices."""
    prefs = dict(DEFAULT_PREFERENCES)
    for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
        "kind", "channel", "enabled"
    ):
        prefs[(kind, channel)] = enabled
    return prefs


def preference_table(user) -> list[dict]:
    """The preferences as rows for a form: kind, desk, email."""
    prefs = preferences(user)
    return [
        {
            "kind": kind.value,
            "desk": prefs[(kind.value, Channel.DESK.value)],
            "email": prefs[(kind.value, Channel.EMAIL.value)],
        }
        for kind in NotificationKind
    ]


def set_preference(user, kind: str, channel: str, enabled: bool) -> None:
    """Choose whether ``user`` gets ``kind`` on ``channel``. Raises ValidationError."""
    from eoffice.exceptions import ValidationError

    if kind not in NotificationKind.values:
        raise ValidationError(
            f"Loại thông báo «{kind}» không có; chọn một trong: "
            + ", ".join(f"«{k}»" for k in NotificationKind.values)
            + ".",
            field="kind",
        )
    if channel not in Channel.values:
        raise ValidationError(
            f"Kênh «{channel}» không có; chọn «{Channel.DESK}» hoặc «{Channel.EMAIL}».",
            field="channel",
        )
    NotificationPreference.objects.update_or_create(
        user=user,
        kind=kind,
        channel=channel,
        defaults={"enabled": bool(enabled), "owner": user.name, "modified_by": user.name},
    )


# ---------------------------------------------------------------------------------------
# Telling people


def site_url() -> str:
    """The desk's address for links in e-mails (site_config ``host_name``)."""
    host = (settings.SITE_CONFIG or {}).get("host_name") or "http://127.0.0.1:8000"
    return host.rstrip("/")


def document_link(doctype: str, name: str) -> str:
    """The desk's path of a document: ``/app/incoming-document/VBD-2026-000001``."""
    if not doctype or not name:
        return ""
    return f"/app/{doctype.lower().replace(' ', '-')}/{name}"


def render_email(kind: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a notification e-mail from ``templates/email/<kind>.txt``.

    The template's first line is the subject; the rest is the body. Vietnamese.
    """
    context = {"site_url": site_url(), **context}
    with translation.override("vi"):
        text = render_to_string(f"email/{TEMPLATES[kind]}.txt", context)
    subject, _sep, body = text.strip().partition("\n")
    return " ".join(subject.split())[:255], body.strip() + "\n"


@dataclass
class Message:
    """One thing to tell: to ``recipients`` (users or ids), of ``kind``, filling its template."""

    recipients: Iterable
    kind: str
    context: dict
    document_type: str = ""
    document_name: str = ""
    from_user: object = None


def notify(
    recipients,
    kind: str,
    context: dict,
    *,
    document_type: str = "",
    document_name: str = "",
    from_user=None,
) -> list[NotificationLog]:
    """Tell ``recipients`` (users or user ids) about something of ``kind``.

    ``context`` fills the template ``templates/email/<kind>.txt`` (its first line is the
    subject). Each person's preferences decide whether a row shows in their desk and whether an
    e-mail is sent; a person who wants neither gets no row. Rows are stored in the caller's
    transaction; the e-mail job is queued after it commits. Returns the rows created.
    """
    return notify_many(
        [Message(recipients, kind, context, document_type, document_name, from_user)]
    )


def notify_many(messages: Iterable[Message]) -> list[NotificationLog]:
    """:func:`notify` for many messages at once: a few queries whatever their number."""
    from eoffice.doctype.user import User

    messages = [m for m in messages if m is not None]
    wanted = {id(m): {getattr(r, "pk", r) for r in m.recipients if r is not None} for m in messages}
    everyone = set().union(*wanted.values()) if wanted else set()
    if not everyone:
        return []
    kinds = {m.kind for m in messages}
    choices = {}
    for user_id, kind, channel, enabled in NotificationPreference.objects.filter(
        user_id__in=everyone, kind__in=kinds
    ).values_list("user_id", "kind", "channel", "enabled"):
        choices[(user_id, kind, channel)] = enabled
    emails = dict(User.objects.filter(pk__in=everyone, is_active=True).values_list("pk", "email"))
    rows = []
    for m in messages:
        ids = sorted(i for i in wanted[id(m)] if i in emails)
        if not ids:
            continue
        subject, body = render_email(m.kind, m.context)
        link = document_link(m.document_type, m.document_name)
        for user_id in ids:
            desk = choices.get(
                (user_id, m.kind, Channel.DESK.value), DEFAULT_PREFERENCES[(m.kind, Channel.DESK)]
            )
            mail = choices.get(
                (user_id, m.kind, Channel.EMAIL.value), DEFAULT_PREFERENCES[(m.kind, Channel.EMAIL)]
            ) and bool(emails[user_id])
            if not desk and not mail:
                continue
            row = NotificationLog(
                for_user_id=user_id,
                kind=m.kind,
                subject=subject,
                email_content=body,
                document_type=m.document_type,
                document_name=m.document_name,
                link=link,
                from_user=m.from_user,
                in_desk=desk,
                email_status=EmailStatus.PENDING if mail else EmailStatus.NOT_SENT,
                owner=getattr(m.from_user, "name", "") or "Administrator",
            )
            row.name = secrets.token_hex(6)
            rows.append(row)
    NotificationLog.objects.bulk_create(rows, batch_size=500)
    if any(r.email_status == EmailStatus.PENDING for r in rows):
        queue_email_job()
    return rows


def queue_email_job() -> None:
    """Send pending e-mails in a job on the ``short`` queue once this transaction commits."""
    from eoffice import jobs

    jobs.enqueue(send_pending_emails, queue="short")


# ---------------------------------------------------------------------------------------
# The desk's bell


def _desk_rows(user):
    return NotificationLog.objects.filter(for_user=user, in_desk=True)


def unread_count(user) -> int:
    """How many of ``user``'s notifications in the desk are unread (the bell's number).

    One COUNT over the index ``ntf_unread``.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    return _desk_rows(user).filter(read=False).count()


def recent(user, limit: int = 20, start: int = 0, unread_only: bool = False) -> list[dict]:
    """``user``'s latest notifications in the desk, newest first (the bell's list)."""
    if not getattr(user, "is_authenticated", False):
        return []
    limit = max(0, min(int(limit), 100))
    qs = _desk_rows(user)
    if unread_only:
        qs = qs.filter(read=False)
    rows = qs.order_by("-creation", "-id")[start : start + limit]
    return [
        {
            "name": n.name,
            "kind": n.kind,
            "subject": n.subject,
            "link": n.link,
            "document_type": n.document_type,
            "document_name": n.document_name,
            "read": n.read,
            "creation": timezone.localtime(n.creation).isoformat(sep=" ", timespec="seconds"),
        }
        for n in rows
    ]


def mark_read(user, names=None) -> int:
    """Mark ``user``'s notifications read: those named, or all when ``names`` is None.

    Returns how many changed. Names of other people's notifications are ignored.
    """
    qs = NotificationLog.objects.filter(for_user=user, read=False)
    if names is not None:
        names = [names] if isinstance(names, str) else list(names)
        qs = qs.filter(name__in=[str(n) for n in names])
    return qs.update(read=True, modified=timezone.now(), modified_by=user.name)


# ---------------------------------------------------------------------------------------
# E-mail


def _claim_pending(limit: int) -> list[int]:
    """Mark up to ``limit`` pending e-mails "Đang gửi" for this sender; their ids.

    Rows locked by another sender are skipped (SKIP LOCKED), so two workers never take the
    same e-mail; a row is "Đang gửi" before it is sent, so it is never sent twice.
    """
    with transaction.atomic():
        qs = NotificationLog.objects.filter(email_status=EmailStatus.PENDING).order_by("id")
        from django.db import connection

        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        else:
            qs = qs.select_for_update()
        ids = list(qs.values_list("id", flat=True)[:limit])
        if ids:
            NotificationLog.objects.filter(id__in=ids).update(
                email_status=EmailStatus.SENDING, modified=timezone.now()
            )
    return ids


def _html(body: str, link: str) -> str:
    from django.utils.html import escape, linebreaks

    html = linebreaks(escape(body))
    if link:
        url = escape(site_url() + link)
        html += f'<p><a href="{url}">Mở trên phần mềm eOffice</a></p>'
    return f'<html><body style="font-family:sans-serif">{html}</body></html>'


def send_pending_emails(limit: int = 200) -> int:
    """Send the e-mails waiting in the outbox (a job on the ``short`` queue); count sent.

    Each is claimed before it is sent and marked "Đã gửi" after; a failure puts it back to
    wait (up to :data:`MAX_EMAIL_ATTEMPTS` tries, then "Lỗi"). Uses Django's e-mail backend
    (site_config ``mail_server``/``mail_port``).
    """
    from django.core.mail import EmailMultiAlternatives, get_connection

    sent = 0
    while True:
        ids = _claim_pending(limit)
        if not ids:
            return sent
        rows = list(NotificationLog.objects.filter(id__in=ids).select_related("for_user"))
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as exc:  # the server is down: all wait for the next try
            log.warning("SMTP server unreachable: %s", exc)
            _failed(rows, exc)
            return sent
        try:
            for row in rows:
                message = EmailMultiAlternatives(
                    subject=row.subject,
                    body=row.email_content + (f"\n{site_url()}{row.link}\n" if row.link else ""),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[row.for_user.email],
                    connection=connection,
                    headers={"X-eOffice-Notification": row.name},
                )
                message.attach_alternative(_html(row.email_content, row.link), "text/html")
                try:
                    message.send()
                except Exception as exc:
                    log.warning("e-mail %s to %s failed: %s", row.name, row.for_user.email, exc)
                    _failed([row], exc)
                    continue
                NotificationLog.objects.filter(pk=row.pk).update(
                    email_status=EmailStatus.SENT,
                    email_sent_at=timezone.now(),
                    email_attempts=row.email_attempts + 1,
                    email_error="",
                )
                sent += 1
        finally:
            try:
                connection.close()
            except Exception:
                pass
        if len(ids) < limit:
            return sent


def _failed(rows, exc) -> None:
    for row in rows:
        attempts = row.email_attempts + 1
        NotificationLog.objects.filter(pk=row.pk).update(
            email_status=EmailStatus.FAILED
            if attempts >= MAX_EMAIL_ATTEMPTS
            else EmailStatus.PENDING,
            email_attempts=attempts,
            email_error=str(exc)[:255],
        )


def release_stuck_emails(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """E-mails left "Đang gửi" by a sender that died: marked "Lỗi" (never sent twice).

    Whether the server got such a message is unknown; resending could send it twice, so it is
    left for an administrator to look at.
    """
    cutoff = timezone.now() - older_than
    return NotificationLog.objects.filter(
        Q(email_status=EmailStatus.SENDING) & Q(modified__lt=cutoff)
    ).update(email_status=EmailStatus.FAILED, email_error="Gửi dở dang (tiến trình dừng).")
