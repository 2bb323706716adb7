"""Fixtures of the outgoing tests: the demo organisation with its recipient groups."""

import pytest


@pytest.fixture
def gialam(demo):
    """The Gia Lâm demo units, and the standard recipient groups."""
    from tests.outgoing.factories import groups

    groups()
    return demo


@pytest.fixture
def exchange_dir():
    """The site's exchange folders (``sites/<site>/edxml``), empty before and after."""
    import shutil

    from eoffice.edxml import transport

    path = transport.edxml_dir()
    shutil.rmtree(path, ignore_errors=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)
