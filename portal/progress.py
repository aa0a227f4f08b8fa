"""Terminal output for long commands (seed_demo): one line per step, a progress bar for long loops.

On a terminal the bar redraws in place; elsewhere (a log, a test's StringIO) it writes one line when done,
so captured output stays short.
"""

import time

from django.core.management.base import OutputWrapper

BAR_WIDTH = 28


def _write(out, text: str) -> None:
    if out is None:
        return
    if isinstance(out, OutputWrapper):
        out.write(text, ending="")
    else:
        out.write(text)
    if hasattr(out, "flush"):
        out.flush()


def _isatty(out) -> bool:
    return bool(getattr(out, "isatty", lambda: False)())


class Progress:
    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total = out, label, max(total, 1)
        self.count, self.shown, self.started = 0, -1, time.monotonic()
        self.tty = _isatty(out)
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.count = min(self.total, self.count + n)
        self._draw()

    def _draw(self) -> None:
        if not self.tty:
            return
        percent = self.count * 100 // self.total
        if percent == self.shown:
            return
        self.shown = percent
        filled = BAR_WIDTH * self.count // self.total
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        _write(self.out, f"\r    {self.label:<18} {bar} {percent:3d}%  {self.count:,}/{self.total:,}")

    def done(self) -> None:
        self.count = self.total
        self._draw()
        seconds = time.monotonic() - self.started
        if self.tty:
            _write(self.out, f"  {seconds:.1f} s\n")
        else:
            _write(self.out, f"    {self.label}: {self.total:,} ({seconds:.1f} s)\n")


def progress(out, label: str, total: int) -> Progress:
    """A bar on the terminal behind `out` (a StepOutput passes its own terminal, not its filter)."""
    return Progress(getattr(out, "terminal", out), label, total)


class StepOutput:
    """What each app's demo module writes to: its detail lines only when asked for (-v 2)."""

    def __init__(self, terminal, verbose: bool):
        self.terminal, self.verbose = terminal, verbose

    def write(self, text: str = "", *args, **kwargs) -> None:
        if self.verbose:
            self.terminal.write(text, *args, **kwargs)

    def isatty(self) -> bool:
        return _isatty(self.terminal)

    def flush(self) -> None:
        if hasattr(self.terminal, "flush"):
            self.terminal.flush()
