package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// ErrPackageVersionExists: that version of the course was imported and has left draft;
// a changed course needs a new version number.
var ErrPackageVersionExists = errors.New("this version of the course is already imported")

// CoursesChannelBase names the NOTIFY channel on which a change of course packages reaches
// every instance (ChannelName adds the schema's digest outside "public").
const CoursesChannelBase = "cairn_courses"

// CoursesChannel is the channel name for this database's schema.
func (s *Store) CoursesChannel(ctx context.Context) (string, error) {
	return database.ChannelName(ctx, s.db, CoursesChannelBase)
}

// coursesChanged tells every instance, in tx, that the published packages may have changed.
// On SQLite there is one instance: the caller reloads itself.
func (s *Store) coursesChanged(ctx context.Context, tx bun.Tx) error {
	ch, err := s.CoursesChannel(ctx)
	if err != nil {
		return err
	}
	_, err = database.Notify(ctx, tx, ch, []byte("reload"))
	return err
}

// ImportPackage stores p (course id, version, checksum, bytes) as a draft. A draft of the
// same version is replaced, so a fixed package can be sent again before it is published;
// a version that has been published (or unpublished, or archived) is never overwritten.
func (s *Store) ImportPackage(ctx context.Context, p *model.CoursePackage) error {
	now := s.Now()
	p.Size = int64(len(p.Package))
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old := new(model.CoursePackage)
		err := tx.NewSelect().Model(old).ExcludeColumn("package").
			Where("course_id = ? AND version = ?", p.CourseID, p.Version).Scan(ctx)
		switch {
		case err == nil && old.Status != model.PackageDraft:
			return ErrPackageVersionExists
		case err == nil:
			p.ID, p.Status, p.CreatedAt, p.UpdatedAt = old.ID, model.PackageDraft, old.CreatedAt, now
			if _, err := tx.NewUpdate().Model(p).Column("checksum", "size", "package", "updated_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("replace draft %s %s: %w", p.CourseID, p.Version, err)
			}
		case errors.Is(err, errNoRowsSQL):
			p.Status, p.CreatedAt, p.UpdatedAt, p.PublishedAt = model.PackageDraft, now, now, nil
			if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
				if database.IsUniqueViolation(err) {
					return ErrPackageVersionExists
				}
				return fmt.Errorf("store package %s %s: %w", p.CourseID, p.Version, err)
			}
		default:
			return err
		}
		return s.coursesChanged(ctx, tx)
	})
}

// CoursePackages lists every stored package, without its bytes, by course then newest first.
func (s *Store) CoursePackages(ctx context.Context) ([]model.CoursePackage, error) {
	var out []model.CoursePackage
	err := s.db.NewSelect().Model(&out).ExcludeColumn("package").Order("course_id", "id DESC").Scan(ctx)
	return out, err
}

// PublishedPackages are the packages every instance serves, with their bytes.
func (s *Store) PublishedPackages(ctx context.Context) ([]model.CoursePackage, error) {
	var out []model.CoursePackage
	err := s.db.NewSelect().Model(&out).Where("status = ?", model.PackagePublished).Order("course_id").Scan(ctx)
	return out, err
}

// PublishedSignature sums up which packages are published: it changes whenever the
// catalogue built from them would. Instances compare it now and then, in case a
// notification was lost (or, on SQLite, to see what the command line changed).
func (s *Store) PublishedSignature(ctx context.Context) (string, error) {
	var rows []model.CoursePackage
	err := s.db.NewSelect().Model(&rows).Column("id", "checksum").Where("status = ?", model.PackagePublished).Order("id").Scan(ctx)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, r := range rows {
		fmt.Fprintf(h, "%d:%s;", r.ID, r.Checksum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CoursePackage returns one package with its bytes.
func (s *Store) CoursePackage(ctx context.Context, id int64) (*model.CoursePackage, error) {
	p := new(model.CoursePackage)
	if err := s.db.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// CoursePackageVersion finds a course's package: the given version, or with version "" the
// published one if any, else the newest.
func (s *Store) CoursePackageVersion(ctx context.Context, courseID, version string) (*model.CoursePackage, error) {
	p := new(model.CoursePackage)
	q := s.db.NewSelect().Model(p).Where("course_id = ?", courseID)
	if version != "" {
		q.Where("version = ?", version)
	} else {
		q.OrderExpr("CASE WHEN status = ? THEN 0 ELSE 1 END", model.PackagePublished).Order("id DESC").Limit(1)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// PublishPackage serves package id; the version of the same course served until now, if
// any, becomes unpublished (one published version per course).
func (s *Store) PublishPackage(ctx context.Context, id int64) error {
	now := s.Now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p := new(model.CoursePackage)
		if err := tx.NewSelect().Model(p).ExcludeColumn("package").Where("id = ?", id).Scan(ctx); err != nil {
			return notFound(err)
		}
		if err := database.LockRowsForUpdate(ctx, tx, "course_packages", "course_id = ?", p.CourseID); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*model.CoursePackage)(nil)).
			Set("status = ?", model.PackageUnpublished).Set("updated_at = ?", now).
			Where("course_id = ? AND status = ? AND id <> ?", p.CourseID, model.PackagePublished, id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*model.CoursePackage)(nil)).
			Set("status = ?", model.PackagePublished).Set("updated_at = ?", now).Set("published_at = ?", now).
			Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return s.coursesChanged(ctx, tx)
	})
}

// UnpublishPackage stops serving package id (nothing happens to a package not published).
func (s *Store) UnpublishPackage(ctx context.Context, id int64) error {
	return s.setPackageStatus(ctx, "id = ? AND status = ?", []any{id, model.PackagePublished}, model.PackageUnpublished, id)
}

// ArchivePackage sets package id aside (and stops serving it if it was published).
func (s *Store) ArchivePackage(ctx context.Context, id int64) error {
	return s.setPackageStatus(ctx, "id = ?", []any{id}, model.PackageArchived, id)
}

// ArchiveCourse sets every package of a course aside: the course is no longer served from
// the database (a shipped or folder course of the same id is served again).
func (s *Store) ArchiveCourse(ctx context.Context, courseID string) (int, error) {
	var n int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*model.CoursePackage)(nil)).
			Set("status = ?", model.PackageArchived).Set("updated_at = ?", s.Now()).
			Where("course_id = ? AND status <> ?", courseID, model.PackageArchived).Exec(ctx)
		if err != nil {
			return err
		}
		rows, _ := res.RowsAffected()
		n = int(rows)
		return s.coursesChanged(ctx, tx)
	})
	return n, err
}

func (s *Store) setPackageStatus(ctx context.Context, where string, args []any, status string, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		exists, err := tx.NewSelect().Model((*model.CoursePackage)(nil)).Where("id = ?", id).Exists(ctx)
		if err != nil {
			return err
		}
		if !exists {
			return ErrNotFound
		}
		if _, err := tx.NewUpdate().Model((*model.CoursePackage)(nil)).
			Set("status = ?", status).Set("updated_at = ?", s.Now()).
			Where(where, args...).Exec(ctx); err != nil {
			return err
		}
		return s.coursesChanged(ctx, tx)
	})
}
