from videoforge.cli import main

main()
