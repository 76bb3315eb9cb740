"""The workflows behind the library façade (``api``): plan, apply, audit, files."""
