// Package api is the contract between the engine and the providers: a provider is
// a set of hosts, a route table and an error catalogue; each route names its host
// and its envelope (how its replies look on the wire). The engine (mock/pipeline)
// owns everything a request passes through on the way: mounting, auth order,
// scenarios and the outcome they force, faults, journal.
package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
	"github.com/sandbank-dev/sandbank/mock/webhook"
)

// Provider is one simulated upstream.
type Provider interface {
	// Name is the short name: the alias mount, the operation-id prefix, the admin
	// path segment.
	Name() string
	// Hosts are the real hosts served, the main one first. Each host is its own
	// route namespace with its own not-found answer.
	Hosts() []Host
	// RootPrefixes are path prefixes the provider also claims at the server root,
	// for SDKs that drop any base-URL path (Kavenegar's Go SDK).
	RootPrefixes() []string
	// Routes is the provider's route table.
	Routes() []Route
	// Admin is the provider's control-plane table, mounted under /_sandbox/<name>.
	Admin() []AdminRoute
	// Errors is the provider's error catalogue: every code a scenario may name.
	Errors() envelope.Catalogue
}

// Restorer is implemented by a provider whose state books work on
// Deps.Scheduler (a settlement's final state, a deposit landing). The scheduler
// is memory only: state put back from outside it, by a restore (PUT
// /_sandbox/state/{tenant}) or by the --data-dir replay at start, would wait for
// the tenant's next request, so a clock advance alone fired nothing. The app
// calls Restored after either, and then runs what is already due; the provider
// books again what that state has due. tenant is the restored tenant, or ""
// after a replay: every tenant.
type Restorer interface {
	Restored(tenant string)
}

// Host is one real host a provider serves. Routes name it by Name; paths
// registered on one host do not answer on another.
type Host struct {
	Name string // "api.kavenegar.com"
	// Aliases are further names of the same namespace: short path-prefix mounts
	// ("kavenegar" -> /kavenegar/...) and other real host names that serve the
	// same paths (a sandbox and a production host). Each is also accepted as a
	// Host header.
	Aliases []string
	// Envelope renders what the engine raises on this host outside any route
	// (404, 405, a body too large or unreadable, a panic) and the errors of
	// routes that name no envelope of their own.
	Envelope Envelope
}

// Envelope is a response family: how success and errors look on the wire.
// A provider may have several (one per host, or per group of routes).
type Envelope interface {
	// OK writes a success reply; api.Handle calls it with Run's result.
	OK(c echo.Context, status int, v any) error
	// Err writes e. It also receives the errors the engine raises by Kind
	// (envelope.KindNotFound and the rest); envelope.Catalogue.Resolve turns
	// those into the provider's code, status and message.
	Err(c echo.Context, e *envelope.Error) error
}

// JSONEnvelope is an Envelope whose success is v as JSON and whose errors are
// written by the function: the common case of a provider with one error shape.
type JSONEnvelope func(c echo.Context, e *envelope.Error) error

// OK writes v as JSON (see JSON).
func (f JSONEnvelope) OK(c echo.Context, status int, v any) error { return JSON(c, status, v) }

// Err writes e with the function.
func (f JSONEnvelope) Err(c echo.Context, e *envelope.Error) error { return f(c, e) }

// Route is one operation of a provider.
type Route struct {
	Operation string   // "kavenegar.smsSend": OpenAPI operationId, scenario key, journal label
	Methods   []string // HTTP methods served
	Path      string   // Echo path below the host root, e.g. "/v1/:apikey/sms/send.json"
	// Aliases are further paths of the same operation, for providers whose clients
	// reach one service by several paths (Sanbod's /banks/v1/x and bare /x). One
	// operation keeps one scenario key and one journal label whichever path is used.
	Aliases []string
	// Host is the Name of one of the provider's Hosts; "" is the main host.
	Host string
	// Envelope renders the route's replies and errors; nil is its host's.
	Envelope Envelope
	// Auth names the tenant of the request or rejects it with a provider error. Nil
	// means the route has no credential and runs for tenant "".
	Auth func(c echo.Context) (tenant string, err error)
	// Handler is api.Handle(op) for an operation, or api.Plain(fn) for a route
	// that reads nothing before the decision applies (a page). Either way the
	// engine's decision (forced failure, coded unknown) is applied exactly once.
	Handler func(c *Call) error
	// TrackID, when set, names the request's own id (trackId, traceid) before auth
	// runs, so the journal and the error renderer have it even when the handler
	// never runs. Handlers may still replace it with SetTrackID.
	TrackID  func(c echo.Context) string
	Outcomes Outcomes
	Summary  string
}

