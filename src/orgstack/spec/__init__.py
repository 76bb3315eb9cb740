"""The spec: ``orgstack.yaml`` (or a directory of YAML files), loaded, checked and compiled.

Import the submodules (``loader``, ``compile``, ``blueprints``) directly; this package stays
light so that the CLI starts fast.
"""
