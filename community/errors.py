class ForumError(Exception):
    """A forum rule refused the action; `code` is stable, views map it to text."""

    def __init__(self, code: str, wait: int = 0):
        super().__init__(code)
        self.code = code
        self.wait = wait


class ReviewError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
