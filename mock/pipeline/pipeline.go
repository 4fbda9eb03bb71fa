// Package pipeline is the one request pipeline: the app and the providers'
// in-package test harness (mock/api/apitest) both run it, so what a provider's
// unit test sees is what a client of the server sees. It imports no provider.
//
// A request goes: mount (Host header, /<host>/ prefix, alias, root prefix) →
// body within its limit → trackId → auth → decision (header > scenario >
// default) → latency → the handler, which is api.Handle(op): Parse, then the
// decision applied here (magic values only when nothing decided; a failure or a
// coded unknown answered from the catalogue), then Run → the route's envelope →
// fault → journal.
package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/form"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Headers of the per-request test contract.
const (
	HeaderScenario = "X-Sandbank-Scenario"
	HeaderOutcome  = "X-Sandbank-Outcome"
	HeaderRule     = "X-Sandbank-Rule"
	HeaderError    = "X-Sandbank-Error"
	keyPath        = "sandbank.path" // the path as the client sent it
)

// Config is what the engine needs from its owner.
type Config struct {
	Clock        clock.Clock
	BodyLimit    int64
	FaultTimeout time.Duration
	Log          *slog.Logger
	// Journal records every exchange; nil records nothing.
	Journal *journal.Journal
	// Scenarios decide requests that no header decided; nil leaves them default.
	Scenarios *scenario.Set
	// Next, when set and ok, is the scenario decision of the request (the test
	// harness's Decide); a header still wins over it.
	Next func() (scenario.Decision, bool)
	// BeforeRequest runs with the virtual time of each request before anything
	// else (the app delivers due scheduler items).
	BeforeRequest func(now time.Time)
	// NoFaults delivers the handler's reply whatever fault the decision names.
	// Only the unit-test harness sets it: its tests read what an in-doubt call
	// answered, and faults on the wire are the app's tests' business.
	NoFaults bool
	// BeforeHold, when set, runs before a latency or a timeout fault holds a request
	// for d of wall time, with the connection's own writer: the app moves the
	// connection's read and write deadlines past the hold, so a hold longer than
	// its server timeouts is not cut, and drains for as long on shutdown.
	BeforeHold func(w http.ResponseWriter, d time.Duration)
	// RootHost, when set, takes paths that reach no mount (the unit-test harness
	// serves its one provider at the root).
	RootHost string
	// Observe, when set, is told of every exchange a route served (metrics and the
	// request log). It runs on the request's goroutine and must not block. w is the
	// writer the engine was handed (a caller that wrapped it finds its own wrapper
	// by Unwrap), so per-request state needs no context value.
	Observe func(w http.ResponseWriter, req *http.Request, x Exchange)
}

// Exchange is one provider request as Config.Observe is told of it, after its reply
// (or the fault instead of it) went out.
type Exchange struct {
	Provider, Operation, Tenant, Rule string
	Status                            int            // 0 when no reply went out
	Fault                             scenario.Fault // what happened on the wire
	Took                              time.Duration  // wall time, latency included
}

// Engine mounts providers on one Echo and runs every request of theirs.
type Engine struct {
	cfg     Config
	echo    *echo.Echo
	mounts  []*mount
	byName  map[string]*hostMount // every host name and alias → its host
	roots   []root
	catalog scenario.Catalog
}

type mount struct {
	p     api.Provider
	hosts map[string]*hostMount
	specs map[string]scenario.OpSpec
}

// hostMount is one host of a provider: one route namespace, registered under
// "/"+name, with its own envelope for what no route answers.
type hostMount struct {
	m    *mount
	host api.Host
}

type root struct {
	prefix string
	h      *hostMount
}

// New makes an engine with no provider yet.
func New(cfg Config) *Engine {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	g := &Engine{cfg: cfg, byName: map[string]*hostMount{}, catalog: scenario.Catalog{}}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = g.handleError
	e.Pre(g.mountMiddleware)
	g.echo = e
	return g
}

// Echo is the router, for the owner's own routes (the control plane).
func (g *Engine) Echo() *echo.Echo { return g.echo }

// ServeHTTP serves one request.
func (g *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.echo.ServeHTTP(w, r) }

// Catalog lists every operation mounted and what scenarios may ask of it.
func (g *Engine) Catalog() scenario.Catalog { return g.catalog }

