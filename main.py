"""Batch HMI entry point: `python main.py [--demo | --headless] [--config PATH] [--version]`."""

import sys

from hmi.app import main

if __name__ == "__main__":
    sys.exit(main())
