"""One module per CLI command; each is a plain function the CLI calls."""

#: The content types ``new`` can write (here, so the command line can offer them without loading ``new``).
NEW_TYPES = ("policy", "interpretation", "institution")
