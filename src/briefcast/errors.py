"""User-facing errors: one class per kind, each message says what is wrong and what to do.

The CLI prints ``Error: <message>`` on one line of stderr and exits with code 2.
"""


class BriefcastError(Exception):
    """Base class for every error a user can act on."""


class InputError(BriefcastError):
    """The input file is missing, empty, binary or cannot be decoded."""


class OutputError(BriefcastError):
    """The output folder cannot be created or written."""


class ScriptFileError(BriefcastError):
    """A script file given to ``render`` cannot be parsed."""


class VoiceError(BriefcastError):
    """A voice profile is missing, malformed, or names an engine/voice that is not available."""


class EngineError(BriefcastError):
    """A TTS engine failed to render a segment, even after retrying."""


class AudioError(BriefcastError):
    """ffmpeg or the audio assembly failed."""


class FeedError(BriefcastError):
    """A feed folder is missing, not initialised, or cannot be published, served or pushed."""
