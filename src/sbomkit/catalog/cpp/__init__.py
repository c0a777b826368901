"""Catalogers for C and C++: conan.lock and vcpkg.json manifests."""
