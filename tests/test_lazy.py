import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"

# After the reads given, which of the heavy readers' libraries have run their code? (A lazy
# module's name is in sys.modules at once; its submodules appear only once it has loaded.)
PROBE = """
import sys
from briefcast.article import read_article
for path in sys.argv[1:]:
    read_article(path)
print(",".join(m for m in ("trafilatura.core", "feedparser.api", "markdown_it.main")
               if m in sys.modules))
"""


def python_says(code: str, *args: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (nothing imported yet)."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def loaded(*paths: Path) -> str:
    return python_says(PROBE, *map(str, paths))


def test_a_text_article_loads_no_page_feed_or_markdown_library():
    assert loaded(DATA / "article-headings.txt") == ""


def test_each_format_loads_its_own_library_when_read():
    assert loaded(DATA / "read-code.md") == "markdown_it.main"
    assert loaded(DATA / "read-german.html") == "trafilatura.core"


# Libraries a command loads only when it needs them; each named by a module that appears only
# once the library has run (a lazy module's own name is in sys.modules at once).
HEAVY = (
    "numpy.linalg",  # numpy
    "PIL.ImageMode",  # Pillow's imaging
    "rich.live",  # the live progress line
    "starlette.responses",  # the feed stage
    "feedgen.feed",
    "psutil._common",
    "pysbd.segmenter",
    "_miniaudio",
    "lxml.etree",
)


def test_starting_the_cli_loads_no_heavy_library():
    """An unchanged rebuild renders, encodes, draws and publishes nothing: it pays for none."""
    code = "import sys, briefcast.cli; print(sorted(m for m in {} if m in sys.modules))"
    assert python_says(code.format(HEAVY)) == "[]"


THREADS = """
import threading
from briefcast.lazy import lazy_import
miniaudio = lazy_import("miniaudio")
start, failed = threading.Barrier(8), []
def ask():
    start.wait()
    try:
        miniaudio.stream_file
    except AttributeError as exc:
        failed.append(exc)
threads = [threading.Thread(target=ask) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(failed))
"""


def test_threads_asking_at_once_all_get_the_loaded_module():
    """The MP3 encoder's threads first reach miniaudio together (a build once failed so)."""
    for _ in range(5):
        assert python_says(THREADS) == "0"
