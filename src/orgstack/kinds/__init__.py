"""Resource kinds: one package each (``kinds/<name>/``), found by ``kinds.registry``."""
