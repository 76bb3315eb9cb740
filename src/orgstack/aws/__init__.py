"""AWS access: one session, one shared rate limiter, retries, call statistics, error messages."""
