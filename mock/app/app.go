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
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/fixtures"
	"github.com/sandbank-dev/sandbank/mock/admin"
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/certs"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/config"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/providers/finnotech"
	"github.com/sandbank-dev/sandbank/mock/providers/kavenegar"
	"github.com/sandbank-dev/sandbank/mock/providers/paynet"
	"github.com/sandbank-dev/sandbank/mock/providers/sanbod"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/openapi"
	"github.com/sandbank-dev/sandbank/scenarios"
)

// Version is set at build time with -ldflags "-X .../mock/app.Version=...".
var Version = "0.1.0-dev"

// App is one sandbank instance. It is an http.Handler.
type App struct {
	cfg       config.Config
	log       *slog.Logger
	echo      *echo.Echo
	clock     *clock.Virtual
	store     *store.Store
	journal   *journal.Journal
	scenarios *scenario.Set
	sched     *lifecycle.Scheduler
	mounts    []*mount
	byHost    map[string]*mount // every real host name and alias → its mount
	roots     []root
	catalog   scenario.Catalog
	ca        *certs.CA
	tls       *tls.Config
}

type mount struct {
	p     api.Provider
	main  string // the main host: every route is registered under "/"+main
	specs map[string]scenario.OpSpec
}

type root struct {
	prefix string
	m      *mount
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
	return []api.Provider{kv, pn, fn, sb}, nil
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
		journal: journal.New(cfg.JournalSize),
		sched:   lifecycle.NewScheduler(),
		byHost:  map[string]*mount{},
		catalog: scenario.Catalog{},
	}
	a.scenarios = scenario.NewSet(cfg.Seed)
	if !cfg.ClockStart.IsZero() {
		a.clock.Freeze(true)
		a.clock.Set(cfg.ClockStart)
	}
	a.clock.Watch(func(now time.Time) { a.sched.RunDue(now) })

	var fix fs.FS = fixtures.FS
	if cfg.Fixtures != "" {
		fix = os.DirFS(cfg.Fixtures)
	}
	deps := func(name string) api.Deps {
		return api.Deps{
			Clock: a.clock, Store: a.store, Seed: cfg.Seed, Strict: cfg.Strict, Fixtures: fix,
			Config: func(into any) error { return cfg.Section(name, into) },
			Log:    log.With("provider", name),
		}
	}
	ps, err := providers(deps)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if err := a.addProvider(p); err != nil {
			return nil, err
		}
	}
	for name := range cfg.Providers {
		if a.byHost[name] == nil || a.byHost[name].p.Name() != name {
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
	a.echo = a.newEcho()
	return a, nil
}

func (a *App) addProvider(p api.Provider) error {
	hosts := p.Hosts()
	if len(hosts) == 0 {
		return fmt.Errorf("provider %s has no host", p.Name())
	}
	m := &mount{p: p, main: hosts[0], specs: map[string]scenario.OpSpec{}}
	for _, key := range append([]string{p.Name()}, hosts...) {
		if _, dup := a.byHost[key]; dup {
			return fmt.Errorf("provider %s: mount %q taken", p.Name(), key)
		}
		a.byHost[key] = m
	}
	cat := p.Errors()
	for _, r := range p.Routes() {
		spec := scenario.OpSpec{Failures: r.Outcomes.Failures, Unknown: r.Outcomes.Unknown, Statuses: r.Outcomes.Statuses, AtKeywords: r.Outcomes.AtKeywords}
		for _, code := range append(append([]string{}, spec.Failures...), spec.Unknown...) {
			if !cat.Has(code) {
				return fmt.Errorf("%s: outcome code %q not in the %s catalogue", r.Operation, code, p.Name())
			}
		}
		if _, dup := a.catalog[r.Operation]; dup {
			return fmt.Errorf("operation %s declared twice", r.Operation)
		}
		a.catalog[r.Operation] = spec
		m.specs[r.Operation] = spec
	}
	for _, pre := range p.RootPrefixes() {
		a.roots = append(a.roots, root{pre, m})
	}
	a.mounts = append(a.mounts, m)
	return nil
}

// Catalog lists every operation and what scenarios may ask of it.
func (a *App) Catalog() scenario.Catalog { return a.catalog }

func (a *App) loadScenarios(fsys fs.FS) error {
	if fsys != nil {
		shipped, err := scenario.LoadFS(fsys, ".")
		if err == nil {
			err = validateAll(shipped, a.catalog)
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

// ServeHTTP serves one request.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.echo.ServeHTTP(w, r) }

// Clock is the app's virtual clock.
func (a *App) Clock() *clock.Virtual { return a.clock }

// Store is the app's state.
func (a *App) Store() *store.Store { return a.store }

// Journal is the app's request history.
func (a *App) Journal() *journal.Journal { return a.journal }

// Scenarios is the app's scenario set.
func (a *App) Scenarios() *scenario.Set { return a.scenarios }

// Routes lists every provider operation, sorted by provider then path.
func (a *App) Routes() []admin.RouteInfo {
	var out []admin.RouteInfo
	for _, m := range a.mounts {
		for _, r := range m.p.Routes() {
			for i, path := range append([]string{r.Path}, r.Aliases...) {
				for _, meth := range r.Methods {
					out = append(out, admin.RouteInfo{Provider: m.p.Name(), Operation: r.Operation, Method: meth, Path: path, Alias: i, Hosts: m.p.Hosts(), Summary: r.Summary})
				}
			}
		}
		for _, r := range m.p.Admin() {
			out = append(out, admin.RouteInfo{Provider: m.p.Name(), Operation: m.p.Name() + ".admin", Method: r.Method, Path: "/_sandbox/" + m.p.Name() + r.Path, Summary: r.Summary})
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
func (a *App) Providers() []api.Provider {
	out := make([]api.Provider, len(a.mounts))
	for i, m := range a.mounts {
		out[i] = m.p
	}
	return out
}

// Run serves on cfg.Addr until ctx is done, then shuts down gracefully.
func (a *App) Run(ctx context.Context) error {
	srv := &http.Server{Addr: a.cfg.Addr, Handler: a, ReadHeaderTimeout: 10 * time.Second}
	servers := []*http.Server{srv}
	go a.watchScenarios(ctx)
	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	a.log.Info("sandbank listening", "addr", a.cfg.Addr, "version", Version, "clock", a.clock.Now().Format(time.RFC3339))
	if a.tls != nil {
		tsrv := &http.Server{Addr: a.cfg.TLSAddr, Handler: a, TLSConfig: a.tls, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, tsrv)
		go func() { errc <- tsrv.ListenAndServeTLS("", "") }()
		a.log.Info("sandbank listening with TLS", "addr", a.cfg.TLSAddr, "ca", certs.CertPath(a.cfg.TLSDir))
	}
	select {
	case err := <-errc:
		for _, s := range servers {
			_ = s.Close()
		}
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a.log.Info("sandbank shutting down")
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(sctx))
	}
	return errors.Join(errs...)
}

func (a *App) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.Pre(a.mountMiddleware)
	for _, m := range a.mounts {
		for _, r := range m.p.Routes() {
			h := a.route(m, r)
			for _, path := range append([]string{r.Path}, r.Aliases...) {
				for _, meth := range r.Methods {
					e.Add(meth, "/"+m.main+path, h)
				}
			}
		}
		nf := a.notFound(m)
		e.Any("/"+m.main, nf)
		e.Any("/"+m.main+"/*", nf)
	}
	srv := &admin.Server{
		Clock: a.clock, Store: a.store, Journal: a.journal, Scenarios: a.scenarios, Catalog: a.catalog,
		Providers: a.Providers(), Routes: a.Routes, OpenAPI: openapi.FS, Version: Version,
		Reset: a.reset, CA: a.caPEM,
	}
	srv.Register(e)
	return e
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
	a.scenarios.ResetCounts(tenant)
	for _, m := range a.mounts {
		if r, ok := m.p.(interface{ Reset(tenant string) }); ok {
			r.Reset(tenant)
		}
	}
}

// handleError answers errors that escape the route pipeline: unmatched paths and
// methods, and control-plane errors. Under a provider's mount the provider renders
// them; elsewhere the control plane's {"error": ...} shape is used.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if m := a.mountOf(c.Request().URL.Path); m != nil {
		a.renderError(c, m, err)
		return
	}
	status := http.StatusInternalServerError
	msg := err.Error()
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		msg = fmt.Sprint(he.Message)
	}
	_ = c.JSON(status, map[string]string{"error": msg})
}

func fromHTTPError(err error) *envelope.Error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		e := &envelope.Error{Status: he.Code, Message: fmt.Sprint(he.Message), Cause: err}
		switch he.Code {
		case http.StatusNotFound:
			e.Kind = envelope.KindNotFound
		case http.StatusMethodNotAllowed:
			e.Kind = envelope.KindMethodNotAllowed
		case http.StatusRequestEntityTooLarge:
			e.Kind = envelope.KindTooLarge
		case http.StatusBadRequest:
			e.Kind = envelope.KindBadRequest
		default:
			e.Kind = envelope.KindInternal
		}
		return e
	}
	return &envelope.Error{Status: 500, Kind: envelope.KindInternal, Message: err.Error(), Cause: err}
}

