// Package app assembles sandbank: it mounts every provider under its real host
// names and alias, runs each request through auth, scenario, handler, fault and
// journal, and serves the control plane.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/admin"
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/certs"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/durable"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/metrics"
	"github.com/sandbank-dev/sandbank/mock/pipeline"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech"
	"github.com/sandbank-dev/sandbank/mock/providers/kavenegar"
	"github.com/sandbank-dev/sandbank/mock/providers/paynet"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod"
	"github.com/sandbank-dev/sandbank/mock/providers/vandar"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
	"github.com/sandbank-dev/sandbank/scenarios"
)

// Headers of the per-request test contract (the X-Sandbank-* headers the README documents), served by the pipeline.
const (
	HeaderScenario = pipeline.HeaderScenario
	HeaderOutcome  = pipeline.HeaderOutcome
	HeaderRule     = pipeline.HeaderRule
	HeaderError    = pipeline.HeaderError
)

// App is one sandbank instance. It is an http.Handler.
type App struct {
	cfg       config.Config
	log       *slog.Logger
	engine    *pipeline.Engine
	clock     *clock.Virtual
	store     *store.Store
	journal   *journal.Journal
	scenarios *scenario.Set
	sched     *lifecycle.Scheduler
	webhooks  *webhook.Sender
	ca        *certs.CA
	tls       *tls.Config
	holds     holds // when the longest latency or timeout fault in flight ends
	metrics   *metrics.Registry
	docs      *openapiDocs
	routes    []admin.RouteInfo // sorted once in build: the providers never change after it
	// webhookAttempts counts outbound attempts by provider and result.
	webhookAttempts *metrics.CounterVec
	ids             *requestIDs
	draining        atomic.Bool // set when Run starts shutting down: /_sandbox/ready answers 503
	closing         chan struct{}
	streamsOnce     sync.Once

	db        *durable.DB // nil without --data-dir
	closeOnce sync.Once
	closeErr  error
}

// New builds an App from cfg with every provider sandbank ships. It does not
// listen; use ServeHTTP or Run.
func New(cfg config.Config, log *slog.Logger) (*App, error) {
	return build(cfg, log, standard, scenarios.FS)
}

// standard lists the shipped providers, explicitly and in one place.
func standard(deps func(name string) api.Deps) ([]api.Provider, error) {
	kv, err := kavenegar.New(deps("kavenegar"))
	if err != nil {
		return nil, fmt.Errorf("kavenegar: %w", err)
	}
	pn, err := paynet.New(deps("paynet"))
	if err != nil {
		return nil, fmt.Errorf("paynet: %w", err)
	}
	fn, err := finnotech.New(deps("finnotech"))
	if err != nil {
		return nil, fmt.Errorf("finnotech: %w", err)
	}
	sb, err := sanbod.New(deps("sanbod"))
	if err != nil {
		return nil, fmt.Errorf("sanbod: %w", err)
	}
	vd, err := vandar.New(deps("vandar"))
	if err != nil {
		return nil, fmt.Errorf("vandar: %w", err)
	}
	return []api.Provider{kv, pn, fn, sb, vd}, nil
}

type providerSet func(deps func(name string) api.Deps) ([]api.Provider, error)

