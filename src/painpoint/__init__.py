"""painpoint: find what Chinese government plans need, and which social organizations can provide it."""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__"]
