// Package assets embeds the HTML templates and the static files (CSS, images) so that the
// binary alone serves a complete instance.
package assets

import "embed"

// FS holds templates/ and static/.
//
//go:embed templates static
var FS embed.FS
