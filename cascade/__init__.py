"""cascade: follow Vietnamese government instructions down the administration.

Library first; `cli.py` is a thin layer over these functions.

    from cascade import parse_file, parse_text
    record = parse_file("corpus/002_99b20f177fc5dcd7.txt")
"""
__version__ = "0.1.0"


def parse_file(path):
    from cascade.parse import parse_file as _p
    return _p(path)


def parse_text(text, source="<text>", format="txt"):
    from cascade.parse import parse_text as _p
    return _p(text, source=source, format=format)
