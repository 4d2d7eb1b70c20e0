"""``python -m accounts``: manage accounts from the shell (see ``accounts/cli.py``)."""

import sys

from accounts.cli import main

sys.exit(main())
