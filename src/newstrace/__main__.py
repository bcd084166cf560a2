import sys

from newstrace.cli import main

sys.exit(main())
