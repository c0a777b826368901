module example.com/hello

go 1.19

require example.com/lib v1.2.3

require example.com/util v0.4.1

replace example.com/lib => ../lib
