"""Tauride: choice-based interactive fiction for the terminal."""

__version__ = "0.1.0"
