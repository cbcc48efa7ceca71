"""Fixtures shared by the reports tests. Each test module keeps fixtures only it uses."""
