"""Ruby: Gemfile.lock and installed gem specifications."""
