"""``python -m china_internet_trends`` runs the CLI."""

from .cli import run

run()
