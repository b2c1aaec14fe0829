package signing

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"aead.dev/minisign"
)

// Where the instance key lives, inside the data directory. The secret key is stored without a
// password (the server signs unattended); the folder and the file are the owner's only, and
// the key is never put in the database, so a database backup or dump does not carry it.
const (
	KeyDir        = "signing"
	SecretKeyFile = "cairn.key"
	PublicKeyFile = "cairn.pub"
)

// Key is the instance's signing key.
type Key struct {
	Public  PublicKey
	private minisign.PrivateKey
}

// KeyPaths returns the secret and public key files of the instance whose data directory is
// dataDir.
func KeyPaths(dataDir string) (secret, public string) {
	dir := filepath.Join(dataDir, KeyDir)
	return filepath.Join(dir, SecretKeyFile), filepath.Join(dir, PublicKeyFile)
}

// LoadKey reads the instance key from dataDir; it returns an error wrapping fs.ErrNotExist
// when the instance has none yet.
func LoadKey(dataDir string) (*Key, error) {
	secret, _ := KeyPaths(dataDir)
	info, err := os.Stat(secret)
	if err != nil {
		return nil, err
	}
	// Like ssh: a secret key others can read may have been copied; refuse rather than sign
	// with it as if nothing had happened.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("signing key %s can be read by other users (mode %04o): make it the owner's only (chmod 600), and consider rotating it", secret, info.Mode().Perm())
	}
	text, err := os.ReadFile(secret)
	if err != nil {
		return nil, err
	}
	var priv minisign.PrivateKey
	if err := priv.UnmarshalText(text); err != nil {
		return nil, fmt.Errorf("signing key %s: %w", secret, err)
	}
	pub, ok := priv.Public().(minisign.PublicKey)
	if !ok {
		return nil, fmt.Errorf("signing key %s: no public key", secret)
	}
	return &Key{Public: PublicKey{Label: "this instance", Key: pub}, private: priv}, nil
}

// LoadOrCreateKey reads the instance key from dataDir, creating it on first use: a new
// folder signing/ (mode 0700) with the secret key (0600) and the public key next to it.
// Two processes creating it at once (the server and a command) end up with the same key:
// the secret key file appears whole or not at all, and the first one written wins.
func LoadOrCreateKey(dataDir string) (*Key, error) {
	k, err := LoadKey(dataDir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	secret, public := KeyPaths(dataDir)
	dir := filepath.Dir(secret)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	// MkdirAll leaves an existing folder's mode alone: the data directory's mode (often
	// 0755) must not be the key folder's.
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	text, err := priv.MarshalText()
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".cairn.key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(append(text, '\n')); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	// A hard link fails when the name exists: unlike a rename, it never replaces a key
	// another process has just created.
	if err := os.Link(tmp.Name(), secret); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	k, err = LoadKey(dataDir)
	if err != nil {
		return nil, err
	}
	if !k.Public.Key.Equal(pub) {
		return k, nil // another process made it first; its public key file is its own business
	}
	if err := os.WriteFile(public, k.Public.File(), 0o644); err != nil { //nolint:gosec // a public key
		return nil, fmt.Errorf("store public key: %w", err)
	}
	return k, nil
}
