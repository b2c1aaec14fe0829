package coursepkg_test

import (
	"io/fs"
	"testing/fstest"
)

func fstestFS(files map[string][]byte) fs.FS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: v}
	}
	return m
}
