"""Read the live organization into the model, with read-only calls only."""
