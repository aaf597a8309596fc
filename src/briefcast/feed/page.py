"""The landing page ``index.html``: a static page of the feed's episodes, newest first, with a
player, chapters that seek it, the transcript, sources, subscribe links and a QR code.

It is one self-contained file (inline style and script, no external resources) with every
text escaped, so any static host can serve it and a story title cannot break it.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from .qr import qr_svg
from .records import FeedItem, FeedRecord
from .rss import file_url

STYLE = """
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:46rem;
color:#1c2430;background:#fbfaf7;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:.2rem 0}
article{border-top:1px solid #d8d4cc;padding:1rem 0}
audio{width:100%}
ol.chapters{padding-left:1.4rem}
button.seek{font:inherit;background:none;border:0;padding:.1rem 0;color:#1b4f8a;cursor:pointer;
text-align:left}
.meta{color:#5b6470;font-size:.9rem}
.subscribe svg{max-width:100%;height:auto}
details{margin:.5rem 0}
"""

SEEK_SCRIPT = """
document.querySelectorAll('button.seek').forEach(function (b) {
  b.addEventListener('click', function () {
    var player = document.getElementById(b.dataset.player);
    player.currentTime = parseFloat(b.dataset.time);
    player.play().catch(function () {});
  });
});
"""


def clock(ms: int) -> str:
    """``M:SS``, or ``H:MM:SS`` from an hour on, as players show times."""
    seconds = int(ms) // 1000
    hours, minutes = seconds // 3600, seconds // 60 % 60
    return f"{hours}:{minutes:02d}:{seconds % 60:02d}" if hours else f"{minutes}:{seconds % 60:02d}"


def render_page(record: FeedRecord, base_url: str | None = None) -> str:
    """The landing page; subscribe links and the QR code need the feed's absolute URL, so
    they appear when ``base_url`` (or the folder's own) is known."""
    base = base_url if base_url is not None else record.channel.base_url
    channel = record.channel
    episodes = "\n".join(episode_html(n, item) for n, item in enumerate(record.newest_first()))
    return f"""<!doctype html>
<html lang="{escape(channel.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(channel.title)}</title>
<link rel="alternate" type="application/rss+xml" href="feed.xml">
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{escape(channel.title)}</h1>
<p class="meta">{escape(channel.description)} By {escape(channel.author)}.</p>
{subscribe_html(file_url(base, "feed.xml") if base else None)}
</header>
<main>
{episodes or "<p>No episodes yet.</p>"}
</main>
<script>{SEEK_SCRIPT}</script>
</body>
</html>
"""


def subscribe_html(feed_url: str | None) -> str:
    """Subscribe links for AntennaPod, Apple Podcasts and any app, with the QR code."""
    if feed_url is None:
        return '<p class="subscribe"><a href="feed.xml">RSS feed</a></p>'
    apple = "podcast://" + feed_url.split("://", 1)[1]
    antennapod = "https://antennapod.org/deeplink/subscribe?url=" + quote(feed_url, safe="")
    return f"""<section class="subscribe">
<p>Subscribe: <a href="{escape(antennapod)}">AntennaPod</a> ·
<a href="{escape(apple)}">Apple Podcasts</a> ·
<a href="{escape(feed_url)}">feed URL</a></p>
<p class="meta">Or scan with your phone, or paste <code>{escape(feed_url)}</code> into any
podcast app.</p>
{qr_svg(feed_url)}
</section>"""


def episode_html(n: int, item: FeedItem) -> str:
    """One episode: title, date, player, chapters, sources and transcript."""
    player = f"player-{n}"
    chapters = "".join(
        f'<li><button class="seek" data-player="{player}" data-time="{c["start_ms"] / 1000:.3f}">'
        f"{clock(c['start_ms'])} {escape(c['title'])}</button>"
        + (f' <a href="{escape(c["url"])}">source</a>' if c.get("url") else "")
        + "</li>"
        for c in item.chapters
    )
    sources = "".join(
        f'<li><a href="{escape(s["url"])}">{escape(s["title"])}</a>'
        + (f" ({escape(s['source'])})" if s.get("source") else "")
        + "</li>"
        for s in item.sources
    )
    transcript = "".join(f"<p>{escape(c['text'])}</p>" for c in item.transcript)
    m4b = f' · <a href="{escape(quote(item.m4b))}">M4B audiobook</a>' if item.m4b else ""
    return f"""<article id="{escape(item.slug)}">
<h2>{escape(item.title)}</h2>
<p class="meta">{escape(item.published[:10])} · {clock(item.duration_ms)}{m4b}</p>
<audio id="{player}" controls preload="metadata" src="{escape(quote(item.audio))}"></audio>
<p>{escape(item.description)}</p>
{f'<h3>Chapters</h3><ol class="chapters">{chapters}</ol>' if chapters else ""}
{f"<h3>Sources</h3><ul>{sources}</ul>" if sources else ""}
{f"<details><summary>Transcript</summary>{transcript}</details>" if transcript else ""}
</article>"""
