"""Adopting the tool: importing an organisation's existing Word policy as a draft policy
folder. ``word_read.py`` reads a Word file into the plain model of ``model.py``; ``guess.py``
suggests levels and finds legal references; ``importer.py`` turns the model into policy files.
"""
