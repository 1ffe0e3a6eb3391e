"""One policy as a PDF for the archive (``policy render --format pdf``, and a release's
``changelog/<policy>/<version>.pdf``).

Pure: a ``PolicyPage`` and an instant in, the bytes of a PDF out. The body is the employees'
page as HTML (``tools/site/policypage.py``); WeasyPrint lays it out and writes it as:

- PDF/A-3b (``pdf_variant="pdf/a-3b"``: the XMP metadata with ``pdfaid:part`` 3 and
  ``pdfaid:conformance`` B, an sRGB output intent, every font embedded, as a subset);
- tagged (``pdf_tags=True``: headings, paragraphs and lists as a structure tree, for screen
  readers and reflow);
- with one bookmark per section and clause (``bookmark-level`` on their headings; the policy's
  title and the contents are none), and the version and effective date on every page (the
  page's margin boxes).

Deterministic: the creation and modification dates are the given instant (``tools/base/clock.py``,
passed as ``dcterms.created`` and ``dcterms.modified``, which WeasyPrint writes to the info
dictionary and the XMP), and WeasyPrint's file identifier is an MD5 of the content, not random,
so the same page gives the same bytes. The fonts are those fontconfig finds for the font list
below (DejaVu on Debian): another machine with other fonts gives other, equally valid, bytes.
"""

from __future__ import annotations

import datetime as dt

from tools.documents.edition import page_effective, page_version
from tools.notes.wording import dutch_date
from tools.site.policypage import PolicyPage, policy_title, render_policy_html, version_label

PDF_VARIANT = "pdf/a-3b"
GENERATOR = "policy render"
FONTS = '"DejaVu Sans", "Liberation Sans", sans-serif'

STYLE = """
@page {
  size: A4;
  margin: 22mm 20mm 20mm 20mm;
  @top-left { content: "%(title)s"; font-size: 8pt; color: #444; }
  @top-right { content: "%(edition)s"; font-size: 8pt; color: #444; }
  @bottom-right { content: "pagina " counter(page) " van " counter(pages);
                  font-size: 8pt; color: #444; }
}
html { font-family: %(fonts)s; font-size: 10pt; line-height: 1.4; color: #000; }
h1 { font-size: 20pt; bookmark-level: none; }
h2 { font-size: 14pt; margin-top: 18pt; bookmark-level: 1; break-after: avoid; }
h2:not([id]) { bookmark-level: none; }
h3 { font-size: 11pt; margin-top: 12pt; bookmark-level: 2; break-after: avoid; }
p { margin: 0 0 6pt 0; orphans: 3; widows: 3; }
a { color: #0b4f8a; text-decoration: none; }
h2:not([id]) + ul a::after { content: leader(".") target-counter(attr(href), page); }
h2:not([id]) + ul, h2:not([id]) + ul ul { list-style: none; padding-left: 0; }
h2:not([id]) + ul ul { padding-left: 12pt; }
"""


def _css_string(text: str) -> str:
    """Text for a CSS string between double quotes."""
    return "".join(
        f"\\{ord(char):x} " if char in '"\\' or ord(char) < 32 else char
        for char in " ".join(text.split())
    )


def _html_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _w3c(moment: dt.datetime) -> str:
    """``2027-01-01T12:00:00Z``: the W3C date-time WeasyPrint reads from ``dcterms.*``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_html(page: PolicyPage, moment: dt.datetime) -> str:
    """The whole HTML document WeasyPrint lays out: metadata, print style, the page's body."""
    title = policy_title(page.policy)
    version = version_label(page_version(page), page.released)
    edition = f"versie {version} · geldt vanaf {dutch_date(page_effective(page))}"
    style = STYLE % {
        "title": _css_string(title),
        "edition": _css_string(edition),
        "fonts": FONTS,
    }
    lang = _html_attribute(page.policy.meta.model.language)
    when = _w3c(moment)
    head = (
        f'<meta charset="utf-8">\n<title>{_html_attribute(title)}</title>\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f'<meta name="dcterms.created" content="{when}">\n'
        f'<meta name="dcterms.modified" content="{when}">\n'
        f"<style>{style}</style>\n"
    )
    body = render_policy_html(page)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def policy_pdf(page: PolicyPage, moment: dt.datetime) -> bytes:
    """The policy page as an archival PDF (PDF/A-3b, tagged); ``moment``: its dates."""
    from weasyprint import HTML  # a slow import: only the PDF pays for it

    document = HTML(string=document_html(page, moment), base_url=None)
    data: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return data
