"""Changes to a volunteer that other apps act on (clients ends their visits, for one).
Leaving an area is `livingwell.accounts.signals.area_membership_ended`.

Sent by the volunteer services inside their transaction, with `send` (not `send_robust`),
so whatever a receiver does commits, or rolls back, together with the change itself."""

from django.dispatch import Signal

# Sent with volunteer=, by=: the volunteer's status became "left".
volunteer_left = Signal()