// Providers lists the mounted providers in the order added.
func (g *Engine) Providers() []api.Provider {
	out := make([]api.Provider, len(g.mounts))
	for i, m := range g.mounts {
		out[i] = m.p
	}
	return out
}

// HostNames lists the real names a route is served under: its host's name and
// the aliases that are host names (not bare mount words).
func HostNames(p api.Provider, r api.Route) []string {
	want := r.Host
	if want == "" {
		want = api.MainHost(p)
	}
	for _, h := range p.Hosts() {
		if h.Name != want {
			continue
		}
		out := []string{h.Name}
		for _, a := range h.Aliases {
			if strings.Contains(a, ".") {
				out = append(out, a)
			}
		}
		return out
	}
	return nil
}

// Add checks p's wiring and mounts it: every host and alias free, every route on
// a declared host, every outcome code in the catalogue, no operation twice.
// Mistakes fail at start-up rather than on the first request.
func (g *Engine) Add(p api.Provider) error {
	hosts := p.Hosts()
	if len(hosts) == 0 {
		return fmt.Errorf("provider %s has no host", p.Name())
	}
	m := &mount{p: p, hosts: map[string]*hostMount{}, specs: map[string]scenario.OpSpec{}}
	claim := func(key string, h *hostMount) error {
		if prev, dup := g.byName[key]; dup && prev != h {
			return fmt.Errorf("provider %s: mount %q taken", p.Name(), key)
		}
		g.byName[key] = h
		return nil
	}
	for i, h := range hosts {
		if h.Envelope == nil {
			return fmt.Errorf("provider %s: host %s has no envelope", p.Name(), h.Name)
		}
		hm := &hostMount{m: m, host: h}
		m.hosts[h.Name] = hm
		keys := append([]string{h.Name}, h.Aliases...)
		if i == 0 && !slices.Contains(keys, p.Name()) {
			keys = append(keys, p.Name()) // the short name mounts the main host
		}
		for _, k := range keys {
			if err := claim(k, hm); err != nil {
				return err
			}
		}
	}
	cat := p.Errors()
	routes := p.Routes()
	for _, r := range routes {
		spec := scenario.OpSpec{Failures: r.Outcomes.Failures, Unknown: r.Outcomes.Unknown, Statuses: r.Outcomes.Statuses, AtKeywords: r.Outcomes.AtKeywords}
		for _, code := range append(append([]string{}, spec.Failures...), spec.Unknown...) {
			if !cat.Has(code) {
				return fmt.Errorf("%s: outcome code %q not in the %s catalogue", r.Operation, code, p.Name())
			}
		}
		for _, code := range r.Outcomes.InReply {
			if !slices.Contains(spec.Failures, code) && !slices.Contains(spec.Unknown, code) {
				return fmt.Errorf("%s: in-reply code %q is neither a failure nor an unknown of the route", r.Operation, code)
			}
		}
		if _, dup := g.catalog[r.Operation]; dup {
			return fmt.Errorf("operation %s declared twice", r.Operation)
		}
		if r.Host != "" && m.hosts[r.Host] == nil {
			return fmt.Errorf("%s: host %q is not one of %s's hosts", r.Operation, r.Host, p.Name())
		}
		g.catalog[r.Operation] = spec
		m.specs[r.Operation] = spec
	}
	main := m.hosts[hosts[0].Name]
	for _, pre := range p.RootPrefixes() {
		g.roots = append(g.roots, root{pre, main})
	}
	g.mounts = append(g.mounts, m)

	for _, r := range routes {
		hm := main
		if r.Host != "" {
			hm = m.hosts[r.Host]
		}
		h := g.route(hm, r)
		for _, path := range append([]string{r.Path}, r.Aliases...) {
			for _, meth := range r.Methods {
				g.echo.Add(meth, "/"+hm.host.Name+path, h)
			}
		}
	}
	for _, h := range hosts {
		hm := m.hosts[h.Name]
		// Unknown paths and methods go through the route pipeline too, so they are
		// journaled like any request and the envelope sees the request's track id.
		miss := g.notFound(hm)
		nf := g.route(hm, api.Route{Operation: p.Name() + ".unrouted",
			Handler: api.Plain(func(c *api.Call) error { return miss(c) })})
		g.echo.Any("/"+h.Name, nf)
		g.echo.Any("/"+h.Name+"/*", nf)
	}
	return nil
}

