package model

import "time"

// Statuses of a course package. Only a published one is served; at most one version of a
// course is published at a time.
const (
	PackageDraft       = "draft"       // imported and checked, not served yet
	PackagePublished   = "published"   // served in the catalogue
	PackageUnpublished = "unpublished" // taken down, or replaced by another version
	PackageArchived    = "archived"    // kept, listed apart, may still be published again
)

// CoursePackage is one imported version of a course, as a checked, canonical zip.
type CoursePackage struct {
	ID          int64      `bun:"id,pk,autoincrement"`
	CourseID    string     `bun:"course_id"`
	Version     string     `bun:"version"`
	Status      string     `bun:"status"`
	Checksum    string     `bun:"checksum"`
	Size        int64      `bun:"size"`
	Package     []byte     `bun:"package"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
	PublishedAt *time.Time `bun:"published_at"`
}