// notFound answers paths under a provider's mount that no route takes: 405 when
// the path exists for another method, else 404, both in the provider's format.
func (a *App) notFound(m *mount) echo.HandlerFunc {
	catchAll, bare := "/"+m.main+"/*", "/"+m.main
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		for _, meth := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if meth == c.Request().Method {
				continue
			}
			probe := a.echo.NewContext(nil, nil)
			a.echo.Router().Find(meth, path, probe)
			if p := probe.Path(); p != "" && p != catchAll && p != bare {
				return &envelope.Error{Status: http.StatusMethodNotAllowed, Kind: envelope.KindMethodNotAllowed, Message: "method not allowed"}
			}
		}
		return &envelope.Error{Status: http.StatusNotFound, Kind: envelope.KindNotFound, Message: "no such path"}
	}
}

// mountOf finds the provider whose registered prefix starts path (after rewrite).
func (a *App) mountOf(path string) *mount {
	seg, _ := firstSegment(path)
	if m := a.byHost[seg]; m != nil && m.main == seg {
		return m
	}
	return nil
}

func firstSegment(path string) (seg, rest string) {
	p := strings.TrimPrefix(path, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

// setupTLS loads (or makes) the local CA and signs one certificate for every host
// the providers serve, bare and with .localhost, plus the loopback names.
func (a *App) setupTLS() error {
	ca, err := certs.LoadOrCreate(a.cfg.TLSDir, clock.Wall())
	if err != nil {
		return err
	}
	names := []string{"localhost", "127.0.0.1", "::1"}
	for _, m := range a.mounts {
		for _, h := range m.p.Hosts() {
			names = append(names, h, h+".localhost")
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
