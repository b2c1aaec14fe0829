package cli

import (
	"io"
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/cairn-lms/cairn/app/config"
)

func TestServesDefaultSoftMemoryLimitKeepsTenThousandParticipantsUnder300MB(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	limitMemory(config.Defaults(), Env{Getenv: func(string) string { return "" }}, log)
	got := debug.SetMemoryLimit(-1)
	// The target is a peak RSS of 300 MB at 10,000 participants: a limit above it
	// lets the collector leave the heap to grow past it (docs/BENCHMARKS.md, 2026-12-07).
	if got > 300_000_000 {
		t.Fatalf("default soft limit %d MiB, above the 300 MB target", got>>20)
	}
	hashing := int64(config.Defaults().HashConcurrency) * int64(config.Defaults().Argon2Memory) * 1024
	if got-hashing < 128<<20 {
		t.Fatalf("only %d MiB above the hashing budget: the collector would run continuously at 10,000 connections", (got-hashing)>>20)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	limitMemory(config.Defaults(), Env{Getenv: func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}}, log)
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Fatal("an operator's GOMEMLIMIT was overridden")
	}
}

func TestServeSchedulesOnAtLeastTwoProcessorsUnlessTheOperatorChose(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	noEnv := Env{Getenv: func(string) string { return "" }}

	scheduleOnTwo(noEnv, log) // as on a machine with one CPU
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Fatalf("GOMAXPROCS %d on one CPU, want 2", got)
	}

	runtime.GOMAXPROCS(4)
	scheduleOnTwo(noEnv, log)
	if got := runtime.GOMAXPROCS(0); got != 4 {
		t.Fatalf("GOMAXPROCS %d with four CPUs, want them left at 4", got)
	}

	runtime.GOMAXPROCS(1)
	scheduleOnTwo(Env{Getenv: func(k string) string {
		if k == "GOMAXPROCS" {
			return "1"
		}
		return ""
	}}, log)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("an operator's GOMAXPROCS=1 was overridden (%d)", got)
	}
}
