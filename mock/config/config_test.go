package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var tehran = time.FixedZone("Asia/Tehran", 3*3600+1800)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestDefaults(t *testing.T) {
	cfg, rest, err := Load(nil, env(nil), tehran, io.Discard)
	if err != nil || len(rest) != 0 {
		t.Fatal(err, rest)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.Clock != "real" || !cfg.ClockStart.IsZero() || cfg.JournalSize != 1000 || cfg.Strict || cfg.WebhookTimeout != 5*time.Second {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestPrecedenceFlagEnvFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sandbank.yaml")
	os.WriteFile(file, []byte("addr: 127.0.0.1:7000\nseed: 5\njournal_size: 10\nproviders:\n  kavenegar:\n    credit: 42\n"), 0o644)
	cfg, _, err := Load([]string{"--config", file, "--seed", "9"}, env(map[string]string{"SANDBANK_SEED": "7", "SANDBANK_JOURNAL_SIZE": "20", "SANDBANK_STRICT": "true", "SANDBANK_WEBHOOK_TIMEOUT": "750ms"}), tehran, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:7000" || cfg.Seed != 9 || cfg.JournalSize != 20 || !cfg.Strict || cfg.WebhookTimeout != 750*time.Millisecond {
		t.Fatalf("precedence: %+v", cfg)
	}
	var kv struct{ Credit int }
	if err := cfg.Section("kavenegar", &kv); err != nil || kv.Credit != 42 {
		t.Fatalf("section: %v %+v", err, kv)
	}
	if err := cfg.Section("finnotech", &kv); err != nil {
		t.Fatalf("missing section must be no error: %v", err)
	}
}

func TestClockStart(t *testing.T) {
	for _, v := range []string{"2026-11-22T10:00:00+03:30", "2026-11-22 10:00:00", "2026-11-22T10:00"} {
		cfg, _, err := Load([]string{"--clock", v}, env(nil), tehran, io.Discard)
		if err != nil {
			t.Fatal(v, err)
		}
		if want := time.Date(2026, 11, 22, 10, 0, 0, 0, tehran); !cfg.ClockStart.Equal(want) {
			t.Fatalf("%s → %v", v, cfg.ClockStart)
		}
	}
}

func TestBadValuesAreErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("adr: typo\n"), 0o644)
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--addr", "nope"}, nil, "addr"},
		{[]string{"--clock", "yesterday"}, nil, "clock"},
		{[]string{"--journal-size", "-1"}, nil, "journal-size"},
		{[]string{"--log-level", "loud"}, nil, "log-level"},
		{[]string{"--scenarios", filepath.Join(dir, "missing")}, nil, "scenarios"},
		{[]string{"--seed", "x"}, nil, "seed"},
		{nil, map[string]string{"SANDBANK_SEED": "x"}, "SANDBANK_SEED"},
		{nil, map[string]string{"SANDBANK_STRICT": "maybe"}, "SANDBANK_STRICT"},
		{nil, map[string]string{"SANDBANK_FAULT_TIMEOUT": "long"}, "SANDBANK_FAULT_TIMEOUT"},
		{nil, map[string]string{"SANDBANK_WEBHOOK_TIMEOUT": "long"}, "SANDBANK_WEBHOOK_TIMEOUT"},
		{[]string{"--webhook-timeout", "0s"}, nil, "webhook-timeout"},
		{[]string{"--config", bad}, nil, "adr"},
		{[]string{"--clock", "3000-01-01"}, nil, "clock"},
		{[]string{"--clock", "1899-12-31"}, nil, "clock"},
		{[]string{"--journal-bytes", "0"}, nil, "journal-bytes"},
		{[]string{"--admin-body-limit", "-1"}, nil, "admin-body-limit"},
		{[]string{"--read-timeout", "0s"}, nil, "read-timeout"},
		{[]string{"--max-conns", "-1"}, nil, "max-conns"},
		{nil, map[string]string{"SANDBANK_IDLE_TIMEOUT": "soon"}, "SANDBANK_IDLE_TIMEOUT"},
		{nil, map[string]string{"SANDBANK_MAX_CONNS": "many"}, "SANDBANK_MAX_CONNS"},
		{[]string{"--config", filepath.Join(dir, "none.yaml")}, nil, "none.yaml"},
	}
	for _, c := range cases {
		_, _, err := Load(c.args, env(c.env), tehran, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: err %v, want mention of %q", c.args, c.env, err, c.want)
		}
	}
}

// Issue 16 items 4–6: the limits and timeouts are flags, SANDBANK_* variables and
// file keys like every other setting, with bounded defaults.
func TestLimitsAndTimeouts(t *testing.T) {
	cfg, _, err := Load(nil, env(nil), tehran, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.JournalBytes != 32<<20 || cfg.AdminBodyLimit != 64<<20 || cfg.ReadTimeout != 30*time.Second ||
		cfg.WriteTimeout != time.Minute || cfg.IdleTimeout != 2*time.Minute || cfg.MaxConns != 1024 {
		t.Fatalf("defaults: %+v", cfg)
	}
	file := filepath.Join(t.TempDir(), "sandbank.yaml")
	os.WriteFile(file, []byte("journal_bytes: 1000\nadmin_body_limit: 2000\nread_timeout: 3s\nwrite_timeout: 4s\nidle_timeout: 5s\nmax_conns: 6\n"), 0o644)
	cfg, _, err = Load([]string{"--config", file, "--write-timeout", "40s"},
		env(map[string]string{"SANDBANK_IDLE_TIMEOUT": "50s", "SANDBANK_MAX_CONNS": "0"}), tehran, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.JournalBytes != 1000 || cfg.AdminBodyLimit != 2000 || cfg.ReadTimeout != 3*time.Second ||
		cfg.WriteTimeout != 40*time.Second || cfg.IdleTimeout != 50*time.Second || cfg.MaxConns != 0 {
		t.Fatalf("file, env and flag: %+v", cfg)
	}
}
