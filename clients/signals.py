"""Changes to a client's consent that other apps act on (meetings takes the client off
agendas, for one).

Sent by the consent services inside their transaction, with `send` (not `send_robust`),
so whatever a receiver does commits, or rolls back, together with the withdrawal."""

from django.dispatch import Signal

# Sent with consent=, by=: the consent was withdrawn (its scope says what ends).
consent_withdrawn = Signal()