// Outcomes is what a scenario may ask of a route.
type Outcomes struct {
	// Failures are the codes `failure` may name; each must be in the catalogue.
	Failures []string
	// Unknown are the in-doubt codes `unknown` may name; empty means the operation
	// answers in doubt only by a fault (the reply is lost).
	Unknown []string
	// Statuses are the lifecycle statuses a `timeline` may name.
	Statuses []string
	// AtKeywords are the words a timeline `at` may use besides durations
	// ("next-cycle"); the provider resolves them.
	AtKeywords []string
	// InReply are failure or unknown codes the operation answers inside its own
	// reply rather than as a catalogue error (Finnotech's bon-card result codes
	// travel in a DONE body; Paynet's 100 is a success answered with code 100).
	// The engine leaves those to Run, which reads c.Decision. Every other forced
	// failure and coded unknown is answered by the engine from the catalogue.
	InReply []string
	// UnknownFault is the fault used for an `unknown` that names no code and no
	// fault; the app applies it after the handler ran. Empty means timeout.
	UnknownFault scenario.Fault
}

// AdminRoute is one provider-specific control-plane call.
type AdminRoute struct {
	Method  string
	Path    string // below /_sandbox/<provider>
	Summary string
	Handler echo.HandlerFunc
}

// Call is the request as a handler sees it: Echo's context plus what the app has
// decided on the way in.
type Call struct {
	echo.Context
	Operation string
	Tenant    string
	Decision  scenario.Decision
	Now       time.Time // virtual time when the request arrived
	Clock     clock.Clock
	// Envelope renders this route's replies (the route's or its host's).
	Envelope Envelope
	// apply is the engine's decision step; see Apply.
	apply   func(c *Call, magic func() (scenario.Decision, bool)) error
	applied bool
	handled bool // the handler is api.Handle or api.Plain
}

// NewCall is how the engine makes a Call. apply runs once, between Parse and Run
// (or before a Plain handler): it may replace c.Decision (a magic value) and
// returns the error a forced failure or coded unknown answers.
func NewCall(c echo.Context, op, tenant string, d scenario.Decision, now time.Time, clk clock.Clock, env Envelope,
	apply func(c *Call, magic func() (scenario.Decision, bool)) error) *Call {
	return &Call{Context: c, Operation: op, Tenant: tenant, Decision: d, Now: now, Clock: clk, Envelope: env, apply: apply}
}

// Handled reports whether the handler was made by api.Handle or api.Plain, so
// the engine can tell (and still serve) one that bypassed both.
func (c *Call) Handled() bool { return c.handled }

// Apply runs the engine's decision step once; magic is consulted only when
// neither a header nor a scenario decided. Handlers do not call it: Handle and
// Plain do.
func (c *Call) Apply(magic func() (scenario.Decision, bool)) error {
	if c.applied {
		return nil
	}
	c.applied = true
	if c.apply == nil {
		return nil
	}
	return c.apply(c, magic)
}

// OK writes v as the route's success reply.
func (c *Call) OK(status int, v any) error {
	if status == 0 {
		status = 200
	}
	return c.Envelope.OK(c, status, v)
}

// Op is one operation in two phases, so validation always runs before a forced
// outcome: Parse reads and validates in the provider's order; the engine then
// applies the decision (header > scenario > Magic > default); Run acts.
type Op[Req, Res any] struct {
	// Parse reads and validates the request; its error is answered as is, whatever
	// the scenario says.
	Parse func(c *Call) (Req, error)
	// Magic, optional, maps a request to the decision its magic value stands for
	// (a test amount, key or card). It is consulted only when neither a header
	// nor a scenario decided.
	Magic func(c *Call, r Req) (scenario.Decision, bool)
	// Run acts on the final c.Decision: a success, an unknown that names no code
	// (settle with c.Decision.Commits / VisibleAt), or a code in Outcomes.InReply.
	Run func(c *Call, r Req) (Res, error)
	// Status is the success status; 0 is 200.
	Status int
}

// Written is a Run result meaning the reply is already written (a redirect, a
// page, a body only the handler can shape): Handle writes nothing more.
type Written struct{}

// Writes makes an Op's Run of fn, which writes its own reply (a page, a
// redirect, a body shaped outside the envelope) and returns only an error.
func Writes[Req any](fn func(c *Call, r Req) error) func(*Call, Req) (Written, error) {
	return func(c *Call, r Req) (Written, error) { return Written{}, fn(c, r) }
}

// Handle makes the route handler of op.
func Handle[Req, Res any](op Op[Req, Res]) func(*Call) error {
	return func(c *Call) error {
		c.handled = true
		r, err := op.Parse(c)
		if err != nil {
			return err
		}
		var magic func() (scenario.Decision, bool)
		if op.Magic != nil {
			magic = func() (scenario.Decision, bool) { return op.Magic(c, r) }
		}
		if err := c.Apply(magic); err != nil {
			return err
		}
		res, err := op.Run(c, r)
		if err != nil {
			return err
		}
		if _, done := any(res).(Written); done {
			return nil
		}
		return c.OK(op.Status, res)
	}
}

// Plain makes the route handler of fn, which reads nothing that must be
// validated before a forced outcome: the decision is applied first.
func Plain(fn func(c *Call) error) func(*Call) error {
	return func(c *Call) error {
		c.handled = true
		if err := c.Apply(nil); err != nil {
			return err
		}
		return fn(c)
	}
}

