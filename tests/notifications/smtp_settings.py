"""Settings of a worker process that a test starts: the test run's site, and e-mail to the
test's local SMTP server (``EOFFICE_TEST_SMTP_PORT``)."""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["EOFFICE_TEST_SMTP_PORT"])