// mountMiddleware maps the three ways of reaching a host onto its one registered
// prefix, "/"+host: a Host header naming the host or an alias (optionally with
// .localhost), a path starting with a host name or alias, or a root prefix an SDK
// insists on. It also drops one trailing slash, which several SDKs append.
func (g *Engine) mountMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		path := req.URL.Path
		c.Set(keyPath, path)
		if len(path) > 1 && strings.HasSuffix(path, "/") {
			path = path[:len(path)-1]
			req.URL.RawPath = ""
		}
		if strings.HasPrefix(path, "/_sandbox") {
			req.URL.Path = path
			return next(c)
		}
		host := hostOnly(req.Host)
		if h := g.byName[strings.TrimSuffix(host, ".localhost")]; h != nil && host != "" {
			rewrite(c, h, path)
			return next(c)
		}
		seg, rest := firstSegment(path)
		if h := g.byName[seg]; h != nil {
			c.Set(api.KeyMount, seg) // api.Base builds the URL if a provider asks
			rewrite(c, h, rest)
			return next(c)
		}
		for _, r := range g.roots {
			if strings.HasPrefix(path, r.prefix) {
				rewrite(c, r.h, path)
				return next(c)
			}
		}
		if h := g.byName[g.cfg.RootHost]; h != nil && g.cfg.RootHost != "" {
			rewrite(c, h, path)
			return next(c)
		}
		req.URL.Path = path
		return next(c)
	}
}

func rewrite(c echo.Context, h *hostMount, rest string) {
	c.Set(api.KeyHostPath, rest)
	req := c.Request()
	req.URL.Path = "/" + h.host.Name + rest
	if raw := req.URL.RawPath; raw != "" && len(raw) >= len(rest) {
		// Keep escapes (an encoded slash in a path value) intact for the router.
		req.URL.RawPath = "/" + h.host.Name + raw[len(raw)-len(rest):]
	}
}

// validInput makes the path values and the query a handler reads valid UTF-8:
// each byte outside UTF-8 (a %FF) is U+FFFD, as mock/form reads a body and
// encoding/json a string. A value a provider stores is then the value the
// state's JSON (a snapshot, the --data-dir log) holds, and a path naming it
// finds it again after a restart. Requests of valid UTF-8 are left untouched.
func validInput(c echo.Context) {
	if vals := c.ParamValues(); len(vals) > 0 {
		var fixed []string
		for i, v := range vals {
			if w := form.ValidUTF8(v); w != v {
				if fixed == nil {
					fixed = slices.Clone(vals)
				}
				fixed[i] = w
			}
		}
		if fixed != nil {
			c.SetParamValues(fixed...)
		}
	}
	req := c.Request()
	if q := req.URL.RawQuery; q != "" {
		if w := validQuery(q); w != q {
			req.URL.RawQuery = w
		}
	}
}

// validQuery rewrites the pairs of a raw query whose names or values do not
// unescape to UTF-8, re-escaped from their form.ValidUTF8 text; every other
// byte of the query stays as sent (order, escapes, pairs that do not decode).
func validQuery(q string) string {
	if !mayBeNonUTF8(q) {
		return q // the usual query: nothing to look at, nothing allocated
	}
	changed := false
	for pair := range strings.SplitSeq(q, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if validQueryPart(k) != k || validQueryPart(v) != v {
			changed = true
			break
		}
	}
	if !changed {
		return q
	}
	var b strings.Builder
	for i, pair := range strings.Split(q, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		k, v, hasV := strings.Cut(pair, "=")
		b.WriteString(validQueryPart(k))
		if hasV {
			b.WriteByte('=')
			b.WriteString(validQueryPart(v))
		}
	}
	return b.String()
}

// mayBeNonUTF8 reports whether q holds a byte past ASCII, raw or escaped
// (%80 to %FF): only then can a part unescape to something that is not UTF-8.
func mayBeNonUTF8(q string) bool {
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c >= utf8.RuneSelf:
			return true
		case c == '%' && i+1 < len(q) && strings.IndexByte("89abcdefABCDEF", q[i+1]) >= 0:
			return true
		}
	}
	return false
}

