"""The embedded AWS emulator: a moto server on 127.0.0.1, started in the background."""
