"""Entry point for `python -m painpoint`."""

from painpoint.cli import main

main()
