// Package config turns flags, SANDBANK_* environment variables and an optional YAML
// file into one Config. Precedence: flag, then environment, then file, then default,
// so a CI job can pin one value without rewriting the file.
package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/clock"
)

// Config is everything the server is started with.
type Config struct {
	Addr         string        `yaml:"addr"`
	Seed         int64         `yaml:"seed"`
	Scenarios    string        `yaml:"scenarios"`     // directory of scenario files, reloaded on change
	Fixtures     string        `yaml:"fixtures"`      // directory that replaces the shipped fixtures
	Clock        string        `yaml:"clock"`         // "real", or a start time to freeze at
	JournalSize  int           `yaml:"journal_size"`  // 0 turns the journal off
	Strict       bool          `yaml:"strict"`        // only credentials declared in Providers
	LogLevel     string        `yaml:"log_level"`     // debug, info, warn, error
	BodyLimit    int64         `yaml:"body_limit"`    // bytes a request body may have
	FaultTimeout time.Duration `yaml:"fault_timeout"` // how long a timeout fault holds the connection
	// WebhookTimeout bounds one attempt to deliver a provider's webhook.
	WebhookTimeout time.Duration `yaml:"webhook_timeout"`
	// Retention drops finished records (messages, transfers, charges) this long, in
	// virtual time, after their creation; 0 keeps them all.
	Retention time.Duration `yaml:"retention"`
	TLSAddr   string        `yaml:"tls_addr"` // optional HTTPS listener, e.g. 127.0.0.1:8443
	TLSDir    string        `yaml:"tls_dir"`  // where the local CA is kept
	// DataDir keeps the state on disk so it outlives the process; "" keeps it
	// in memory only, which is what a CI run that wants a clean start needs.
	DataDir string `yaml:"data_dir"`

	JournalBytes   int64         `yaml:"journal_bytes"`    // bytes the journal keeps, bodies included
	AdminBodyLimit int64         `yaml:"admin_body_limit"` // bytes a /_sandbox request body may have
	ReadTimeout    time.Duration `yaml:"read_timeout"`     // to read a whole request, body included
	WriteTimeout   time.Duration `yaml:"write_timeout"`    // to write a reply (faults and latency extend it)
	IdleTimeout    time.Duration `yaml:"idle_timeout"`     // a keep-alive connection may wait for its next request
	MaxConns       int           `yaml:"max_conns"`        // connections served at once per listener; 0 = no cap

	// Providers holds each provider's own section, decoded by that provider.
	Providers map[string]yaml.Node `yaml:"providers"`

	// ClockStart is Clock parsed: zero means real time.
	ClockStart time.Time `yaml:"-"`
	File       string    `yaml:"-"`
}

// Default is the configuration with nothing said.
func Default() Config {
	return Config{
		Addr:         "127.0.0.1:8080",
		Seed:         1,
		Clock:        "real",
		JournalSize:  1000,
		LogLevel:     "info",
		BodyLimit:    1 << 20,
		FaultTimeout: 30 * time.Second,
		// A few seconds: a receiver on the developer's machine answers in
		// milliseconds, and a hung one should show as failed while the test runs.
		WebhookTimeout: 5 * time.Second,

		JournalBytes:   32 << 20,
		AdminBodyLimit: 64 << 20,
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		MaxConns:       1024,
	}
}

// Level is LogLevel as a slog level; Load has already checked it.
func (c Config) Level() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.LogLevel))
	return l
}

// Section decodes one provider's section into into; a missing section leaves into
// as it was.
func (c Config) Section(provider string, into any) error {
	n, ok := c.Providers[provider]
	if !ok {
		return nil
	}
	if err := n.Decode(into); err != nil {
		return fmt.Errorf("config %s: providers.%s: %w", c.File, provider, err)
	}
	return nil
}

// TimeLayouts are the forms --clock accepts besides "real".
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"}

// ParseTime reads a time in RFC 3339, or a local form taken as Tehran time.
func ParseTime(s string, tehran *time.Location) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, tehran); err == nil {
			return t.In(tehran), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (want RFC 3339 like 2026-11-22T10:00:00+03:30, or 2026-11-22 10:00 in Tehran time)", s)
}

