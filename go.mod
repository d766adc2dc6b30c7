module paiban

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/go-pdf/fpdf v0.9.0
	github.com/go-text/typesetting v0.3.5
	github.com/yuin/goldmark v1.8.7
	golang.org/x/image v0.48.0
	golang.org/x/text v0.44.0
)

require (
	github.com/disintegration/imaging v1.6.2
	github.com/phpdave11/gofpdi v1.0.14-0.20211212211723-1f10f9844311 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/signintech/gopdf v0.37.0
)