// Context keys the app and providers share through echo.Context.
const (
	KeyTrackID  = "sandbank.track_id"  // set by handlers; the journal indexes it
	KeyMount    = "sandbank.mount"     // the path segment the request named its host by, if it did
	KeyHostPath = "sandbank.host_path" // the path below the host's root, as routed
)

// HostPath is the request's path below its host's root ("/v3/business"),
// whichever way the request reached the host.
func HostPath(c echo.Context) string {
	if s, ok := c.Get(KeyHostPath).(string); ok {
		return s
	}
	return c.Request().URL.Path
}

// Prefixed is an Envelope chosen by the request's HostPath: the longest
// matching prefix of byPrefix, else def. It gives one host several families
// (a Laravel /v3/ and a legacy /v2/ family), each with its own not-found and
// error shape, without a switch inside one renderer.
func Prefixed(def Envelope, byPrefix map[string]Envelope) Envelope {
	return prefixed{def: def, by: byPrefix}
}

type prefixed struct {
	def Envelope
	by  map[string]Envelope
}

func (p prefixed) pick(c echo.Context) Envelope {
	path, best, env := HostPath(c), -1, p.def
	for pre, e := range p.by {
		if len(pre) > best && strings.HasPrefix(path, pre) {
			best, env = len(pre), e
		}
	}
	return env
}

func (p prefixed) OK(c echo.Context, status int, v any) error  { return p.pick(c).OK(c, status, v) }
func (p prefixed) Err(c echo.Context, e *envelope.Error) error { return p.pick(c).Err(c, e) }

// SetTrackID records the provider's request id for the journal.
func (c *Call) SetTrackID(id string) { c.Set(KeyTrackID, id) }

// TrackID is the request id recorded so far, for renderers that echo it.
func TrackID(c echo.Context) string {
	s, _ := c.Get(KeyTrackID).(string)
	return s
}

// Base is the absolute URL (scheme, host, mount) the request came in by, with no
// trailing slash, for links and redirects the provider generates.
// It is built here, when a provider asks, not for every request.
func Base(c echo.Context) string {
	if seg, ok := c.Get(KeyMount).(string); ok {
		return c.Scheme() + "://" + c.Request().Host + "/" + seg
	}
	return c.Scheme() + "://" + c.Request().Host
}

// Deps is what the app gives each provider when it is made.
type Deps struct {
	Clock clock.Clock
	Store *store.Store
	Seed  int64
	// IDSeed seeds streams of fresh ids (codes, tokens, track ids); 0 means Seed.
	// It differs from Seed after a --data-dir restart, so that ids drawn after it
	// do not repeat the stored ones. Data derived from an input (a persona from a
	// national id) keeps using Seed, and stays the same across restarts.
	IDSeed int64
	Strict bool // accept only credentials declared in Config
	// Retention is how long, in virtual time, a provider keeps a finished record
	// (a delivered message, a settled transfer) after its creation; 0 keeps them
	// all. --retention; the provider applies it as the clock moves.
	Retention time.Duration
	Fixtures  fs.FS                // shipped fixtures, or --fixtures DIR
	Config    func(into any) error // decodes the provider's section of the config file; nil section is no error
	Log       *slog.Logger
	// Scheduler runs callbacks when the virtual clock reaches their time (on every
	// request and every clock move): status changes and notices a provider owes
	// later. Add(key, due, fn) replaces a pending item with the same key.
	Scheduler *lifecycle.Scheduler
	// Webhooks sends the provider's outbound callbacks (notify_url) at a virtual
	// time, off the request path, retried and journaled; see package webhook. A
	// harness that sets none gets webhook.ErrOff from Send, not a panic.
	Webhooks *webhook.Sender
}

// Require reports what a provider cannot run without: a store and a clock.
func (d Deps) Require(provider string) error {
	switch {
	case d.Store == nil:
		return fmt.Errorf("%s: no store", provider)
	case d.Clock == nil:
		return fmt.Errorf("%s: no clock", provider)
	}
	return nil
}

// FreshSeed is the seed for streams of fresh ids: IDSeed, or Seed when unset.
func (d Deps) FreshSeed() int64 {
	if d.IDSeed != 0 {
		return d.IDSeed
	}
	return d.Seed
}

// MainHost is the name of p's main host.
func MainHost(p Provider) string {
	if hs := p.Hosts(); len(hs) > 0 {
		return hs[0].Name
	}
	return ""
}

// JSON writes v as the provider's JSON body. HTML escaping is off because none of
// the real services is a Go program: they send "<", ">" and "&" (redirect URLs,
// Persian texts) as they are, and clients compare those strings.
func JSON(c echo.Context, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	// The charset parameter is what the providers send (and clients may compare
	// the header); echo's constant for it is deprecated, so it is spelt here.
	return c.Blob(status, "application/json; charset=UTF-8", buf.Bytes())
}
