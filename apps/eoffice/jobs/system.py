"""Jobs that check the job system itself."""

from eoffice.doctype.base import next_in_series


def bump_series(prefix: str) -> int:
    """Take the next number of a naming series: a job with an effect that a test can read."""
    return next_in_series(prefix)
