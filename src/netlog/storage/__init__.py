"""Where the ledger is stored: the file, its readers and writers (see files.py, reader.py)."""
