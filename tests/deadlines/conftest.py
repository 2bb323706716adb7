"""Each test starts from the national calendar and the default deadline rules."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_site_rules(fresh_site_rules):
    yield
