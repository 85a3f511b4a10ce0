"""`python -m crampwise` is the same as the `crampwise` command."""

from crampwise.cli.entry import main

if __name__ == "__main__":
    main()
