"""The limits every offline import shares (`thidua.core.filelimits`), as module attributes so
tests can lower them (`monkeypatch.setattr(limits, "MAX_ROWS", 5)`)."""

from thidua.core import filelimits

MAX_BYTES = filelimits.MAX_BYTES  # the uploaded file
MAX_UNPACKED_BYTES = filelimits.MAX_UNPACKED_BYTES  # its parts once unzipped (zip bombs stop)
MAX_ROWS = filelimits.MAX_ROWS
MAX_ERRORS = 1000  # errors kept in memory; the rest are only counted
PROGRESS_EVERY = 1000
WRITE_BATCH = 5000
