"""Passwords: argon2id hashes, checked in the same time whether or not the account exists."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: argon2id with the library's current parameters (RFC 9106, low-memory profile).
hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return hasher.hash("no account has this password")


def check_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; without a hash, spend the same effort and say no."""
    try:
        matches = hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """The hash was made with other parameters than ``hasher`` uses now."""
    return hasher.check_needs_rehash(password_hash)
