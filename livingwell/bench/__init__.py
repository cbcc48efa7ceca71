"""`make bench`: the key pages of every role timed against the same person's floor page,
and the whole stack measured over HTTP, on a scale database. Measuring only: nothing here
is imported by the application."""
