"""Risks: categories, reports, events, referrals, outcomes, the services directory and the on-call rota."""
