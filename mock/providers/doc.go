// Package providers holds the simulated upstreams, one subpackage each. This file
// is the guide to adding one; it has no code.
//
// # The reference provider
//
// Copy paynet (mock/providers/paynet): it is the smallest, every one of its
// operations is an api.Op, it has one host with an alias host, a per-route
// envelope (Paynet names each reply's object_name after the operation), a
// code answered inside the normal reply (100), a magic value as an Op.Magic,
// in-doubt settling through the decision helpers, and both test harnesses.
// kavenegar shows a root prefix and lifecycle plans; finnotech a second envelope
// shape for business failures; sanbod an operation that needs its own handling.
//
// # Files
//
//	doc.go       what the provider simulates and what is inferred, citing the
//	             provider's public documentation by URL or title
//	provider.go  type Provider, New(api.Deps), Name, Hosts, RootPrefixes, Errors
//	routes.go    Routes: one line per operation
//	errors.go    the catalogue (envelope.Catalogue), envelope.Raised, and the
//	             envelope types (api.Envelope)
//	params.go    reading the request body (the shared decoder once mock/form lands)
//	<resource>.go  one file per resource or product: its Ops
//	admin.go     control-plane routes under /_sandbox/<name> (optional)
//	config.go    the provider's section of the config file and its fixtures
//	fixtures/<name>.yaml   published test data: keys, cards, magic values
//	openapi/<name>.yaml    the OpenAPI document; its operationIds are the routes'
//	*_test.go, testdata/   tests and golden replies
//
// Register the provider in mock/app (standard, one line). The engine checks the
// wiring at start-up: every host has an envelope, every route's host exists,
// every outcome code is in the catalogue, no operation or mount is declared twice.
//
// # Hosts and envelopes
//
// Hosts returns api.Host values, the main host first. Each host is its own route
// namespace: a path registered on one does not answer on another, and each
// answers what no route takes (404, 405, a body too large or unreadable, a panic)
// in its own api.Host.Envelope. Host.Aliases are other names of the same
// namespace: short path-prefix mounts ("paynet" → /paynet/...) and other real
// host names that serve the same paths (a test host). The provider's Name also
// mounts its main host. A request reaches a host by its Host header (with or
// without .localhost), by a /<host-or-alias>/ path prefix, or by a root prefix the
// provider claims (RootPrefixes, for SDKs that drop the base URL's path).
//
// An api.Envelope is a response family: OK writes a success, Err an error. A
// route names its host with Route.Host (empty: the main host) and may name its
// own Route.Envelope (nil: its host's); so a provider with several success and
// error shapes gives each group of routes its envelope, and each host its own
// not-found shape. Inside Err, envelope.Catalogue.Resolve(e, raised) gives the
// code, status and message to write: a kind the engine raised is answered as the
// provider's envelope.Raised table says, a provider error keeps what it was built
// with and takes the rest from its catalogue entry. api.JSONEnvelope wraps an
// error writer whose successes are plain JSON.
//
// # Routes
//
// An api.Route declares the operation ("paynet.cardSave": the scenario key, the
// journal label and the OpenAPI operationId), its methods, path and aliases, host
// and envelope, and:
//
//   - Auth: names the tenant or answers the provider's error, before anything
//     else runs. TrackID, when set, names the request's id before auth so even
//     an auth error echoes it.
//   - Handler: api.Handle(op) for an operation, pages and redirects included
//     (their Parse checks the session or query they name; api.Writes adapts a
//     Run that writes its own reply); api.Plain(fn) only for a route that reads
//     nothing before the decision applies (Kavenegar's utils/getdate, Paynet's
//     bank logos, which allow no forced outcome), with a comment saying so.
//   - Outcomes: what a scenario may ask of the route: Failures and Unknown (codes
//     from the catalogue), Statuses and AtKeywords (a lifecycle), UnknownFault
//     (what an in-doubt answer without code does to the reply; timeout if empty),
//     and InReply: failure or unknown codes the operation answers inside its own
//     reply rather than as an error (Finnotech's result codes in a DONE body,
//     Paynet's 100). An operation that needs the decision for anything else says
//     why in one comment (sanbod's transfers).
//
// # Operations, outcomes and magic values
//
// An api.Op has two phases. Parse reads and validates the request in the
// provider's order and returns a typed request; its error is answered whatever a
// scenario says. Then the engine decides, once for every route, with the
// precedence header (X-Sandbank-Outcome) > scenario rule > magic value > default:
// Magic, when set, maps the request to the decision its magic value stands for (a
// test amount, key or card) and is consulted only when neither header nor
// scenario decided. A failure, or an unknown that names a code, is answered from
// the catalogue, with nothing changed, unless the code is in Outcomes.InReply.
// Run then acts on the final c.Decision and returns the reply the route's
// envelope writes (api.Written when Run wrote it itself). Run never checks for a
// forced failure: it only sees successes, unknowns without code (the request went
// through, the reply will be lost or late), and in-reply codes.
//
// For in-doubt calls, scenario.Decision says what happened: Commits() is false
// when the call settles as failed (answer as usual, change nothing);
// VisibleAt(start) is when a change becomes visible to reads; SettledAt(start,
// now) is what an inquiry sees later. A magic value that must apply after checks
// only Run can make (Paynet's magic cards, after the owner and OTP) is guarded by
// !c.Decision.Decided(), which keeps the same precedence.
//
// # Timelines
//
// A resource with a status machine stores a lifecycle.Plan built at creation with
// lifecycle.Build(start, specs, resolver): the specs are the scenario's
// c.Decision.Timeline() when it names one, else the provider's default; the
// resolver turns the provider's keywords (Outcomes.AtKeywords, "next-cycle")
// into times. The status is read from the plan at the virtual time of each read,
// so nothing runs in the background.
//
// # Webhooks
//
// A provider that calls its clients back (a notify_url) uses deps.Webhooks, the
// outbound sender of mock/webhook: Send(webhook.Delivery{Provider, Tenant,
// Operation, URL, Body, ContentType, Headers, Due, Sign}). The delivery goes out
// when the virtual clock reaches Due, off the request path; it is retried with
// backoff on the virtual clock, bounded in time, journaled as an outbound
// exchange, listed at GET /_sandbox/webhooks and resent by POST
// /_sandbox/webhooks/{id}/resend. Sign adds the provider's signature (an HMAC
// header) on every attempt. deps.Scheduler runs any other callback when the
// clock reaches its time.
//
// # Tests
//
// In the provider's own package, mock/api/apitest serves the provider through the
// same pipeline as the app (apitest.Serve, with a test clock and Decide for the
// next request's decision; faults are not applied) for handler and golden tests
// (apitest.Golden, rewritten with -update). From outside, mock/sandbanktest runs
// the whole app: scenarios, faults, journal, control plane (srv.Admin), and
// srv.Client(), which answers the provider's real https:// URLs in memory, so a
// test can hand it to the provider's own SDK. Every provider has a test that a
// header success and a header failure:CODE beat a magic value, a scenario beats
// it, and it beats the default (precedence_test.go).
package providers
