"""Fixtures of the roadmap tests."""
import pytest


@pytest.fixture
def pango():
    """WeasyPrint loads the system's Pango library: without it PDF tests cannot run (a skip fails the run in CI)."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        pytest.skip(f"WeasyPrint needs the Pango library, absent here: {error}")
