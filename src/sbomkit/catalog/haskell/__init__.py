"""Catalogers for Haskell: cabal.project.freeze and stack.yaml.lock."""
