"""Cover art: the user's image made square, or a generated title card (Pillow)."""

from __future__ import annotations

import hashlib
import io
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import UnidentifiedImageError

from ..cache import cache_folder
from ..errors import InputError
from ..files import write_bytes_atomic
from ..lazy import lazy_import

# Pillow's imaging modules load with the first cover (0.03 s): an unchanged rebuild draws none.
Image = lazy_import("PIL.Image")
ImageDraw = lazy_import("PIL.ImageDraw")
ImageFont = lazy_import("PIL.ImageFont")

MIN_SIDE = 1400
"""Podcast directories require at least 1400×1400."""
MAX_SIDE = 3000
"""...and at most 3000×3000."""
GENERATED_SIDE = 3000
BACKGROUND = (24, 44, 74)
FOREGROUND = (244, 240, 230)


@dataclass(frozen=True)
class Cover:
    """Encoded image bytes ready to embed, with their MIME type."""

    data: bytes
    mime: str


def load_cover(path: Path) -> Cover:
    """The image at ``path`` as a square cover between 1400 and 3000 px (centre-cropped, scaled).

    A JPEG or PNG that already fits is embedded as is; anything else is re-encoded (PNG when
    it has transparency or few colours, JPEG for photos).
    """
    try:
        with Image.open(path) as image:
            image.load()
            source_format = image.format
    except FileNotFoundError:
        raise InputError(f"cover image not found: {path}") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(
            f"cover {path} is not an image Pillow can read ({exc}): give a PNG or JPEG"
        ) from None
    width, height = image.size
    if source_format in ("PNG", "JPEG") and width == height and MIN_SIDE <= width <= MAX_SIDE:
        return Cover(path.read_bytes(), "image/png" if source_format == "PNG" else "image/jpeg")
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    target = min(max(side, MIN_SIDE), MAX_SIDE)
    if target != side:
        square = square.resize((target, target), Image.LANCZOS)
    keep_png = source_format == "PNG" or square.mode in ("P", "LA", "RGBA", "1", "L")
    buffer = io.BytesIO()
    if keep_png:
        square.save(buffer, "PNG", optimize=True)
        return Cover(buffer.getvalue(), "image/png")
    square.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True)
    return Cover(buffer.getvalue(), "image/jpeg")


def generate_cover(title: str, *, subtitle: str | None = None, side: int = GENERATED_SIDE) -> Cover:
    """A square PNG title card: the title wrapped and centred on a plain background."""
    # Drawn as a one-channel mask and coloured at the end: a quarter of the memory of RGB.
    image = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(image)
    margin = side // 10
    width = side - 2 * margin
    title = " ".join(title.split()) or "Untitled"
    # Largest font size whose wrapped title fits in the box in at most six lines; a title too
    # long even for the smallest size is cut with an ellipsis.
    for size in range(side // 7, side // 40, -side // 150):
        font = ImageFont.load_default(size=size)
        lines = textwrap.wrap(title, max(8, int(width / (size * 0.55))), break_long_words=True)
        spacing = size // 4
        box = draw.multiline_textbbox((0, 0), "\n".join(lines), font=font, spacing=spacing)
        if len(lines) <= 6 and box[2] - box[0] <= width and box[3] - box[1] <= width * 0.8:
            break
    if len(lines) > 6:
        lines = lines[:6]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    text = "\n".join(lines)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing)
    x = (side - (box[2] - box[0])) / 2 - box[0]
    y = (side - (box[3] - box[1])) / 2 - box[1]
    draw.multiline_text((x, y), text, font=font, fill=255, spacing=spacing, align="center")
    # a rule above and the show name below keep a short title from floating
    draw.rectangle((margin, margin, margin + side // 6, margin + side // 100), fill=255)
    if subtitle:
        small = ImageFont.load_default(size=side // 30)
        draw.text((margin, side - margin), subtitle, font=small, fill=255, anchor="ls")
    # Few shades (the anti-aliased edges folded onto 16) keep a 3000 px PNG small; saved as RGB,
    # since podcast directories ask for RGB, not palette, images.
    shades = [
        tuple(round(b + (f - b) * (v // 16 * 17) / 255) for b, f in zip(BACKGROUND, FOREGROUND))
        for v in range(256)
    ]
    image = image.convert("P")
    image.putpalette([channel for shade in shades for channel in shade])
    image = image.convert("RGB")
    buffer = io.BytesIO()
    # zlib's default level: half the time of optimize=True for a file 5 % larger (measured)
    image.save(buffer, "PNG")
    return Cover(buffer.getvalue(), "image/png")


COVER_FORMAT = 1
"""Bump when generated covers change, to retire cached ones."""


def cached_cover(title: str, *, subtitle: str | None = None, side: int = GENERATED_SIDE) -> Cover:
    """``generate_cover``, kept in the cache folder: drawing a 3000 px card takes ~0.2 s."""
    key = hashlib.sha256(json.dumps([COVER_FORMAT, title, subtitle, side]).encode()).hexdigest()
    path = cache_folder("covers") / f"{key}.png"
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # a truncated or corrupt entry is drawn again
        return Cover(data, "image/png")
    except (OSError, UnidentifiedImageError, SyntaxError):
        pass
    cover = generate_cover(title, subtitle=subtitle, side=side)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, cover.data)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return cover


def episode_cover(cover_path: Path | None, title: str, *, show: str | None = None) -> Cover:
    """The given cover made fit, or a generated (cached) one when ``cover_path`` is None."""
    if cover_path is not None:
        return load_cover(Path(cover_path))
    return cached_cover(title, subtitle=show)
