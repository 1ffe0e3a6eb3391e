"""The reader on its own: a Word file's bytes to the plain document model."""

from __future__ import annotations

from tests.adopt import wordkit
from tools.adopt.model import Block, Unplaced
from tools.adopt.word_read import read_word


def test_headings_lists_lead_ins_and_what_cannot_be_placed() -> None:
    document = read_word("t.docx", wordkit.thuiswerk())
    assert document.title == "Thuiswerkbeleid"
    blocks = dict(document.blocks)
    assert blocks[3] == Block("1. Doel en reikwijdte", heading=1)
    assert blocks[7] == Block(
        "Ergonomie: Je werkplek thuis moet voldoen aan de Arbowet.", list_level=0,
        lead_in="Ergonomie:",
    )  # fmt: skip
    assert blocks[8] == Block("een verstelbare stoel", list_level=1)
    assert document.unplaced == (
        Unplaced("table", 11, "Soort Bedrag Internet EUR 2 per dag Stoel ..."),
    )


def test_a_paragraph_bold_throughout_has_no_lead_in() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Alles vet, je moet dit lezen.").bold = True
    (block,) = (b for _, b in read_word("x.docx", wordkit.save(document)).blocks)
    assert block.lead_in == "" and block.list_level is None
