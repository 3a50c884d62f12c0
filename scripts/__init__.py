"""Entry points and measurement scripts; a package so that the docs can import them."""
