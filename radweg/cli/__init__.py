"""The command-line interface: a thin Click layer over the core modules."""
