"""One module per CLI command; each is a plain function the CLI calls."""
