"""Real-looking Word policies for the import tests, made with python-docx as an author's Word
would save them: a title, headings, numbered lists, nested bullets, bold lead-ins, a table, and
what python-docx has no API for (footnote references, text boxes, tracked changes) written as
the OOXML Word writes."""

from __future__ import annotations

import io
import struct
import zlib

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"


def save(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def lead_in(document: Document, bold: str, rest: str, style: str | None = None) -> Paragraph:
    """A paragraph (or list item) that opens with bold words: its title."""
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(bold).bold = True
    paragraph.add_run(rest)
    return paragraph


def tiny_png() -> bytes:
    """A 1x1 white PNG, made here: no image file in the repository."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def footnote_reference(paragraph: Paragraph, number: int = 1) -> None:
    """A footnote mark in the text, as Word writes it (the note's own part is not needed)."""
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )
    )


def text_box(document: Document, text: str) -> None:
    """A paragraph holding a VML text box, as older Word versions save one."""
    paragraph = document.add_paragraph()
    paragraph._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}" xmlns:v="{V_NS}"><w:pict><v:shape><v:textbox>'
            f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )


def thuiswerk() -> bytes:
    """A Dutch working-from-home policy: numbered rules with bold lead-ins and nested bullets,
    legal references, and a table of allowances."""
    document = docx.Document()
    document.core_properties.title = "Thuiswerkbeleid"
    document.add_paragraph("Thuiswerkbeleid", style="Title")
    document.add_paragraph(
        "Dit beleid beschrijft hoe je thuiswerkt. Het geldt voor iedereen met een "
        "arbeidsovereenkomst."
    )
    document.add_heading("1. Doel en reikwijdte", level=1)
    document.add_paragraph("Thuiswerken is een afspraak tussen jou en je leidinggevende.")
    document.add_paragraph("Wij adviseren je om vaste thuiswerkdagen af te spreken.")
    document.add_heading("2. Werkplek", level=1)
    lead_in(document, "Ergonomie: ", "Je werkplek thuis moet voldoen aan de Arbowet.",
            "List Number")  # fmt: skip
    document.add_paragraph("een verstelbare stoel", style="List Bullet 2")
    document.add_paragraph("een los beeldscherm", style="List Bullet 2")
    lead_in(document, "Vergoeding.", " Je kunt een vergoeding aanvragen bij HR.", "List Number")
    table = document.add_table(rows=3, cols=2)
    for row, (kind, amount) in enumerate([("Soort", "Bedrag"), ("Internet", "EUR 2 per dag"),
                                          ("Stoel", "EUR 250 eenmalig")]):  # fmt: skip
        table.cell(row, 0).text, table.cell(row, 1).text = kind, amount
    document.add_heading("3. Gegevens en beveiliging", level=1)
    document.add_paragraph(
        "Je mag geen vertrouwelijke documenten thuis printen.", style="List Number"
    )
    document.add_paragraph(
        "Je gebruikt alleen de laptop van de organisatie, want je dient je als goed werknemer "
        "te gedragen (artikel 7:611 BW).",
        style="List Number",
    )
    document.add_paragraph(
        "Persoonsgegevens verwerk je alleen als daar een grondslag voor is, zoals art. 6 AVG "
        "vraagt. Het is verboden klantgegevens op een privécomputer op te slaan.",
        style="List Number",
    )
    return save(document)


def acceptable_use() -> bytes:
    """An English acceptable-use policy: numbered headings, bullets with bold lead-ins, a
    sub-heading without text of its own, a footnote, an image and a text box."""
    document = docx.Document()
    document.add_paragraph("Acceptable Use of IT", style="Title")
    document.add_heading("Purpose", level=1)
    intro = document.add_paragraph(
        "This policy explains how you use the laptops, accounts and networks we provide."
    )
    footnote_reference(intro)
    document.add_heading("Rules", level=1)
    document.add_heading("Accounts", level=2)
    lead_in(document, "Passwords", " You must use a password manager for every account.",
            "List Bullet")  # fmt: skip
    lead_in(document, "Sharing", ": You must not share your account with anyone.",
            "List Bullet")  # fmt: skip
    document.add_paragraph("not with colleagues either", style="List Bullet 2")
    document.add_heading("Devices", level=2)
    document.add_paragraph("You should lock your screen when you leave your desk.")
    document.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))
    document.add_paragraph("You may use your laptop for personal e-mail during breaks.")
    text_box(document, "Report a lost laptop at once")
    document.add_heading("Privacy", level=1)
    document.add_paragraph(
        "We process log data under Article 6(1)(f) GDPR to keep the network safe."
    )
    document.add_paragraph("You shall report a data breach to the service desk within an hour.")
    return save(document)


def integriteit(*, tracked: bool) -> bytes:
    """A Dutch integrity policy; ``tracked``: with pending tracked changes (an insertion and
    a deletion, as Word's Track Changes writes them)."""
    document = docx.Document()
    document.add_paragraph("Integriteitsbeleid", style="Title")
    document.add_heading("Geschenken", level=1)
    gift = document.add_paragraph("Je mag geschenken tot EUR 50 aannemen.")
    document.add_paragraph("Je meldt elk geschenk bij je leidinggevende.", style="List Bullet")
    document.add_heading("Nevenwerkzaamheden", level=1)
    side = document.add_paragraph("Nevenwerk ")
    document.add_paragraph(
        "Wij adviseren je om twijfel altijd met de vertrouwenspersoon te bespreken."
    )
    if tracked:
        attributes = 'w:id="{}" w:author="Juridisch" w:date="2026-03-01T10:00:00Z"'
        gift._p.append(parse_xml(
            f'<w:ins {nsdecls("w")} {attributes.format(1)}><w:r><w:t xml:space="preserve">'
            " Meld ze wel.</w:t></w:r></w:ins>"
        ))  # fmt: skip
        side._p.append(parse_xml(
            f'<w:del {nsdecls("w")} {attributes.format(2)}><w:r><w:delText>is toegestaan'
            "</w:delText></w:r></w:del>"
        ))  # fmt: skip
        side._p.append(parse_xml(
            f'<w:ins {nsdecls("w")} {attributes.format(3)}><w:r><w:t>moet je vooraf melden'
            "</w:t></w:r></w:ins>"
        ))  # fmt: skip
    else:
        side.add_run("moet je vooraf melden")
    return save(document)


def accept_all(data: bytes) -> bytes:
    """What Word's "Accept All Changes" does: deletions go, insertions become plain runs."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    for deleted in list(body.iter(qn("w:del"))):
        deleted.getparent().remove(deleted)
    for inserted in list(body.iter(qn("w:ins"))):
        parent = inserted.getparent()
        index = parent.index(inserted)
        for child in list(inserted):
            parent.insert(index, child)
            index += 1
        parent.remove(inserted)
    return save(document)


def empty() -> bytes:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    return save(document)
