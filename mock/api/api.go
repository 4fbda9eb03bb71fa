// Package api is the contract between the app and the providers: a provider is a
// route table, an error catalogue and a renderer; the app owns everything a request
// passes through on the way (mounting, auth order, scenarios, faults, journal).
package api

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/clock"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Provider is one simulated upstream.
type Provider interface {
	// Name is the short name: the alias mount, the operation-id prefix, the admin
	// path segment.
	Name() string
	// Hosts are the real host names served, the main one first.
	Hosts() []string
	// RootPrefixes are path prefixes the provider also claims at the server root,
	// for SDKs that drop any base-URL path (Kavenegar's Go SDK).
	RootPrefixes() []string
	// Routes is the provider's route table.
	Routes() []Route
	// Admin is the provider's control-plane table, mounted under /_sandbox/<name>.
	Admin() []AdminRoute
	// Errors is the provider's error catalogue: every code a scenario may name.
	Errors() envelope.Catalogue
	// Render writes e in the provider's own envelope and status. It also receives
	// errors the app raises (not found, body too large, panics) by Kind.
	Render(c echo.Context, e *envelope.Error) error
}

// Route is one operation of a provider.
type Route struct {
	Operation string   // "kavenegar.smsSend": OpenAPI operationId, scenario key, journal label
	Methods   []string // HTTP methods served
	Path      string   // Echo path below the host root, e.g. "/v1/:apikey/sms/send.json"
	// Aliases are further paths of the same operation, for providers whose clients
	// reach one service by several paths (Sanbod's /banks/v1/x and bare /x). One
	// operation keeps one scenario key and one journal label whichever path is used.
	Aliases []string
	// Auth names the tenant of the request or rejects it with a provider error. Nil
	// means the route has no credential and runs for tenant "".
	Auth    func(c echo.Context) (tenant string, err error)
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
	// Custom means the handler applies failure and unknown decisions itself (state
	// changes, settle). Otherwise the app answers a failure from the catalogue
	// without calling the handler, and turns an unknown into its fault.
	Custom bool
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
}

// Context keys the app and providers share through echo.Context.
const (
	KeyTrackID = "sandbank.track_id" // set by handlers; the journal indexes it
	KeyBase    = "sandbank.base"     // absolute URL of the mount the request came in by
)

// SetTrackID records the provider's request id for the journal.
func (c *Call) SetTrackID(id string) { c.Set(KeyTrackID, id) }

// TrackID is the request id recorded so far, for renderers that echo it.
func TrackID(c echo.Context) string {
	s, _ := c.Get(KeyTrackID).(string)
	return s
}

// Base is the absolute URL (scheme, host, mount) the request came in by, with no
// trailing slash, for links and redirects the provider generates.
func Base(c echo.Context) string {
	if s, ok := c.Get(KeyBase).(string); ok {
		return s
	}
	return c.Scheme() + "://" + c.Request().Host
}

// Deps is what the app gives each provider when it is made.
type Deps struct {
	Clock    clock.Clock
	Store    *store.Store
	Seed     int64
	Strict   bool                 // accept only credentials declared in Config
	Fixtures fs.FS                // shipped fixtures, or --fixtures DIR
	Config   func(into any) error // decodes the provider's section of the config file; nil section is no error
	Log      *slog.Logger
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
	return c.Blob(status, echo.MIMEApplicationJSONCharsetUTF8, buf.Bytes())
}
