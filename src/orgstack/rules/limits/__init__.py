"""Rules of the limits category."""