func validQueryPart(s string) string {
	u, err := url.QueryUnescape(s)
	if err != nil || utf8.ValidString(u) {
		return s
	}
	return url.QueryEscape(form.ValidUTF8(u))
}

func hostOnly(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(h)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// recorder holds the reply until faults are applied: a fault must be able to
// replace or drop a reply the handler has already written.
type recorder struct {
	orig   http.ResponseWriter
	status int
	buf    *bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.orig.Header() }
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(p)
}

// route builds the pipeline of one operation.
func (g *Engine) route(hm *hostMount, r api.Route) echo.HandlerFunc {
	m := hm.m
	spec := m.specs[r.Operation]
	unknownFault := r.Outcomes.UnknownFault
	if unknownFault == "" {
		unknownFault = scenario.FaultTimeout
	}
	env := r.Envelope
	if env == nil {
		env = hm.host.Envelope
	}
	apply := decisionStep(m.p.Errors(), r.Outcomes.InReply)
	provider := m.p.Name()
	return func(c echo.Context) error {
		wall := clock.Wall()
		now := g.cfg.Clock.Now()
		if g.cfg.BeforeRequest != nil {
			g.cfg.BeforeRequest(now)
		}
		req := c.Request()
		res := c.Response()
		res.Header().Set(HeaderRule, "default")
		validInput(c)

		body, bodyErr := readBody(req, g.cfg.BodyLimit)
		rec := &recorder{orig: res.Writer, buf: bufPool.Get().(*bytes.Buffer)}
		rec.buf.Reset()
		defer bufPool.Put(rec.buf)
		res.Writer = rec

		var tenant string
		d := scenario.Default()
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					g.cfg.Log.Error("panic in handler", "operation", r.Operation, "panic", p, "stack", string(debug.Stack()))
					err = &envelope.Error{Status: 500, Kind: envelope.KindInternal, Message: fmt.Sprint(p)}
				}
			}()
			if r.TrackID != nil {
				c.Set(api.KeyTrackID, r.TrackID(c))
			}
			if bodyErr != nil {
				// Where the next request starts in the stream is unknown (the body
				// was cut off by the read timeout, or left unread past the limit):
				// the connection ends with this answer.
				res.Header().Set("Connection", "close")
				return bodyErr
			}
			if r.Auth != nil {
				if tenant, err = r.Auth(c); err != nil {
					return err
				}
			}
			d = g.decide(c, r.Operation, spec, tenant, body)
			res.Header().Set(HeaderRule, d.Rule)
			if d.Latency > 0 {
				g.hold(rec.orig, req, d.Latency)
			}
			call := api.NewCall(c, r.Operation, tenant, d, now, g.cfg.Clock, env, apply)
			err = r.Handler(call)
			if !call.Handled() {
				// A handler made without api.Handle or api.Plain: the decision
				// still applies (as for Plain, the handler's reply is replaced),
				// and the wiring mistake is logged.
				g.cfg.Log.Error("handler bypassed api.Handle and api.Plain", "operation", r.Operation)
				if ferr := call.Apply(nil); ferr != nil {
					rec.buf.Reset()
					rec.status = 0
					return ferr
				}
			}
			return err
		}()
		if err != nil {
			g.renderError(c, env, err)
		}
		res.Writer = rec.orig

		fault := d.Fault
		if fault == "" {
			fault = scenario.FaultNone
		}
		if d.Outcome == scenario.Unknown && d.Code == "" && fault == scenario.FaultNone {
			fault = unknownFault
		}
		if g.cfg.NoFaults {
			fault = scenario.FaultNone
		}
		status, sent := g.deliver(c, rec, fault)
		took := clock.Wall().Sub(wall)

		// Observed before the journal entry, so a reader of the journal sees it counted.
		if g.cfg.Observe != nil {
			g.cfg.Observe(res.Writer, req, Exchange{Provider: provider, Operation: r.Operation, Tenant: tenant, Rule: d.Rule,
				Status: status, Fault: fault, Took: took})
		}
		if j := g.cfg.Journal; j != nil && j.Enabled() {
			track := api.TrackID(c)
			path, _ := c.Get(keyPath).(string)
			reqH, resH := journal.HeadersOf2(req.Header, res.Header())
			j.Add(journal.Entry{
				At: now, Wall: wall, Provider: provider, Operation: r.Operation, Tenant: tenant,
				Method: req.Method, Path: path, Query: req.URL.RawQuery, RequestHeaders: reqH,
				RequestBody: body, Status: status, ResponseHeaders: resH, ResponseBody: bytes.Clone(sent),
				Rule: d.Rule, TrackID: track, DurationMS: float64(took.Microseconds()) / 1000,
			})
		}
		return nil
	}
}

