"""VAWG Tracker: a police force's delivery of the national VAWG framework, in one system."""

__version__ = "0.1.0"
