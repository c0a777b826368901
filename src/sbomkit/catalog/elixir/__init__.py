"""Elixir: mix.lock."""
