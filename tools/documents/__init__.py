"""Word and PDF documents for legal and the archive: the Word redline of a diff, and the policy
as a Word document and as an archival PDF. Pure builders from plain data to bytes; ``gather.py``
reads what they are made from."""
