// Command cairn is the whole Cairn learning platform in one binary.
package main

import (
	"os"

	"github.com/cairn-lms/cairn/app/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
