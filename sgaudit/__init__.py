"""sgaudit: organisational safeguarding audits from the front line to the board."""

__version__ = "0.1.0"
