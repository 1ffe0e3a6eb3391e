"""The command line: its arguments and running the commands."""
