"""Cover art: generated title cards and user images made square."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from briefcast.audio.cover import episode_cover, generate_cover, load_cover
from briefcast.errors import InputError


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_generated_cover_is_a_small_square_rgb_png():
    cover = generate_cover(
        "Peace talks resume in Geneva as both sides weigh a ceasefire " * 2, subtitle="The Brief"
    )
    image = opened(cover.data)
    assert cover.mime == "image/png" and image.format == "PNG" and image.mode == "RGB"
    assert image.width == image.height >= 1400
    assert len(cover.data) < 400_000
    # the title is drawn: there are text-coloured pixels in the middle band
    colours = image.crop((0, image.height // 3, image.width, 2 * image.height // 3)).getcolors(64)
    assert colours is not None and len(colours) > 2


def test_given_cover_is_cropped_square_and_scaled_up(tmp_path):
    path = tmp_path / "wide.jpg"
    Image.new("RGB", (1000, 600), (200, 30, 30)).save(path, "JPEG")
    cover = load_cover(path)
    image = opened(cover.data)
    assert cover.mime == "image/jpeg" and image.size == (1400, 1400)


def test_given_cover_that_fits_is_embedded_unchanged(tmp_path):
    path = tmp_path / "fits.png"
    Image.new("RGB", (1500, 1500), (0, 90, 0)).save(path, "PNG")
    assert episode_cover(path, "ignored").data == path.read_bytes()


def test_large_transparent_cover_is_scaled_down_to_png(tmp_path):
    path = tmp_path / "big.webp"
    Image.new("RGBA", (4000, 3600), (0, 0, 200, 128)).save(path, "WEBP")
    image = opened(load_cover(path).data)
    assert image.format == "PNG" and image.size == (3000, 3000)


def test_bad_cover_is_an_input_error(tmp_path):
    path = tmp_path / "cover.png"
    path.write_text("not an image")
    with pytest.raises(InputError, match="not an image"):
        load_cover(path)
    with pytest.raises(InputError, match="not found"):
        load_cover(tmp_path / "missing.png")
