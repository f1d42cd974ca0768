"""Icons clients show beside the server, its tools (by toolset) and app module resources.

Every icon of ours is a data: URI built here, so listing never fetches anything: the server's is a small SVG mark,
a toolset's a rounded square with the toolset's initials on a colour picked from its name. Each tool carries its
toolset's icon, so the SVG is kept short and percent-encoded rather than base64 (about 240 bytes a tool: a listing
of every tool stays within what a tokenizer takes in one piece). An app's own icon is the one Make's app listing
gives (a data: URI or an https: address Make serves); it is passed on as is, never fetched.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from urllib.parse import quote

import mcp_types as types

# Make's purple and five colours that read well under white initials.
PALETTE = ("#6d00cc", "#0b7a75", "#b3261e", "#1f5fbf", "#8a5a00", "#5b5f66")
SVG = "image/svg+xml"
SVG_DATA = f"data:{SVG},"

_SERVER_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>"
    "<rect width='32' height='32' rx='7' fill='#6d00cc'/>"
    "<path d='M7 23V9h3.2l5.8 8.2L21.8 9H25v14h-3V14l-6 8.4L10 14v9z' fill='#fff'/></svg>"
)


def _svg_icons(svg: str) -> list[types.Icon]:
    """An SVG as a valid URI (spaces, '<', '>' and '#' escaped), shorter than base64 for SVG text; it scales to
    any size."""
    return [types.Icon(src=SVG_DATA + quote(svg, safe="/:=',"), mime_type=SVG, sizes=["any"])]


@cache
def server_icons() -> list[types.Icon]:
    return _svg_icons(_SERVER_SVG)


def initials(toolset: str) -> str:
    """ "data-stores" -> "DS", "scenarios" -> "SC"."""
    words = [word for word in toolset.replace("_", "-").split("-") if word]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return (words[0][:2] if words else "?").upper()


def _glyph(letters: str, colour: str) -> list[types.Icon]:
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'>"
        f"<rect width='24' height='24' rx='5' fill='{colour}'/>"
        f"<text x='12' y='16' font-size='10' fill='#fff' text-anchor='middle'>{letters}</text></svg>"
    )
    return _svg_icons(svg)


@cache
def toolset_icons(toolset: str) -> list[types.Icon]:
    """A toolset's icon, on its toolset resource and on each of its tools (the discovery tools, of no toolset,
    carry the server's)."""
    return _glyph(initials(toolset), PALETTE[hashlib.sha256(toolset.encode()).digest()[0] % len(PALETTE)])


def theme_icons(app: str, theme: object) -> list[types.Icon] | None:
    """For an app whose listing gives no icon but its theme colour: its initials on that colour."""
    if not isinstance(theme, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", theme):
        return None
    return _glyph(initials(app), theme)


def app_icons(icon: object) -> list[types.Icon] | None:
    """An app's icon as Make's listing gives it (a data: or https: URI); None when it gives none usable."""
    if not isinstance(icon, str) or not icon.startswith(("data:image/", "https://")):
        return None
    declared = re.match(r"data:(image/[\w.+-]+)[;,]", icon)  # a data: URI says its type; an address does not
    return [types.Icon(src=icon, mime_type=declared.group(1) if declared else None)]
