"""Text in any common encoding is read, the guess named on stderr when it is not UTF-8; binary
and NUL-filled files are refused with one line."""

import codecs

import pytest
from click.testing import CliRunner

from briefcast.article import read_article
from briefcast.cli import cli
from briefcast.errors import InputError

STORY = (
    "Café Owner Wins Award\n\n"
    "The owner of the café on Rue Lépine won the town’s award for the best crème brûlée, "
    "a naïve façade of modesty aside. The prize is worth €500.\n"
)
CP1252 = STORY.encode("cp1252")
ENCODINGS = {
    "utf-8": STORY.encode("utf-8"),
    "utf-8 with BOM": codecs.BOM_UTF8 + STORY.encode("utf-8"),
    "utf-16 LE with BOM (Notepad)": STORY.encode("utf-16"),
    "utf-16 BE with BOM": codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"),
    "utf-32 with BOM": STORY.encode("utf-32"),
    "cp1252": CP1252,
}


@pytest.mark.parametrize("data", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_each_encoding_reads_as_the_same_article(tmp_path, data):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    article = read_article(path)
    assert article.title == "Café Owner Wins Award"
    assert article.sections[0].paragraphs == [STORY.split("\n\n")[1].strip()]


def test_latin1_text_is_read_and_the_guess_is_named_on_stderr(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade.\n".encode("latin-1") * 20)
    result = CliRunner().invoke(cli, ["read", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert "Café crème brûlée, naïve façade." in result.stdout
    assert result.stderr == f"WARNING: {path} is not UTF-8; read it as cp1252\n"


def test_utf8_text_names_no_encoding(tmp_path):
    path = tmp_path / "story.md"
    path.write_bytes(ENCODINGS["utf-8 with BOM"])
    result = CliRunner().invoke(cli, ["read", str(path)])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize(
    "data",
    [b"\x00" * 4096, b"Some text\x00\x00\x00 with NULs" * 50, bytes(range(256)) * 40],
    ids=["NUL-filled", "NULs in text", "binary"],
)
def test_binary_and_nul_filled_files_are_refused_with_one_line(tmp_path, data):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["read", str(path)])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: {path} is a binary file, not text; pass a .txt, .md or .html article\n"
    )
    with pytest.raises(InputError):
        read_article(path)
