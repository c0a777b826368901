"""sbomkit: software bill of materials, end to end."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sbomkit")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
