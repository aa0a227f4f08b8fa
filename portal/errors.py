class PortalError(Exception):
    """A rule refused the action; `code` is stable, views map it to text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class ApplicationError(PortalError):
    pass
