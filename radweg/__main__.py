"""``python -m radweg``."""

from radweg.cli.main import cli

cli()
