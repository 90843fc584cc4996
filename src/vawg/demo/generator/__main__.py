"""``python -m vawg.demo.generator OUT_DIR``: see :func:`vawg.demo.generator.main`."""

import sys

from vawg.demo.generator.build import main

if __name__ == "__main__":
    sys.exit(main())
