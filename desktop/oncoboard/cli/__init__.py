"""The ``oncoboard`` command line: a thin layer over core use cases."""
