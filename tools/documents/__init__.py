"""Word and PDF documents for legal and the archive: pure builders from plain data to bytes."""