// Load reads the configuration. args excludes the program name and subcommand;
// the returned rest are the positional arguments.
func Load(args []string, getenv func(string) string, tehran *time.Location, stderr io.Writer) (Config, []string, error) {
	cfg := Default()
	fs := flag.NewFlagSet("sandbank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// -h prints the flags alone; the command line tool puts its own usage around them.
	fs.Usage = func() { fs.PrintDefaults() }
	var (
		file = fs.String("config", "", "YAML config file (env SANDBANK_CONFIG)")
		f    = struct {
			addr, scenarios, fixtures, clock, logLevel *string
			tlsAddr, tlsDir, dataDir                   *string
			seed, bodyLimit, journal                   *int64
			journalBytes, adminBodyLimit, maxConns     *int64
			strict                                     *bool
			faultTimeout, webhookTimeout, retention    *time.Duration
			readTimeout, writeTimeout, idleTimeout     *time.Duration
		}{
			addr:           fs.String("addr", cfg.Addr, "listen address (env SANDBANK_ADDR)"),
			seed:           fs.Int64("seed", cfg.Seed, "seed for generated data (env SANDBANK_SEED)"),
			scenarios:      fs.String("scenarios", "", "directory of scenario files, reloaded on change (env SANDBANK_SCENARIOS)"),
			fixtures:       fs.String("fixtures", "", "directory replacing the shipped fixtures (env SANDBANK_FIXTURES)"),
			clock:          fs.String("clock", cfg.Clock, `"real", or a start time to freeze the virtual clock at (env SANDBANK_CLOCK)`),
			journal:        fs.Int64("journal-size", int64(cfg.JournalSize), "requests kept in the journal, 0 = off (env SANDBANK_JOURNAL_SIZE)"),
			strict:         fs.Bool("strict", false, "accept only credentials declared in the config file (env SANDBANK_STRICT)"),
			logLevel:       fs.String("log-level", cfg.LogLevel, "debug, info, warn or error (env SANDBANK_LOG_LEVEL)"),
			bodyLimit:      fs.Int64("body-limit", cfg.BodyLimit, "largest request body in bytes (env SANDBANK_BODY_LIMIT)"),
			tlsAddr:        fs.String("tls-addr", "", "also serve HTTPS here, with certificates from a local CA (env SANDBANK_TLS_ADDR)"),
			tlsDir:         fs.String("tls-dir", "", "where the local CA is kept; default <user config dir>/sandbank/tls (env SANDBANK_TLS_DIR)"),
			dataDir:        fs.String("data-dir", "", "keep state in this directory so it survives a restart; default off, state dies with the process (env SANDBANK_DATA_DIR)"),
			faultTimeout:   fs.Duration("fault-timeout", cfg.FaultTimeout, "how long a timeout fault holds the connection (env SANDBANK_FAULT_TIMEOUT)"),
			webhookTimeout: fs.Duration("webhook-timeout", cfg.WebhookTimeout, "how long one webhook delivery attempt may take (env SANDBANK_WEBHOOK_TIMEOUT)"),
			retention:      fs.Duration("retention", 0, "drop finished records (delivered messages, settled transfers and charges, used OTP sessions; see README) this long after their creation, in virtual time; 0 = keep all (env SANDBANK_RETENTION)"),

			journalBytes:   fs.Int64("journal-bytes", cfg.JournalBytes, "bytes the journal keeps, bodies included (env SANDBANK_JOURNAL_BYTES)"),
			adminBodyLimit: fs.Int64("admin-body-limit", cfg.AdminBodyLimit, "largest /_sandbox request body in bytes (env SANDBANK_ADMIN_BODY_LIMIT)"),
			maxConns:       fs.Int64("max-conns", int64(cfg.MaxConns), "connections served at once per listener, 0 = no cap (env SANDBANK_MAX_CONNS)"),
			readTimeout:    fs.Duration("read-timeout", cfg.ReadTimeout, "time to read a whole request, body included (env SANDBANK_READ_TIMEOUT)"),
			writeTimeout:   fs.Duration("write-timeout", cfg.WriteTimeout, "time to write a reply; timeout faults and latency extend it (env SANDBANK_WRITE_TIMEOUT)"),
			idleTimeout:    fs.Duration("idle-timeout", cfg.IdleTimeout, "how long a keep-alive connection may wait for its next request (env SANDBANK_IDLE_TIMEOUT)"),
		}
	)
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	path := *file
	if !set["config"] {
		path = getenv("SANDBANK_CONFIG")
	}
	if path != "" {
		if err := readFile(path, &cfg); err != nil {
			return cfg, nil, err
		}
	}

	// Environment over file, flag over environment.
	src := &sources{set: set, getenv: getenv}
	text := func(v string) (string, error) { return v, nil }
	integer := func(v string) (int64, error) { return strconv.ParseInt(v, 10, 64) }
	overlay(src, "addr", "SANDBANK_ADDR", f.addr, &cfg.Addr, text, "")
	overlay(src, "scenarios", "SANDBANK_SCENARIOS", f.scenarios, &cfg.Scenarios, text, "")
	overlay(src, "fixtures", "SANDBANK_FIXTURES", f.fixtures, &cfg.Fixtures, text, "")
	overlay(src, "clock", "SANDBANK_CLOCK", f.clock, &cfg.Clock, text, "")
	overlay(src, "log-level", "SANDBANK_LOG_LEVEL", f.logLevel, &cfg.LogLevel, text, "")
	overlay(src, "tls-addr", "SANDBANK_TLS_ADDR", f.tlsAddr, &cfg.TLSAddr, text, "")
	overlay(src, "tls-dir", "SANDBANK_TLS_DIR", f.tlsDir, &cfg.TLSDir, text, "")
	overlay(src, "data-dir", "SANDBANK_DATA_DIR", f.dataDir, &cfg.DataDir, text, "")
	overlay(src, "seed", "SANDBANK_SEED", f.seed, &cfg.Seed, integer, "an integer")
	overlay(src, "body-limit", "SANDBANK_BODY_LIMIT", f.bodyLimit, &cfg.BodyLimit, integer, "an integer")
	journal := int64(cfg.JournalSize)
	overlay(src, "journal-size", "SANDBANK_JOURNAL_SIZE", f.journal, &journal, integer, "an integer")
	cfg.JournalSize = int(journal)
	overlay(src, "strict", "SANDBANK_STRICT", f.strict, &cfg.Strict, strconv.ParseBool, "a boolean")
	overlay(src, "journal-bytes", "SANDBANK_JOURNAL_BYTES", f.journalBytes, &cfg.JournalBytes, integer, "an integer")
	overlay(src, "admin-body-limit", "SANDBANK_ADMIN_BODY_LIMIT", f.adminBodyLimit, &cfg.AdminBodyLimit, integer, "an integer")
	maxConns := int64(cfg.MaxConns)
	overlay(src, "max-conns", "SANDBANK_MAX_CONNS", f.maxConns, &maxConns, integer, "an integer")
	cfg.MaxConns = int(maxConns)
	overlay(src, "fault-timeout", "SANDBANK_FAULT_TIMEOUT", f.faultTimeout, &cfg.FaultTimeout, time.ParseDuration, "a duration")
	overlay(src, "webhook-timeout", "SANDBANK_WEBHOOK_TIMEOUT", f.webhookTimeout, &cfg.WebhookTimeout, time.ParseDuration, "a duration")
	overlay(src, "retention", "SANDBANK_RETENTION", f.retention, &cfg.Retention, time.ParseDuration, "a duration")
	overlay(src, "read-timeout", "SANDBANK_READ_TIMEOUT", f.readTimeout, &cfg.ReadTimeout, time.ParseDuration, "a duration")
	overlay(src, "write-timeout", "SANDBANK_WRITE_TIMEOUT", f.writeTimeout, &cfg.WriteTimeout, time.ParseDuration, "a duration")
	overlay(src, "idle-timeout", "SANDBANK_IDLE_TIMEOUT", f.idleTimeout, &cfg.IdleTimeout, time.ParseDuration, "a duration")
	errs := src.errs
	cfg.File = path
	if len(errs) == 0 {
		errs = append(errs, cfg.check(tehran))
	}
	return cfg, fs.Args(), errors.Join(errs...)
}

// Sources are where a setting can come from besides the file: the flags given
// and the environment; errs collects environment values that do not parse.
type sources struct {
	set    map[string]bool
	getenv func(string) string
	errs   []error
}

// Overlay sets *dst from the flag name when it was given, else from the
// environment variable env when it is set, read by parse; a value parse refuses
// is reported as not being what.
func overlay[T any](s *sources, name, env string, flagV, dst *T, parse func(string) (T, error), what string) {
	if s.set[name] {
		*dst = *flagV
		return
	}
	v := s.getenv(env)
	if v == "" {
		return
	}
	x, err := parse(v)
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s=%q: not %s", env, v, what))
		return
	}
	*dst = x
}

