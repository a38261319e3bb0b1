import sys

from tools.id_words import main

sys.exit(main())
