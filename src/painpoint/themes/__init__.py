"""Theme taxonomy and pain-point extraction with evidence."""

from painpoint.themes.extract import PainPoint, PainPointSource, extract_pain_points
from painpoint.themes.taxonomy import Taxonomy, Theme, load_taxonomy

__all__ = ["PainPoint", "PainPointSource", "Taxonomy", "Theme", "extract_pain_points", "load_taxonomy"]
