"""Helpers the tests share, kept out of files named like tests.

``web``: the loopback web (feeds, pages, the arXiv API) and writers of show notes and feeds
in their real formats; ``resolve``: stores, settings and fault servers for resolving;
``db``: snapshots of a database by content, and integrity checks; ``sample``: the small
sample store the fixtures in ``conftest.py`` build; ``notes_oracle``: an independent reader
of feed notes to check ingest against.
"""
