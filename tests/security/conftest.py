"""The security tests use the live server fixtures too."""
from tests.live.conftest import live, room  # noqa: F401
