from fzcheck.app.cli import main

main()
