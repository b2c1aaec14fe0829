package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func pkg(course, version, body string) *model.CoursePackage {
	return &model.CoursePackage{CourseID: course, Version: version, Checksum: "sum-" + body, Package: []byte(body)}
}

func TestCoursePackagesKeepOnePublishedVersionAndNeverOverwriteAPublishedOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		v1 := pkg("c", "1", "one")
		if err := st.ImportPackage(ctx, v1); err != nil || v1.Status != model.PackageDraft {
			t.Fatalf("import: %v %s", err, v1.Status)
		}
		// A draft is replaced by a fixed package of the same version.
		fixed := pkg("c", "1", "one-fixed")
		if err := st.ImportPackage(ctx, fixed); err != nil || fixed.ID != v1.ID {
			t.Fatalf("re-import of a draft: %v, id %d want %d", err, fixed.ID, v1.ID)
		}
		sig0, _ := st.PublishedSignature(ctx)
		if err := st.PublishPackage(ctx, v1.ID); err != nil {
			t.Fatal(err)
		}
		sig1, _ := st.PublishedSignature(ctx)
		if sig1 == sig0 {
			t.Fatal("publishing did not change the signature")
		}
		if err := st.ImportPackage(ctx, pkg("c", "1", "sneaky")); !errors.Is(err, store.ErrPackageVersionExists) {
			t.Fatalf("a published version was overwritten: %v", err)
		}
		v2 := pkg("c", "2", "two")
		if err := st.ImportPackage(ctx, v2); err != nil {
			t.Fatal(err)
		}
		if err := st.PublishPackage(ctx, v2.ID); err != nil {
			t.Fatal(err)
		}
		pub, err := st.PublishedPackages(ctx)
		if err != nil || len(pub) != 1 || pub[0].ID != v2.ID || !bytes.Equal(pub[0].Package, []byte("two")) {
			t.Fatalf("published: %+v %v", pub, err)
		}
		got, err := st.CoursePackage(ctx, v1.ID)
		if err != nil || got.Status != model.PackageUnpublished || string(got.Package) != "one-fixed" {
			t.Fatalf("the replaced version: %+v %v", got, err)
		}
		if err := st.UnpublishPackage(ctx, v2.ID); err != nil {
			t.Fatal(err)
		}
		if pub, _ := st.PublishedPackages(ctx); len(pub) != 0 {
			t.Fatalf("still published: %+v", pub)
		}
		if sig, _ := st.PublishedSignature(ctx); sig != sig0 {
			t.Fatal("nothing published, but the signature differs from the empty one")
		}
		if n, err := st.ArchiveCourse(ctx, "c"); err != nil || n != 2 {
			t.Fatalf("archived %d: %v", n, err)
		}
		list, err := st.CoursePackages(ctx)
		if err != nil || len(list) != 2 || list[0].Package != nil || list[0].Status != model.PackageArchived {
			t.Fatalf("list: %+v %v", list, err)
		}
		if err := st.PublishPackage(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("publishing nothing: %v", err)
		}
		if err := st.ArchivePackage(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("archiving nothing: %v", err)
		}
		latest, err := st.CoursePackageVersion(ctx, "c", "")
		if err != nil || latest.ID != v2.ID {
			t.Fatalf("newest version: %+v %v", latest, err)
		}
	})
}
