package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/journal"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// Headers of the per-request test contract (DESIGN §1).
const (
	HeaderScenario = "X-Sandbank-Scenario"
	HeaderOutcome  = "X-Sandbank-Outcome"
	HeaderRule     = "X-Sandbank-Rule"
	HeaderError    = "X-Sandbank-Error"
	keyPath        = "sandbank.path" // the path as the client sent it
)

// mountMiddleware maps the three ways of reaching a provider onto one registered
// prefix per provider: a Host header naming the provider (optionally with
// .localhost), a path starting with a real host name or alias, or a root prefix an
// SDK insists on. It also drops one trailing slash, which several SDKs append.
func (a *App) mountMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
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
		scheme := c.Scheme()
		host := hostOnly(req.Host)
		if m := a.byHost[strings.TrimSuffix(host, ".localhost")]; m != nil && host != "" {
			c.Set(api.KeyBase, scheme+"://"+req.Host)
			a.rewrite(req, m, path)
			return next(c)
		}
		seg, rest := firstSegment(path)
		if m := a.byHost[seg]; m != nil {
			c.Set(api.KeyBase, scheme+"://"+req.Host+"/"+seg)
			a.rewrite(req, m, rest)
			return next(c)
		}
		for _, r := range a.roots {
			if strings.HasPrefix(path, r.prefix) {
				c.Set(api.KeyBase, scheme+"://"+req.Host)
				a.rewrite(req, r.m, path)
				return next(c)
			}
		}
		req.URL.Path = path
		return next(c)
	}
}

func (a *App) rewrite(req *http.Request, m *mount, rest string) {
	req.URL.Path = "/" + m.main + rest
	if raw := req.URL.RawPath; raw != "" {
		// Keep escapes (an encoded slash in a path value) intact for the router.
		req.URL.RawPath = "/" + m.main + raw[len(raw)-len(rest):]
	}
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
func (a *App) route(m *mount, r api.Route) echo.HandlerFunc {
	spec := m.specs[r.Operation]
	unknownFault := r.Outcomes.UnknownFault
	if unknownFault == "" {
		unknownFault = scenario.FaultTimeout
	}
	return func(c echo.Context) error {
		wall := clock.Wall()
		now := a.clock.Now()
		a.sched.RunDue(now)
		req := c.Request()
		res := c.Response()
		res.Header().Set(HeaderRule, "default")

		body, bodyErr := readBody(req, a.cfg.BodyLimit)
		rec := &recorder{orig: res.Writer, buf: bufPool.Get().(*bytes.Buffer)}
		rec.buf.Reset()
		defer bufPool.Put(rec.buf)
		res.Writer = rec

		var tenant string
		d := scenario.Default()
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					a.log.Error("panic in handler", "operation", r.Operation, "panic", p, "stack", string(debug.Stack()))
					err = &envelope.Error{Status: 500, Kind: envelope.KindInternal, Message: fmt.Sprint(p)}
				}
			}()
			if r.TrackID != nil {
				c.Set(api.KeyTrackID, r.TrackID(c))
			}
			if bodyErr != nil {
				return bodyErr
			}
			if r.Auth != nil {
				if tenant, err = r.Auth(c); err != nil {
					return err
				}
			}
			d = a.decide(c, r.Operation, spec, tenant, body)
			res.Header().Set(HeaderRule, d.Rule)
			if d.Latency > 0 {
				wait(req, d.Latency)
			}
			if !r.Outcomes.Custom {
				switch {
				case d.Outcome == scenario.Failure:
					return m.p.Errors().Err(d.Code)
				case d.Outcome == scenario.Unknown && d.Code != "":
					return m.p.Errors().Err(d.Code)
				}
			}
			return r.Handler(&api.Call{Context: c, Operation: r.Operation, Tenant: tenant, Decision: d, Now: now, Clock: a.clock})
		}()
		if err != nil {
			a.renderError(c, m, err)
		}
		res.Writer = rec.orig

		fault := d.Fault
		if fault == "" {
			fault = scenario.FaultNone
		}
		if d.Outcome == scenario.Unknown && d.Code == "" && fault == scenario.FaultNone {
			fault = unknownFault
		}
		status, sent := a.deliver(c, rec, fault)

		if a.journal.Enabled() {
			track := api.TrackID(c)
			path, _ := c.Get(keyPath).(string)
			a.journal.Add(journal.Entry{
				At: now, Wall: wall, Provider: m.p.Name(), Operation: r.Operation, Tenant: tenant,
				Method: req.Method, Path: path, Query: req.URL.RawQuery,
				RequestBody: body, Status: status, ResponseBody: bytes.Clone(sent),
				Rule: d.Rule, TrackID: track, DurationMS: float64(clock.Wall().Sub(wall).Microseconds()) / 1000,
			})
		}
		return nil
	}
}

func (a *App) renderError(c echo.Context, m *mount, err error) {
	e, ok := envelope.As(err)
	if !ok {
		e = fromHTTPError(err)
	}
	if e.Kind == envelope.KindInternal {
		a.log.Error("internal error", "path", c.Request().URL.Path, "err", e)
	}
	if rerr := m.p.Render(c, e); rerr != nil {
		a.log.Error("render", "provider", m.p.Name(), "err", rerr)
	}
}

// deliver sends the recorded reply, or what the fault makes of it, and returns the
// status and body that went on the wire (0 and nil when nothing did).
func (a *App) deliver(c echo.Context, rec *recorder, fault scenario.Fault) (int, []byte) {
	w := rec.orig
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	switch fault {
	case scenario.FaultTimeout:
		wait(c.Request(), a.cfg.FaultTimeout)
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
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
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

// readBody reads the body once, within the limit, and leaves a fresh reader in its
// place so handlers and the journal both see it.
func readBody(req *http.Request, limit int64) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, limit+1))
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
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
func (a *App) decide(c echo.Context, op string, spec scenario.OpSpec, tenant string, body []byte) scenario.Decision {
	req := c.Request()
	in := &input{req: req, tenant: tenant, body: body}
	d, err := a.scenarios.Decide(op, in, req.Header.Get(HeaderScenario))
	var problems []string
	if err != nil {
		problems = append(problems, err.Error())
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

// input is the request as scenario predicates read it. The body is parsed only if
// a predicate asks for it.
type input struct {
	req    *http.Request
	query  url.Values
	tenant string
	body   []byte
	parsed bool
	json   any
	form   url.Values
}

func (in *input) Tenant() string            { return in.tenant }
func (in *input) Header(name string) string { return in.req.Header.Get(name) }
func (in *input) Query(name string) (string, bool) {
	if in.query == nil {
		in.query = in.req.URL.Query()
	}
	v, ok := in.query[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (in *input) Body(path string) (any, bool) {
	if !in.parsed {
		in.parsed = true
		trimmed := bytes.TrimSpace(in.body)
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			dec := json.NewDecoder(bytes.NewReader(trimmed))
			dec.UseNumber()
			if dec.Decode(&in.json) != nil {
				in.json = nil
			}
		} else if len(trimmed) > 0 {
			in.form, _ = url.ParseQuery(string(trimmed))
		}
	}
	if in.form != nil {
		v, ok := in.form[path]
		if !ok || len(v) == 0 {
			return nil, false
		}
		return v[0], true
	}
	return scenario.Lookup(in.json, path)
}
