"""Documents generated from the data: the ready reckoner exports, papers and returns."""
