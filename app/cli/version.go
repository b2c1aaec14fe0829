package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time: go build -ldflags "-X github.com/cairn-lms/cairn/app/cli.Version=v1.2.3".
var Version = "dev"

func runVersion(env Env) error {
	fmt.Fprintf(env.Stdout, "cairn %s\n", Version)
	fmt.Fprintf(env.Stdout, "go %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision", "vcs.time", "vcs.modified", "CGO_ENABLED":
				fmt.Fprintf(env.Stdout, "%s %s\n", s.Key, s.Value)
			}
		}
	}
	return nil
}
