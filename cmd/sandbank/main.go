// Command sandbank serves the simulated provider APIs.
//
//	sandbank [serve] [flags]   serve (the default)
//	sandbank lint DIR          check scenario files; exit 1 with file:line messages
//	sandbank routes            print every operation
//	sandbank version           print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

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

const usage = `usage: sandbank [serve] [flags] | lint DIR | routes | version
Run "sandbank serve -h" for the flags.
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve", "lint", "routes":
	case "version":
		fmt.Fprintln(stdout, "sandbank", app.Version)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "sandbank: unknown command %q\n%s", cmd, usage)
		return 2
	}
	cfg, rest, err := config.Load(args, getenv, iran.Tehran, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sandbank: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.Level()}))

	switch cmd {
	case "lint":
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "usage: sandbank lint DIR\n")
			return 2
		}
		cfg.Scenarios = "" // the directory is linted here, not loaded into the server
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
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "sandbank: unexpected arguments %q\n%s", rest, usage)
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
