"""Audio Explorer: a desktop tool for exploring audio datasets."""

__version__ = "0.1.0"
