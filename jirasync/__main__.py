import sys

from jirasync.cli import main

sys.exit(main())
