// Package assets embeds the HTML templates, the static files (CSS, images) and the site's
// own Markdown pages (pages/, such as the digital first-aid page) so that the binary alone
// serves a complete instance.
package assets

import "embed"

// FS holds templates/, static/ and pages/.
//
//go:embed templates static pages
var FS embed.FS
