"""Column mappings shipped with ceremony (see :mod:`ceremony.io.mapping`)."""
