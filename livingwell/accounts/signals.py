"""Changes to who works where that the domain apps act on (clients ends a volunteer's
visits in an area they leave, for one). The platform sends them and knows nothing of the
receivers.

Sent inside the service's transaction with `send` (not `send_robust`), so whatever a
receiver does commits, or rolls back, together with the change itself."""

from django.dispatch import Signal

# Sent with membership= (an AreaMembership that has just ended) and by= (who ended it).
area_membership_ended = Signal()

# Sent by the second step of signing in (livingwell/accounts/second_factor.py) with
# request=, user= and kind=: "mfa_enrolled", "mfa_failed", "mfa_locked", "backup_code_used"
# or "mfa_turned_off". The security events record (livingwell/records) keeps them.
second_step_event = Signal()
