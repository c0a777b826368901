from sbomkit.cli.main import main

raise SystemExit(main())
