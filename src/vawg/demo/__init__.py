"""The demo force: shipped real public data and the reference force's strategy."""
