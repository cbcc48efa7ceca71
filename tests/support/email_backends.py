"""Email backends for tests that run a real worker in another process: the messages it
sends are files the test can count."""

import os
import time
from pathlib import Path
from smtplib import SMTPException

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class SlowFileEmailBackend(FileEmailBackend):
    """Writes a marker file when it starts sending, then waits LW_SLOW_EMAIL_SECONDS before
    writing the message: long enough for a test to kill the worker mid-delivery."""

    def send_messages(self, email_messages):
        marker_dir = Path(self.file_path)
        (marker_dir / f"sending-{os.getpid()}-{time.monotonic_ns()}.marker").touch()
        time.sleep(float(os.environ.get("LW_SLOW_EMAIL_SECONDS", "3")))
        return super().send_messages(email_messages)


class FailingEmailBackend(FileEmailBackend):
    """An email server that refuses every message."""

    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available, closing transmission channel")
