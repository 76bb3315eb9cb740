"""Apply a plan: the only package that changes AWS."""
