"""The authorization matrix's world (users per role, objects owned by someone else) for every file here."""

from tests.hardening.test_authorization_matrix import world  # noqa: F401
