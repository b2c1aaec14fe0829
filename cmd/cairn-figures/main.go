// Command cairn-figures renders the lesson figures in docs/figures to the PNGs the courses
// show. It is a contributor's tool, kept out of the cairn binary so the server never needs
// a browser.
package main

import (
	"os"

	"github.com/cairn-lms/cairn/app/figures"
)

func main() {
	os.Exit(figures.Main(os.Args[1:], os.Stdout, os.Stderr))
}
