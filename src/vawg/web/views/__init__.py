"""The tracker's pages, one module per group of pages. Views parse, call, render."""
