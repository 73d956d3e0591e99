from sgaudit.cli import entry

entry()
