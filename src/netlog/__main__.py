from netlog.cli import main

main()
