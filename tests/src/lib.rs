//! End-to-end tests of the `catalog` binary; the tests themselves are in `tests/tests/`.
