"""The pages' small force and signed-in Head of PVP, for the evidence upload tests."""

from web.conftest import signed_in, user, world  # noqa: F401 - fixtures by name
