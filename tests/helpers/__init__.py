"""What the tests share, one copy of each (no test module imports another test module).

``tests/conftest.py`` puts ``tests/`` on ``sys.path`` (pytest's default "prepend" import mode
for a conftest outside a package), so tests import ``from helpers.files import write_tree``.

- ``files``: where the repository, the sample workspace and the fixtures are; writing file
  trees; comparing two versions of a file line by line.
- ``sample``: the sample workspace's active feature and its files.
- ``git``: git run without the user's configuration; small repositories with dated commits.
- ``markdown``: parsing shortcuts and Hypothesis strategies for Markdown documents.
- ``checks``: a clean Spec Kit feature for the readiness rules (``sdd-tui check``).
- ``cli``: ``sdd-tui`` run in a subprocess.
- ``ui``: the workbench under Pilot: building it, reading the screen, waiting.
- ``live``: recording what the running workbench's watcher and reloads did.
- ``hostile``: a workspace built to attack the reader, the renderer and the terminal.
"""
