"""Charts drawn on the server as SVG, the same drawing in pages and papers (no Django)."""
