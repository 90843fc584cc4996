"""Governance: the boards and panels that scrutinise VAWG delivery, and what is due when."""
