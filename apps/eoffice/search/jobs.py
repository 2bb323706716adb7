"""Keeping the index in step: changes are noted in Redis, a job on ``short`` applies them.

:func:`request` (after commit) records "<doctype>␟<name>" in the site's Redis hash of
pending changes with a new sequence number, and queues :func:`flush` (one job id, so a burst
of changes queues one job). :func:`flush` takes the pending entries, loads each document as
it is *now* from the database, writes them all in one commit, and only then removes each
entry whose sequence number did not change meanwhile (a compare-and-delete in Lua). So:

- many changes to one document cost one index write;
- a change made while a flush runs stays pending and is applied by the next flush;
- a flush killed before its commit leaves everything pending (the next one redoes it);
- while a rebuild holds the writer lock, flushes leave the entries pending and try again.

With ``"background_jobs": "inline"`` (no Redis) the document is written at once, after commit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from eoffice.search.schema import KEY_SEPARATOR, key_of

log = logging.getLogger(__name__)

BATCH = 1000
RETRY_BUSY_SECONDS = 10
_COMPARE_AND_DELETE = """
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
"""


def _keys() -> tuple[str, str]:
    site = settings.SITE_NAME or "nosite"
    return f"eoffice:{site}:search:pending", f"eoffice:{site}:search:seq"


def _connection():
    from eoffice.jobs import get_queue

    return get_queue("short").connection


def request(doctype: str, name: str) -> None:
    """Reindex (or remove) one document once the current transaction commits."""
    # robust: the document is saved whatever happens to the index; a note lost while Redis
    # is down is made good by `eoffice search rebuild`.
    transaction.on_commit(lambda: _note(doctype, name), robust=True)


def _note(doctype: str, name: str) -> None:
    if settings.JOBS_MODE == "inline":
        try:
            apply([key_of(doctype, name)])
        except Exception:  # the request that caused it has committed already
            log.exception("indexing %s %s failed", doctype, name)
        return
    pending, seq = _keys()
    conn = _connection()
    conn.hset(pending, key_of(doctype, name), conn.incr(seq))
    queue_flush()


def queue_flush(delay: int = 0) -> None:
    """Queue a flush (at most one waiting at a time)."""
    from eoffice import jobs

    if delay:
        queue = jobs.get_queue("short")
        queue.enqueue_in(
            __import__("datetime").timedelta(seconds=delay),
            flush,
            job_id=jobs.site_job_id("search-flush-later"),
        )
        return
    jobs.enqueue(flush, queue="short", job_id="search-flush")


def apply(keys: list[str]) -> int:
    """Write the current database state of these documents into the index (one commit)."""
    from eoffice.search import sources
    from eoffice.search.writer import write

    upserts, deletes = [], []
    for key in keys:
        doctype, _, name = key.partition(KEY_SEPARATOR)
        doc = sources.load(doctype, name)
        if doc is None:
            deletes.append((doctype, name))
        else:
            upserts.append(doc)
    return write(upserts=upserts, deletes=deletes, lock_timeout=5.0)


def flush() -> int:
    """Job: apply the pending changes; how many documents were written."""
    from eoffice.search.index import IndexBusy

    pending, _seq = _keys()
    conn = _connection()
    entries = conn.hgetall(pending)
    if not entries:
        return 0
    batch = dict(list(entries.items())[:BATCH])
    keys = [k.decode() for k in batch]
    try:
        written = apply(keys)
    except IndexBusy:
        queue_flush(delay=RETRY_BUSY_SECONDS)  # a rebuild holds the lock: the entries wait
        return 0
    args = []
    for key, seq in batch.items():
        args += [key, seq]
    conn.eval(_COMPARE_AND_DELETE, 1, pending, *args)
    if len(entries) > BATCH:
        queue_flush()
    return written


def pending_count() -> int:
    pending, _seq = _keys()
    return int(_connection().hlen(pending))
