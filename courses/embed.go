// Package courses embeds the shipped courses, so the binary alone is a working instance.
// The server reads CAIRN_COURSES_DIR from disk instead when that folder exists.
package courses

import "embed"

// FS holds every course folder (and this package's own files, which the loader ignores).
//
//go:embed *
var FS embed.FS