// decisionStep is the one place a decision turns into an answer, run between an
// operation's Parse and Run (or before a Plain handler). Precedence: a header,
// then a scenario rule, then the operation's magic value, then the default. A
// failure, or an unknown naming a code, is answered from the catalogue unless
// the route answers that code in its own reply (Outcomes.InReply); everything
// else (success, an unknown without code, in-reply codes) goes on to Run with
// c.Decision final.
func decisionStep(cat envelope.Catalogue, inReply []string) func(c *api.Call, magic func() (scenario.Decision, bool)) error {
	return func(c *api.Call, magic func() (scenario.Decision, bool)) error {
		d := c.Decision
		if !d.Decided() && magic != nil {
			if md, ok := magic(); ok {
				if md.Rule == "" {
					md.Rule = d.Rule
				}
				d = md
				c.Decision = d
			}
		}
		switch {
		case d.Outcome == scenario.Failure && !slices.Contains(inReply, d.Code):
			return cat.Err(d.Code)
		case d.Outcome == scenario.Unknown && d.Code != "" && !slices.Contains(inReply, d.Code):
			return cat.Err(d.Code)
		}
		return nil
	}
}

func (g *Engine) renderError(c echo.Context, env api.Envelope, err error) {
	if c.Response().Committed {
		return
	}
	e, ok := envelope.As(err)
	if !ok {
		e = fromHTTPError(err)
	}
	if e.Kind == envelope.KindInternal {
		g.cfg.Log.Error("internal error", "path", c.Request().URL.Path, "err", e)
	}
	if rerr := env.Err(c, e); rerr != nil {
		g.cfg.Log.Error("render", "path", c.Request().URL.Path, "err", rerr)
	}
}

// handleError answers errors that escape the route pipeline: unmatched paths and
// methods, and control-plane errors. Under a host's mount the host's envelope
// renders them; elsewhere the control plane's {"error": ...} shape is used.
func (g *Engine) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if h := g.hostOf(c.Request().URL.Path); h != nil {
		g.renderError(c, h.host.Envelope, err)
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

// notFound answers paths under a host's mount that no route takes: 405 when the
// path exists on this host for another method, else 404, both in the host's
// envelope. Another host's routes never count: each host is its own namespace.
func (g *Engine) notFound(hm *hostMount) echo.HandlerFunc {
	catchAll, bare := "/"+hm.host.Name+"/*", "/"+hm.host.Name
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		probe := g.echo.NewContext(nil, nil) // Find sets its path each time: one serves every method
		for _, meth := range probeMethods {
			if meth == c.Request().Method {
				continue
			}
			g.echo.Router().Find(meth, path, probe)
			if p := probe.Path(); p != "" && p != catchAll && p != bare {
				return &envelope.Error{Status: http.StatusMethodNotAllowed, Kind: envelope.KindMethodNotAllowed, Message: "method not allowed"}
			}
		}
		return &envelope.Error{Status: http.StatusNotFound, Kind: envelope.KindNotFound, Message: "no such path"}
	}
}

