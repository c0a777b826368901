"""Command-line interface: wiring only; the work lives in the pipeline packages."""
