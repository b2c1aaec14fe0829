// Package i18n embeds the UI message files, one per language: active.<lang>.toml in the
// go-i18n format. English is the source; every other file must hold every English id.
package i18n

import "embed"

// Files holds active.*.toml.
//
//go:embed active.*.toml
var Files embed.FS
