"""`python -m game` is the same as `tauride`."""

import sys

from .cli import main

sys.exit(main())
