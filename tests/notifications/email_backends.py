"""An email backend for the worker tests that cut the database under a delivery."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

GO_ON = "go-on"


class PausedAfterSendingFileEmailBackend(FileEmailBackend):
    """Writes the message, as a mail server accepting it, then a `sent-*.marker` file, and
    waits until the test creates a `go-on` file (for a minute at most) before it returns:
    the email has left and the worker has not yet recorded it, for as long as the test needs."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        folder = Path(self.file_path)
        (folder / f"sent-{os.getpid()}-{time.monotonic_ns()}.marker").touch()
        deadline = time.monotonic() + 60
        while not (folder / GO_ON).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return sent
