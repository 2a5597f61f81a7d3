package crypt

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateMasterKeyCreates0600AndReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	m1, err := LoadOrCreateMasterKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %04o, want 0600", perm)
	}
	if fi.Size() != KeySize {
		t.Errorf("key file size = %d, want %d", fi.Size(), KeySize)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key file (temp file left behind?)", len(entries))
	}
	m2, err := LoadOrCreateMasterKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if m1.ID() != m2.ID() {
		t.Fatalf("reload gave key %s, first load %s", m2.ID(), m1.ID())
	}
	// A key wrapped by the first instance opens with the reloaded one.
	dk, wk, err := m1.NewDataKey([]byte("obj"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := m2.Unwrap(wk, []byte("obj"))
	if err != nil || got.k != dk.k {
		t.Fatalf("Unwrap with reloaded key: %v", err)
	}
}

func TestLoadOrCreateMasterKeyConcurrentFirstStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			m, err := LoadOrCreateMasterKey(path)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = m.ID()
		})
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("concurrent first starts got different keys: %v", ids)
		}
	}
}

func TestLoadMasterKeyRefusesBadFiles(t *testing.T) {
	key := bytes.Repeat([]byte{0xA5}, KeySize)
	tests := []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    error
		msg     string
	}{
		{"world readable", key, 0o644, ErrKeyFilePermissions, "chmod 600"},
		{"group readable", key, 0o640, ErrKeyFilePermissions, "0640"},
		{"group writable", key, 0o620, ErrKeyFilePermissions, "0620"},
		{"empty", nil, 0o600, ErrInvalidKey, "holds 0 bytes"},
		{"short", key[:31], 0o600, ErrInvalidKey, "holds 31 bytes"},
		{"long", append(key, 0), 0o600, ErrInvalidKey, "more than 32 bytes"},
		{"base64 text", []byte(base64.StdEncoding.EncodeToString(key) + "\n"), 0o600, ErrInvalidKey, "IMGCDN_MASTER_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			m, err := LoadOrCreateMasterKey(path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if m != nil {
				t.Fatal("returned a key along with the error")
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), path) {
				t.Errorf("message %q should name the file and say %q", err, tt.msg)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, tt.content) {
				t.Error("the refused file was modified")
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := LoadOrCreateMasterKey(dir); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("err = %v, want ErrInvalidKey", err)
		}
	})
}

func TestMasterKeyFromBase64(t *testing.T) {
	raw := bytes.Repeat([]byte{0xFB, 0xFF, 0x3E}, 11)[:KeySize] // exercises + / vs - _
	want, err := MasterKeyFromBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		base64.StdEncoding.EncodeToString(raw),
		base64.RawStdEncoding.EncodeToString(raw),
		base64.URLEncoding.EncodeToString(raw),
		base64.RawURLEncoding.EncodeToString(raw),
		"  " + base64.StdEncoding.EncodeToString(raw) + "\n",
	} {
		m, err := MasterKeyFromBase64(s)
		if err != nil {
			t.Fatalf("MasterKeyFromBase64(%q): %v", s, err)
		}
		if m.ID() != want.ID() {
			t.Errorf("MasterKeyFromBase64(%q) id %s, want %s", s, m.ID(), want.ID())
		}
	}
	secret := base64.StdEncoding.EncodeToString(raw[:31])
	for _, s := range []string{"", "not base64!", secret, base64.StdEncoding.EncodeToString(append(raw, 1))} {
		_, err := MasterKeyFromBase64(s)
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("MasterKeyFromBase64(%q) err = %v, want ErrInvalidKey", s, err)
		}
		if s != "" && err != nil && strings.Contains(err.Error(), s) {
			t.Errorf("error %q echoes the key", err)
		}
	}
}

func TestKeysNeverPrintMaterial(t *testing.T) {
	raw := bytes.Repeat([]byte{0xAB}, KeySize)
	m, _ := MasterKeyFromBytes(raw)
	d, _ := DataKeyFromBytes(raw)
	for _, s := range []string{
		fmt.Sprint(m), fmt.Sprintf("%v %+v %#v %s", m, m, m, m),
		fmt.Sprint(d), fmt.Sprintf("%v %+v %#v %s", d, d, d, d),
	} {
		if strings.Contains(strings.ToLower(s), "abab") || strings.Contains(s, "171") {
			t.Errorf("formatted key leaks material: %q", s)
		}
	}
	if len(m.ID()) != 16 {
		t.Errorf("ID() = %q, want 16 hex digits", m.ID())
	}
}

func TestDataKeyFromBytesLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		if _, err := DataKeyFromBytes(make([]byte, n)); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("DataKeyFromBytes(%d bytes) err = %v, want ErrInvalidKey", n, err)
		}
	}
	if _, err := MasterKeyFromBytes(make([]byte, 16)); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("MasterKeyFromBytes(16 bytes) err = %v, want ErrInvalidKey", err)
	}
}
