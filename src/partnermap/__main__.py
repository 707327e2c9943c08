from partnermap.cli import main

main()
