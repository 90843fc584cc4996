"""Metric definitions, monthly observations and the ready reckoner built from them."""