var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// hostOf finds the host whose registered prefix starts path (after rewrite).
func (g *Engine) hostOf(path string) *hostMount {
	seg, _ := firstSegment(path)
	if h := g.byName[seg]; h != nil && h.host.Name == seg {
		return h
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

// deliver sends the recorded reply, or what the fault makes of it, and returns the
// status and body that went on the wire (0 and nil when nothing did).
func (g *Engine) deliver(c echo.Context, rec *recorder, fault scenario.Fault) (int, []byte) {
	w := rec.orig
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	switch fault {
	case scenario.FaultTimeout:
		g.hold(w, c.Request(), g.cfg.FaultTimeout)
		drop(w, false)
		return 0, nil
	case scenario.FaultReset:
		drop(w, true)
		return 0, nil
	case scenario.Fault500, scenario.Fault502, scenario.Fault503:
		code, _ := strconv.Atoi(strings.TrimPrefix(string(fault), "http"))
		body := []byte(gatewayPage(code))
		h := w.Header()
		h.Del("Content-Length")
		h.Set("Content-Type", "text/html")
		w.WriteHeader(code)
		_, _ = w.Write(body)
		return code, body
	case scenario.FaultGarbage:
		orig := rec.buf.Bytes()
		body := append(append([]byte{}, orig[:len(orig)/2]...), "\x00\x1f<!-- upstream reply cut -->"...)
		w.Header().Del("Content-Length")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
		return http.StatusOK, body
	}
	w.WriteHeader(status)
	_, _ = w.Write(rec.buf.Bytes())
	return status, rec.buf.Bytes()
}

func gatewayPage(code int) string {
	text := http.StatusText(code)
	return "<html>\r\n<head><title>" + strconv.Itoa(code) + " " + text + "</title></head>\r\n<body>\r\n<center><h1>" +
		strconv.Itoa(code) + " " + text + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// drop ends the exchange without a reply; reset makes the close an RST.
func drop(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2, a test recorder): the nearest thing is no body.
		w.WriteHeader(http.StatusGatewayTimeout)
		return
	}
	// An interface, not *net.TCPConn: the app's connection-limiting listener wraps it.
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// hold waits d for a latency or a timeout fault, telling the owner first.
func (g *Engine) hold(w http.ResponseWriter, req *http.Request, d time.Duration) {
	if g.cfg.BeforeHold != nil {
		g.cfg.BeforeHold(w, d)
	}
	wait(req, d)
}

// wait sleeps for d of wall time, or until the client gives up.
func wait(req *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-req.Context().Done():
	}
}

// tooLargeDrain is how much of a body past the limit is read and dropped so the
// client gets its answer; past that the connection is closed on it.
const tooLargeDrain = 16 << 20

// readBody reads the body once, within the limit, and leaves a fresh reader in its
// place so handlers and the journal both see it.
func readBody(req *http.Request, limit int64) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, limit+1))
	if err == nil && int64(len(body)) > limit {
		// Read on, to a bound, what the client is still sending: a server that
		// stops reading and closes resets the client's unfinished write, and the
		// client then sees a broken connection instead of the provider's answer.
		_, _ = io.CopyN(io.Discard, req.Body, tooLargeDrain)
	}
	_ = req.Body.Close()
	req.Body = form.NewBody(body)
	if err != nil {
		return body, &envelope.Error{Status: http.StatusBadRequest, Kind: envelope.KindBadRequest, Message: "request body could not be read", Cause: err}
	}
	if int64(len(body)) > limit {
		req.Body = io.NopCloser(bytes.NewReader(nil))
		return body[:limit], &envelope.Error{Status: http.StatusRequestEntityTooLarge, Kind: envelope.KindTooLarge, Message: "request body larger than " + strconv.FormatInt(limit, 10) + " bytes"}
	}
	return body, nil
}

// decide picks the decision: the header outcome wins over the scenario, which wins
// over the default. Problems with either header are reported in X-Sandbank-Error
// and never change the status.
func (g *Engine) decide(c echo.Context, op string, spec scenario.OpSpec, tenant string, body []byte) scenario.Decision {
	req := c.Request()
	d := scenario.Default()
	var problems []string
	if next, ok := g.next(); ok {
		d = next
	} else if g.cfg.Scenarios != nil {
		in := &scenario.Request{TenantID: tenant, Headers: req.Header, RawQuery: req.URL.RawQuery, RawBody: body}
		var err error
		if d, err = g.cfg.Scenarios.Decide(op, in, req.Header.Get(HeaderScenario)); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if h := req.Header.Get(HeaderOutcome); h != "" {
		hd, err := scenario.ParseOutcomeHeader(h)
		if err == nil {
			err = scenario.CheckDecision(spec, hd)
		}
		if err != nil {
			problems = append(problems, HeaderOutcome+": "+err.Error())
		} else {
			hd.Rule = "header"
			d = hd
		}
	}
	if len(problems) > 0 {
		c.Response().Header().Set(HeaderError, strings.Join(problems, "; "))
	}
	return d
}

func (g *Engine) next() (scenario.Decision, bool) {
	if g.cfg.Next == nil {
		return scenario.Decision{}, false
	}
	return g.cfg.Next()
}
