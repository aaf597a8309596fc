"""How a command ends: a user's error as one clear line and exit code 2, a signal as exit code
128 + its number, never a traceback; SIGTERM cleans up as Ctrl-C does."""

from __future__ import annotations

import functools
import logging
import signal
import sys

import click

from .errors import BriefcastError


def handle_errors(func):
    """Turn library errors into one clear line and exit 2; Ctrl-C into exit 130, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BriefcastError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            click.echo(f"Error: {message}", err=True)
            logging.getLogger("briefcast").debug("details", exc_info=True)
            sys.exit(2)
        except KeyboardInterrupt as exc:
            click.echo("Interrupted; nothing was left half-written.", err=True)
            sys.exit(128 + getattr(exc, "signum", signal.SIGINT))

    return wrapper


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every temporary file and folder is cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame) -> None:  # noqa: ARG001 - a signal handler's signature
    raise Terminated(signum)


def install_signal_handlers() -> None:
    """Ctrl-C raises KeyboardInterrupt and SIGTERM ``Terminated`` (unless they are ignored, as a
    background job's are), so every temporary file and folder is cleaned up on the way out."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:
        signal.signal(signal.SIGTERM, _terminate)
