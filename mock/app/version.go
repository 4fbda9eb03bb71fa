package app

import (
	"runtime/debug"
	"strings"
)

// Version is the one version string sandbank reports: `sandbank version`,
// `sandbank --version`, /_sandbox/health, /metrics and the start-up log line.
//
// `make build` and the Docker image set it with
// -ldflags "-X github.com/sandbank-dev/sandbank/mock/app.Version=$(git describe ...)"
// (the Makefile passes the same string to `docker build` as VERSION), so the binary
// and the image agree. Left empty, as by `go install ...@v1.2.3` or a plain
// `go build`, it is read from the module's build information at start-up.
var Version = ""

func init() { Version = resolveVersion(Version, debug.ReadBuildInfo) }

// resolveVersion picks, in order: the string linked in; the module version `go
// install module@version` records; the VCS revision `go build` stamps in a checkout
// (12 hex digits, "-dirty" when the tree had changes); "dev".
func resolveVersion(linked string, info func() (*debug.BuildInfo, bool)) string {
	if v := strings.TrimSpace(linked); v != "" {
		return v
	}
	bi, ok := info()
	if !ok || bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
