"""Fixtures of the outgoing tests: the demo organisation with its recipient groups."""

import pytest


@pytest.fixture
def gialam(demo):
    """The Gia Lâm demo units, and the standard recipient groups."""
    from tests.outgoing.factories import groups

    groups()
    return demo