func readFile(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

func (c *Config) check(tehran *time.Location) error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: %v", c.Addr, err))
	}
	if c.TLSAddr != "" {
		if _, _, err := net.SplitHostPort(c.TLSAddr); err != nil {
			errs = append(errs, fmt.Errorf("tls-addr %q: %v", c.TLSAddr, err))
		}
		if c.TLSDir == "" {
			if dir, err := os.UserConfigDir(); err == nil {
				c.TLSDir = filepath.Join(dir, "sandbank", "tls")
			} else {
				c.TLSDir = filepath.Join(os.TempDir(), "sandbank-tls")
			}
		}
	}
	if c.JournalSize < 0 {
		errs = append(errs, fmt.Errorf("journal-size %d: must be 0 or more", c.JournalSize))
	}
	if c.BodyLimit <= 0 {
		errs = append(errs, fmt.Errorf("body-limit %d: must be positive", c.BodyLimit))
	}
	if c.FaultTimeout <= 0 {
		errs = append(errs, fmt.Errorf("fault-timeout %s: must be positive", c.FaultTimeout))
	}
	if c.Retention < 0 {
		errs = append(errs, fmt.Errorf("retention %s: must be 0 (off) or positive", c.Retention))
	}
	if c.WebhookTimeout <= 0 {
		errs = append(errs, fmt.Errorf("webhook-timeout %s: must be positive", c.WebhookTimeout))
	}
	if c.JournalBytes <= 0 {
		errs = append(errs, fmt.Errorf("journal-bytes %d: must be positive (journal-size 0 turns the journal off)", c.JournalBytes))
	}
	if c.AdminBodyLimit <= 0 {
		errs = append(errs, fmt.Errorf("admin-body-limit %d: must be positive", c.AdminBodyLimit))
	}
	for _, t := range []struct {
		name string
		d    time.Duration
	}{{"read-timeout", c.ReadTimeout}, {"write-timeout", c.WriteTimeout}, {"idle-timeout", c.IdleTimeout}} {
		if t.d <= 0 {
			errs = append(errs, fmt.Errorf("%s %s: must be positive", t.name, t.d))
		}
	}
	if c.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("max-conns %d: must be 0 (no cap) or more", c.MaxConns))
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if strings.EqualFold(c.Clock, "real") || c.Clock == "" {
		c.Clock = "real"
		c.ClockStart = time.Time{}
	} else if t, err := ParseTime(c.Clock, tehran); err != nil {
		errs = append(errs, fmt.Errorf("clock: %v", err))
	} else if !clock.InRange(t) {
		errs = append(errs, fmt.Errorf("clock %q: %v", c.Clock, clock.ErrRange))
	} else {
		c.ClockStart = t
	}
	if c.DataDir != "" {
		if st, err := os.Stat(c.DataDir); err == nil && !st.IsDir() {
			errs = append(errs, fmt.Errorf("data-dir %q: not a directory", c.DataDir))
		}
	}
	for _, dir := range []struct{ name, path string }{{"scenarios", c.Scenarios}, {"fixtures", c.Fixtures}} {
		if dir.path == "" {
			continue
		}
		if st, err := os.Stat(dir.path); err != nil || !st.IsDir() {
			errs = append(errs, fmt.Errorf("%s %q: not a directory", dir.name, dir.path))
		}
	}
	return errors.Join(errs...)
}