func build(cfg config.Config, log *slog.Logger, providers providerSet, shipped fs.FS) (*App, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.Level()}))
	}
	a := &App{
		cfg:     cfg,
		log:     log,
		clock:   clock.NewVirtual(nil),
		store:   store.New(),
		journal: journal.NewWith(journal.Options{Entries: cfg.JournalSize, Bytes: cfg.JournalBytes}),
		sched:   lifecycle.NewScheduler(),
		metrics: metrics.New(),
		ids:     newRequestIDs(),
		closing: make(chan struct{}),
	}
	a.webhookAttempts = a.metrics.NewCounterVec("sandbank_webhook_attempts_total",
		"Outbound webhook attempts by provider and result: delivered (a 2xx answer) or failed.", "provider", "result")
	a.scenarios = scenario.NewSet(cfg.Seed)
	a.engine = pipeline.New(pipeline.Config{
		Clock: a.clock, BodyLimit: cfg.BodyLimit, FaultTimeout: cfg.FaultTimeout, Log: log,
		Journal: a.journal, Scenarios: a.scenarios, BeforeRequest: func(now time.Time) { a.sched.RunDue(now) },
		BeforeHold: a.beforeHold,
		Observe:    a.observe,
	})
	if !cfg.ClockStart.IsZero() {
		a.clock.Freeze(true)
		if _, err := a.clock.Set(cfg.ClockStart); err != nil {
			return nil, fmt.Errorf("clock %s: %w", cfg.ClockStart.Format(time.RFC3339), err)
		}
	}
	a.clock.Watch(func(now time.Time) { a.sched.RunDue(now) })
	a.webhooks = webhook.New(webhook.Config{Clock: a.clock, Scheduler: a.sched, Journal: a.journal, Timeout: cfg.WebhookTimeout, Log: log.With("component", "webhook"), Observe: a.observeWebhook})

	var fix fs.FS = fixtures.FS
	if cfg.Fixtures != "" {
		fix = os.DirFS(cfg.Fixtures)
	}
	idSeed := cfg.Seed
	if cfg.DataDir != "" {
		n, err := durable.NextStart(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		if n > 1 { // the first start draws what a run without --data-dir draws
			idSeed = cfg.Seed + n*0x5851f42d4c957f2d
		}
	}
	deps := func(name string) api.Deps {
		return api.Deps{
			Clock: a.clock, Store: a.store, Seed: cfg.Seed, IDSeed: idSeed, Retention: cfg.Retention, Strict: cfg.Strict, Fixtures: fix,
			Config: func(into any) error { return cfg.Section(name, into) },
			Log:    log.With("provider", name), Scheduler: a.sched, Webhooks: a.webhooks,
		}
	}
	ps, err := providers(deps)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, p := range ps {
		if err := a.engine.Add(p); err != nil {
			return nil, err
		}
		names[p.Name()] = true
	}
	for name := range cfg.Providers {
		if !names[name] {
			return nil, fmt.Errorf("config %s: providers.%s: no such provider", cfg.File, name)
		}
	}
	if err := a.loadScenarios(shipped); err != nil {
		return nil, err
	}
	if cfg.TLSAddr != "" {
		if err := a.setupTLS(); err != nil {
			return nil, fmt.Errorf("tls: %w", err)
		}
	}
	a.docs = a.newOpenAPIDocs()
	a.routes = a.routeTable()
	// After every provider has made its tables and the scenario files are read:
	// the saved state fills the former and activates among the latter.
	if err := a.openData(); err != nil {
		return nil, err
	}
	a.registerAdmin()
	return a, nil
}

// Catalog lists every operation and what scenarios may ask of it.
func (a *App) Catalog() scenario.Catalog { return a.engine.Catalog() }

func (a *App) loadScenarios(fsys fs.FS) error {
	if fsys != nil {
		shipped, err := scenario.LoadFS(fsys, ".")
		if err == nil {
			err = validateAll(shipped, a.Catalog())
		}
		if err != nil {
			return fmt.Errorf("shipped scenarios: %w", err)
		}
		for _, s := range shipped {
			a.scenarios.Add(s)
		}
	}
	if a.cfg.Scenarios == "" {
		return nil
	}
	return a.reloadScenarios()
}

func validateAll(scs []*scenario.Scenario, cat scenario.Catalog) error {
	var errs []error
	for _, s := range scs {
		errs = append(errs, s.Validate(cat))
	}
	return errors.Join(errs...)
}

// serveEngine runs the engine; with --data-dir the reply waits for its changes
// to be on disk.
func (a *App) serveEngine(w http.ResponseWriter, r *http.Request) {
	if a.db != nil {
		a.serveDurable(w, r)
		return
	}
	a.engine.ServeHTTP(w, r)
}

// Clock is the app's virtual clock.
func (a *App) Clock() *clock.Virtual { return a.clock }

// Store is the app's state.
func (a *App) Store() *store.Store { return a.store }

// Journal is the app's request history.
func (a *App) Journal() *journal.Journal { return a.journal }

// Webhooks is the app's outbound delivery sender.
func (a *App) Webhooks() *webhook.Sender { return a.webhooks }

// Scenarios is the app's scenario set.
func (a *App) Scenarios() *scenario.Set { return a.scenarios }

// Routes lists every provider operation, sorted by provider then path. The
// slice is a copy; its rows' Hosts are shared and must not be changed.
func (a *App) Routes() []admin.RouteInfo { return slices.Clone(a.routes) }

