// A service module in the style of a real one: blocks, comments, replacements.
module github.com/acme/widget/v2

go 1.22

toolchain go1.22.1

require github.com/google/uuid v1.6.0

require (
	github.com/spf13/cobra v1.8.0 // CLI
	"github.com/quoted/path" v0.3.0
	golang.org/x/sync v0.7.0
	github.com/docker/docker v24.0.7+incompatible
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.5 // indirect; pulled in by cobra
	golang.org/x/text v0.14.0 // indirect
	github.com/old/fork v1.0.0
	example.com/internal/lib v0.0.0-00010101000000-000000000000
	github.com/excluded/mod v0.9.0 // indirect
)

replace (
	github.com/old/fork v1.0.0 => github.com/new/fork v1.0.1
	example.com/internal/lib => ../lib
)

replace golang.org/x/text => golang.org/x/text v0.15.0

exclude github.com/excluded/mod v0.9.0

retract (
	v2.0.1 // published by mistake
	[v2.0.2, v2.0.3]
)

godebug default=go1.21
