"""``python -m vawg.cli`` runs the same command as ``vawg``."""

from vawg.cli import main

main()
