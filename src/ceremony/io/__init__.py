"""Reading and writing programmes: show files in YAML, TOML and JSON."""

from ceremony.io.converter import make_converter
from ceremony.io.icsfile import load_ics, loads_ics
from ceremony.io.showfile import dump, dumps, load, loads
from ceremony.io.syntax import FORMATS, Format

__all__ = [
    "FORMATS",
    "Format",
    "dump",
    "dumps",
    "load",
    "load_ics",
    "loads",
    "loads_ics",
    "make_converter",
]
