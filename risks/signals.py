"""Events in a concern's life that other apps act on (meetings puts a concern routed to
the formal meeting on its agenda, for one).

Sent by the risk services inside their transaction, with `send` (not `send_robust`), so
whatever a receiver does commits, or rolls back, together with the change itself."""

from django.dispatch import Signal

# Sent with risk=, by=: a concern was reported.
risk_reported = Signal()
