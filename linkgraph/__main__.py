"""python -m linkgraph"""

from .cli import main

main()
