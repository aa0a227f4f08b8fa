from django.db import DatabaseError, DataError, IntegrityError
from redis.exceptions import RedisError


class PortalError(Exception):
    """A rule refused the action; `code` is stable, views map it to text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class ApplicationError(PortalError):
    pass


def transient(exc: BaseException) -> bool:
    """A failure of the database or the channel layer that passes (a restart, a terminated
    connection), as opposed to data that was refused or a bug."""
    if isinstance(exc, (IntegrityError, DataError)):
        return False
    return isinstance(exc, (DatabaseError, RedisError, OSError))
