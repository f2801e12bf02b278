"""radweg: plan and publish a themed cycle route (the Kupferspuren-Radweg in Mansfeld-Südharz)."""

__version__ = "0.1.0"
# A plain attribute (read by setuptools for the package metadata): importlib.metadata would cost
# ~40 ms at every start of the CLI.
