"""Deadlines: what keeps work on time once it is assigned.

- the working-day calendar is :mod:`eoffice.calendar` (the one place that counts working days,
  with the site's make-up days and days off from :mod:`eoffice.doctype.calendar_exception`);
- the site's deadline rules (handling time by document type and urgency, the clerk's time,
  "Sắp đến hạn" and escalation thresholds) are :mod:`eoffice.doctype.deadline_rule`;
- :mod:`eoffice.deadlines.sweep` is the periodic sweep: deadline states, reminders,
  escalation and the morning digest, each sent once (:mod:`eoffice.doctype.deadline_reminder`);
- :mod:`eoffice.deadlines.rates` gives the on-time figures of DOMAIN.md;
- routing rules are :mod:`eoffice.doctype.routing_rule`; notifications
  :mod:`eoffice.doctype.notification`.

See docs/deadlines.md and docs/notifications.md.
"""
