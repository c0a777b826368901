"""Go modules: go.mod, go.sum, vendor/modules.txt and the build info in Go binaries."""
