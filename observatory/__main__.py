"""`python -m observatory` runs the command line."""

from observatory.cli import main

main()
