"""The ``briefcast`` command's entry point (also ``python -m briefcast``): a signal arriving
while the library is still loading ends the run as quietly as one arriving later."""

import signal
import sys


def _interrupted_while_loading(signum: int, frame) -> None:  # noqa: ARG001 - handler signature
    # Nothing has been written yet; the CLI installs its own handling once it has loaded.
    sys.stderr.write("Interrupted; nothing was left half-written.\n")
    sys.exit(128 + signum)


for _signum in (signal.SIGINT, signal.SIGTERM):
    if signal.getsignal(_signum) is not signal.SIG_IGN:  # a background job's stays ignored
        signal.signal(_signum, _interrupted_while_loading)

from .cli import main  # noqa: E402 - loaded under the handlers above

__all__ = ["main"]

if __name__ == "__main__":
    main()
