"""Documents for legal and the archive: a policy as a Word document and as an archival PDF."""
