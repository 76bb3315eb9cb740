"""Resource kinds: one package each (``kinds/<name>/``), found by ``orgstack.registry``."""
