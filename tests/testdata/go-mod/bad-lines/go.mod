module example.com/bad

go 1.21

require github.com/nover
require github.com/too/many v1.0.0 extra
require github.com/bad/version latest
require "github.com/unterminated v1.0.0
frobnicate everything
require (
	github.com/ok/one v1.0.0
	github.com/ok/one v1.1.0
	github.com/ok/two v2.0.0+incompatible
replace github.com/ok/two => github.com/fork/two
replace github.com/ok/one v1.0.0 github.com/fork/one v1.0.0