// routeTable builds what Routes lists.
func (a *App) routeTable() []admin.RouteInfo {
	var out []admin.RouteInfo
	for _, p := range a.engine.Providers() {
		for _, r := range p.Routes() {
			hosts := pipeline.HostNames(p, r)
			for i, path := range append([]string{r.Path}, r.Aliases...) {
				for _, meth := range r.Methods {
					out = append(out, admin.RouteInfo{Provider: p.Name(), Operation: r.Operation, Method: meth, Path: path, Alias: i, Hosts: hosts, Summary: r.Summary})
				}
			}
		}
		for _, r := range p.Admin() {
			out = append(out, admin.RouteInfo{Provider: p.Name(), Operation: p.Name() + ".admin", Method: r.Method, Path: "/_sandbox/" + p.Name() + r.Path, Summary: r.Summary})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Provider != out[j].Provider {
			return out[i].Provider < out[j].Provider
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// Providers lists the mounted providers.
func (a *App) Providers() []api.Provider { return a.engine.Providers() }

// tick runs due scheduler items while the clock runs at wall speed and nothing
// else moves it: a webhook due in ten minutes then goes out in ten minutes even
// when no request arrives. A frozen clock only moves by the control plane, whose
// moves run the scheduler themselves.
func (a *App) tick(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !a.clock.Frozen() {
				a.sched.RunDue(a.clock.Now())
			}
		}
	}
}

// registerAdmin mounts the control plane beside the providers.
func (a *App) registerAdmin() {
	srv := &admin.Server{
		Clock: a.clock, Store: a.store, Journal: a.journal, Scenarios: a.scenarios, Catalog: a.Catalog(),
		Providers: a.Providers(), Routes: a.Routes, OpenAPI: a.OpenAPI, OpenAPIFiles: a.OpenAPIFiles, Version: Version,
		Reset: a.reset, Restored: a.restored, CA: a.caPEM, Webhooks: a.webhooks, BodyLimit: a.cfg.AdminBodyLimit, Ready: a.ready, Closing: a.closing,
	}
	srv.Register(a.engine.Echo())
	a.registerMetrics(a.engine.Echo())
}

// closeStreams ends what would hold a shutdown open: the dashboard's event
// streams. The app still serves ordinary requests; Run calls it when it begins to
// shut down, and Close calls it too.
func (a *App) closeStreams() { a.streamsOnce.Do(func() { close(a.closing) }) }

// ready is nil when the app takes requests: not while it drains on shutdown.
func (a *App) ready() error {
	if a.draining.Load() {
		return errors.New("shutting down")
	}
	return nil
}

// reset drops state: one tenant's, or everything.
func (a *App) reset(tenant string) {
	if tenant == "" {
		a.store.ResetAll()
		a.journal.Clear()
	} else {
		a.store.Reset(tenant)
		a.journal.ClearTenant(tenant)
	}
	// Every provider keeps its state, OAuth tokens, codes, consents and passwords
	// included, in the store, so the store's reset is the whole reset.
	a.scenarios.ResetCounts(tenant)
	a.webhooks.Reset(tenant)
}

// restored tells the providers that tenant's state ("" = every tenant's) was put
// back from outside the scheduler, so they book again what it has due
// (api.Restorer), and runs what is due already: a job due during the downtime or
// before the snapshot's clock fires now, not on some later request.
func (a *App) restored(tenant string) {
	for _, p := range a.engine.Providers() {
		if r, ok := p.(api.Restorer); ok {
			r.Restored(tenant)
		}
	}
	a.sched.RunDue(a.clock.Now())
}

// setupTLS loads (or makes) the local CA and signs one certificate for every host
// the providers serve, bare and with .localhost, plus the loopback names.
func (a *App) setupTLS() error {
	ca, err := certs.LoadOrCreate(a.cfg.TLSDir, clock.Wall())
	if err != nil {
		return err
	}
	names := []string{"localhost", "127.0.0.1", "::1"}
	for _, p := range a.engine.Providers() {
		for _, h := range p.Hosts() {
			for _, n := range append([]string{h.Name}, h.Aliases...) {
				if strings.Contains(n, ".") {
					names = append(names, n, n+".localhost")
				}
			}
		}
	}
	leaf, err := ca.Leaf(names, clock.Wall())
	if err != nil {
		return err
	}
	a.ca = ca
	a.tls = &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}
	return nil
}

// TLSConfig is the HTTPS listener's configuration, nil when TLS is off.
func (a *App) TLSConfig() *tls.Config { return a.tls }

func (a *App) caPEM() []byte {
	if a.ca == nil {
		return nil
	}
	return a.ca.PEM()
}
