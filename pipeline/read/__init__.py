"""Read: raw files into printed rows, every row with its (path, line); no name is looked up."""
