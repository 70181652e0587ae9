from oncoboard.cli.main import main

main()
