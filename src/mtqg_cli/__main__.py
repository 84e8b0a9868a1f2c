"""python -m mtqg_cli ... : the same as the `mtqg` command."""

from .cli.app import main

main()
