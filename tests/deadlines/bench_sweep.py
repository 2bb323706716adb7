"""Benchmark: the deadline sweep over N open assignments with 1% due (not collected by pytest).

    EOFFICE_SITES_DIR=/tmp/bench-dl EOFFICE_SITE=bench .venv/bin/python tests/deadlines/bench_sweep.py 1000000

Needs a site on MariaDB with the demo loaded (``eoffice new-site bench --db-url
mysql://root@127.0.0.1:3306/eoffice_bench --demo``). Rows are made with MariaDB's SEQUENCE
engine: 0.5% due within two working days, 0.5% overdue, the rest open and far from due (plus
as many closed). Prints the time of a first sweep (every due item gets its reminders) and of
a second one (steady state: nothing new), then doubles the table and measures again.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "apps")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from eoffice import calendar  # noqa: E402
from eoffice.deadlines import sweep  # noqa: E402
from eoffice.doctype.organization import OrganizationUnit  # noqa: E402


def fill(start: int, count: int, today) -> None:
    """Insert ``count`` open and ``count`` closed assignments numbered from ``start``."""
    units = list(OrganizationUnit.objects.values_list("pk", flat=True))
    soon = calendar.add_working_days(today, 1)
    late = calendar.add_working_days(today, -1)
    far = today + timezone.timedelta(days=60)
    with connection.cursor() as c:
        for status, share in (("Chờ xử lý", True), ("Hoàn thành", False)):
            c.execute(
                f"""
                INSERT INTO eoffice_assignment
                  (name, owner, creation, modified, modified_by, reference_doctype,
                   reference_name, unit_id, handling_role, deadline, original_deadline,
                   status, deadline_state, note, outcome, result, reply_document, recall_reason)
                SELECT CONCAT('b', %s, '-', seq), '', NOW(), NOW(), '', 'Incoming Document',
                   CONCAT('VBD-B-', seq), ELT(1 + seq MOD %s, {",".join(map(str, units))}),
                   IF(seq MOD 3 = 0, 'Phối hợp', 'Chủ trì'),
                   CASE WHEN %s AND seq MOD 200 = 0 THEN %s
                        WHEN %s AND seq MOD 200 = 1 THEN %s ELSE %s END,
                   %s, %s, 'Trong hạn', '', '', '', '', ''
                FROM seq_{start}_to_{start + count - 1}
                """,
                [status, len(units), share, soon, share, late, far, far, status],
            )
    with connection.cursor() as c:
        c.execute("ANALYZE TABLE eoffice_assignment")
        c.fetchall()


def measure(label: str, today) -> None:
    for run in ("first", "second"):
        started = time.monotonic()
        result = sweep.sweep(today)
        print(
            f"{label} {run} sweep: {time.monotonic() - started:.2f} s — marked "
            f"{result['marked']}, reminders due soon {result['due_soon']}, overdue "
            f"{result['overdue']}, escalated {result['escalated']}",
            flush=True,
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    today = timezone.localdate()
    with connection.cursor() as c:
        c.execute("DELETE FROM eoffice_deadlinereminder")
        c.execute("DELETE FROM eoffice_notificationlog")
        c.execute("DELETE FROM eoffice_assignment WHERE name LIKE 'b%%'")
    fill(1, n, today)
    measure(f"{n:,} open + {n:,} closed:", today)
    fill(n + 1, n, today)
    measure(f"{2 * n:,} open + {2 * n:,} closed:", today)


if __name__ == "__main__":
    main()
