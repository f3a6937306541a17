from sdd_tui.cli import main

raise SystemExit(main())
