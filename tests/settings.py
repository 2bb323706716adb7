"""Settings of a test run: a throw-away site on MariaDB, named after the run.

Each run gets its own site folder, database (``eoffice_test_<run>``) and queue names, so two
runs on one machine never meet. pytest-django creates the database and drops it at the end.
Processes the tests start (gunicorn, RQ workers) inherit the environment set here and so
reach the same database.
"""

import json
import os
import secrets
import tempfile
from pathlib import Path

run = os.environ.setdefault("EOFFICE_TEST_RUN", secrets.token_hex(4))
sites_dir = Path(
    os.environ.setdefault(
        "EOFFICE_SITES_DIR", str(Path(tempfile.gettempdir()) / f"eoffice-test-{run}" / "sites")
    )
)
site = os.environ.setdefault("EOFFICE_SITE", f"test-{run}")
server = os.environ.get("EOFFICE_TEST_DB_SERVER", "mysql://root@127.0.0.1:3306")
config_path = sites_dir / site / "site_config.json"
if not config_path.exists():
    config_path.parent.mkdir(parents=True, exist_ok=True)
    (config_path.parent / "private" / "files").mkdir(parents=True, exist_ok=True)
    config_path.write_text(
        json.dumps(
            {
                "db_url": f"{server}/eoffice_test_{run}",
                "redis_url": os.environ.get("EOFFICE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
                "secret_key": secrets.token_urlsafe(50),
                "encryption_key": secrets.token_urlsafe(32),
                "file_store": "private/files",
                "max_file_size_mb": 5,
            }
        )
    )

from eoffice.settings import *  # noqa: E402,F401,F403
from eoffice.settings import DATABASES  # noqa: E402

# The database the site names is the test database itself, so that the server and worker
# processes the tests start use it too.
DATABASES["default"].setdefault("TEST", {})["NAME"] = DATABASES["default"]["NAME"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast user factories
