// Command sandbank serves the simulated provider APIs. Run "sandbank --help" for
// the commands and "sandbank help <command>" for one command's flags and examples.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/sandbank-dev/sandbank/mock/app"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a drain that may last as long as the longest fault or
	// latency in flight; a second one ends the process at once.
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case isHelp(a):
			return help(nil, getenv, stdout, stderr)
		case a == "--version" || a == "-version":
			cmd, args = "version", args[1:]
		case !strings.HasPrefix(a, "-"):
			cmd, args = a, args[1:]
		}
	}
	c := find(cmd)
	if c == nil {
		fmt.Fprintf(stderr, "sandbank: unknown command %q\nRun \"sandbank --help\" for the commands.\n", cmd)
		return 2
	}
	for _, a := range args {
		if isHelp(a) {
			return help([]string{cmd}, getenv, stdout, stderr)
		}
		if a == "--" {
			break
		}
	}
	switch cmd {
	case "help":
		return help(args, getenv, stdout, stderr)
	case "version":
		if len(args) > 0 {
			fmt.Fprintf(stderr, "sandbank: version takes no arguments\n")
			return 2
		}
		fmt.Fprintln(stdout, "sandbank", app.Version)
		return 0
	}
	cfg, rest, err := config.Load(args, getenv, iran.Tehran, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "sandbank %s: %v\nRun \"sandbank help %s\" for its flags.\n", cmd, err, cmd)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.Level()}))

	switch cmd {
	case "lint":
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "usage: %s\n", c.usage)
			return 2
		}
		cfg.Scenarios = "" // the directory is linted here, not loaded into the server
		cfg.DataDir = ""   // nor is any saved state
		a, err := app.New(cfg, log)
		if err != nil {
			fmt.Fprintf(stderr, "sandbank: %v\n", err)
			return 2
		}
		if err := scenario.Lint(rest[0], a.Catalog()); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: ok\n", rest[0])
		return 0
	case "routes":
		cfg.DataDir = ""
		a, err := app.New(cfg, log)
		if err != nil {
			fmt.Fprintf(stderr, "sandbank: %v\n", err)
			return 2
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tHOSTS")
		for _, r := range a.Routes() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Operation, r.Method, r.Path, strings.Join(r.Hosts, ","))
		}
		_ = tw.Flush()
		return 0
	case "openapi":
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "usage: %s\n", c.usage)
			return 2
		}
		a, err := app.New(cfg, log)
		if err != nil {
			fmt.Fprintf(stderr, "sandbank: %v\n", err)
			return 2
		}
		return writeOpenAPI(a, rest[0], stdout, stderr)
	case "healthcheck":
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "usage: %s\n", c.usage)
			return 2
		}
		return healthcheck(ctx, cfg.Addr, stdout, stderr)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "sandbank: unexpected arguments %q\nRun \"sandbank --help\" for the commands.\n", rest)
		return 2
	}
	a, err := app.New(cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "sandbank: %v\n", err)
		return 1
	}
	if err := a.Run(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "sandbank: %v\n", err)
		return 1
	}
	return 0
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// healthcheck asks a running sandbank for /_sandbox/health and exits 0 when it
// answers 200. An unspecified listen host (0.0.0.0, [::], "") is reached on
// loopback, since that is the address the container's own check can dial.
func healthcheck(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "sandbank healthcheck: addr %q: %v\n", addr, err)
		return 2
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/_sandbox/health"
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "sandbank healthcheck: %v\n", err)
		return 1
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "sandbank healthcheck: %s answered %s: %s\n", url, res.Status, bytes.TrimSpace(body))
		return 1
	}
	fmt.Fprintf(stdout, "%s: %s\n", url, bytes.TrimSpace(body))
	return 0
}

// writeOpenAPI writes every served OpenAPI document into dir.
func writeOpenAPI(a *app.App, dir string, stdout, stderr io.Writer) int {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "sandbank openapi: %v\n", err)
		return 1
	}
	for _, f := range a.OpenAPIFiles() {
		data, _ := a.OpenAPI(f)
		path := filepath.Join(dir, f)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintf(stderr, "sandbank openapi: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, path)
	}
	return 0
}

// command is one subcommand as the help shows it.
type command struct {
	name, usage, short, long string
	serverFlags              bool // it reads the server's flags (config.Load)
	flags                    string
	examples                 []string
}

