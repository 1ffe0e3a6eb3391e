"""Adopting the tool: a new policy repository, a new policy, a Word policy imported.

``scaffold.py`` holds the files of a new repository and of a new policy, ``write.py`` writes them;
``word_read.py`` reads a Word file into the plain model of ``model.py``, ``guess.py`` suggests
levels and finds legal references, ``importer.py`` turns the model into policy files.
"""
