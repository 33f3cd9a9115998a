from ptst.cli.main import main

main()