var commands = []command{
	{
		name: "serve", usage: "sandbank [serve] [flags]", serverFlags: true,
		short: "serve the simulated APIs and the /_sandbox control plane (the default command)",
		long: `Serves every provider under its real host names (send Host: api.kavenegar.com,
or use a /api.kavenegar.com/... or /kavenegar/... path prefix), the control plane
under /_sandbox, the dashboard at /_sandbox/ui and Prometheus metrics at /metrics.
Flags override SANDBANK_* environment variables, which override the --config file.`,
		examples: []string{
			"sandbank",
			"sandbank serve --addr 0.0.0.0:8080 --seed 7",
			"sandbank serve --clock 2026-11-22T10:00:00+03:30 --scenarios ./scenarios",
			"sandbank serve --tls-addr 127.0.0.1:8443   # HTTPS on the real host names, local CA",
			"SANDBANK_LOG_LEVEL=debug sandbank serve     # one log line per request",
		},
	},
	{
		name: "lint", usage: "sandbank lint [flags] DIR|FILE", serverFlags: true,
		short: "check scenario files; exit 1 with file:line problems",
		long: `Loads every .yaml, .yml and .json scenario file of DIR (or the one FILE) and checks
each rule against the operations and outcome codes the providers declare. Problems
are printed as file:line: message, one a line, and the exit status is 1.`,
		examples: []string{"sandbank lint ./scenarios", "sandbank lint ./scenarios/slow-sms.yaml"},
	},
	{
		name: "routes", usage: "sandbank routes [flags]", serverFlags: true,
		short:    "list every operation with its method, path and host names",
		examples: []string{"sandbank routes", "sandbank routes | grep finnotech"},
	},
	{
		name: "openapi", usage: "sandbank openapi [flags] DIR", serverFlags: true,
		short: "write the OpenAPI documents the server serves into DIR",
		long: `Writes <provider>.yaml for every provider and sandbox.yaml for the control plane,
exactly as GET /_sandbox/openapi/<file> serves them: sandbank's own server first, as a
relative URL, then the real hosts. For importing into Postman or Insomnia, or linting.`,
		examples: []string{"sandbank openapi ./api-docs"},
	},
	{
		name: "healthcheck", usage: "sandbank healthcheck [--addr HOST:PORT]",
		short: "exit 0 when a running sandbank answers /_sandbox/health",
		long: `Asks the server at --addr (default: the address serve would use, so SANDBANK_ADDR
and --config count) for /_sandbox/health and exits 0 on 200, 1 otherwise. Made for a
container HEALTHCHECK, where no curl is installed.`,
		flags: `  -addr HOST:PORT
    	address of the running server (env SANDBANK_ADDR) (default "127.0.0.1:8080")
  -config string
    	YAML config file to read the address from (env SANDBANK_CONFIG)
`,
		examples: []string{"sandbank healthcheck", "sandbank healthcheck --addr 127.0.0.1:9090"},
	},
	{
		name: "version", usage: "sandbank version | sandbank --version",
		short:    "print the version (the same string /_sandbox/health and /metrics report)",
		examples: []string{"sandbank --version"},
	},
	{
		name: "help", usage: "sandbank help [command]",
		short:    "show the commands, or one command's flags and examples",
		examples: []string{"sandbank help serve"},
	},
}

func find(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// help writes to stdout (it is asked for, not an error): the command list, or one
// command's usage, flags and examples.
func help(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stdout, "sandbank %s: a local simulator of Iranian payment and SMS provider APIs.\n\n", app.Version)
		fmt.Fprintf(stdout, "Usage:\n  sandbank [command] [flags]\n\nCommands:\n")
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, c := range commands {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.short)
		}
		_ = tw.Flush()
		fmt.Fprint(stdout, `
Examples:
  sandbank                                    # serve on 127.0.0.1:8080
  sandbank serve --clock 2026-11-22T10:00:00+03:30 --seed 7
  curl -s localhost:8080/kavenegar/v1/any-key/utils/getdate.json
  sandbank lint ./scenarios
  sandbank healthcheck --addr 127.0.0.1:8080

Run "sandbank help <command>" for a command's flags. Dashboard: http://127.0.0.1:8080/_sandbox/ui
`)
		return 0
	}
	c := find(args[0])
	if c == nil || len(args) > 1 {
		fmt.Fprintf(stderr, "sandbank help: no command %q\nRun \"sandbank --help\" for the commands.\n", strings.Join(args, " "))
		return 2
	}
	fmt.Fprintf(stdout, "Usage:\n  %s\n\n%s\n", c.usage, c.short)
	if c.long != "" {
		fmt.Fprintf(stdout, "\n%s\n", c.long)
	}
	switch {
	case c.flags != "":
		fmt.Fprintf(stdout, "\nFlags:\n%s", c.flags)
	case c.serverFlags:
		fmt.Fprintf(stdout, "\nFlags:\n")
		// The flags are config.Load's own, so a flag added there shows here.
		_, _, err := config.Load([]string{"-h"}, getenv, iran.Tehran, stdout)
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "sandbank help: %v\n", err)
		}
	}
	if len(c.examples) > 0 {
		fmt.Fprintf(stdout, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(stdout, "  %s\n", e)
		}
	}
	return 0
}
