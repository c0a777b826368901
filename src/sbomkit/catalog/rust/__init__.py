"""Rust: Cargo.lock files and cargo-auditable binaries."""
