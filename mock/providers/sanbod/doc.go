// Package sanbod simulates the Sanbod open-banking gateway (api.sanbod.co): the
// authorization-code dance with a bank login and consent page, the token endpoint,
// revoke, and the HTTP side of every bank service. The banking world behind the
// services (users, deposits, ledger, PAYA/SATNA status machines, conversions) is
// package bank; this package decodes, authorizes, calls it and wraps the answer.
// Facts are in docs/reference/sanbod.md (a bare § number in this package is a
// section of that file) and Sanbod's OAuth and services documentation; this
// comment records what had to be chosen where they are silent.
//
// # Documented (Sanbod's documentation, the public doc page, the Go and PHP clients)
//
// Base URL https://api.sanbod.co; POST /oautht/v1/authorize with a JSON body
// {provider_code, redirect_uri, scope[], client_id, response_type:"code", state}
// answering 302 to the bank's login page; test user ela / 1234 with any valid
// national code; the user's deposits 119-813-218257-4 and -5; POST /oauth/v1/token
// with HTTP Basic for client_credentials (scope[], provider_code 999),
// authorization_code (code) and refresh_token; POST /oauth/v1/revoke with the
// access token in the body and no client auth (form-encoded from the Go SDK, JSON
// in the documentation); HS256 JWTs whose header carries typ, alg, type (access|refresh),
// grant_type (AC|CC) and environment, and whose claims are uuid, iat, exp (float
// seconds), private (a Fernet token), scope, app_id, deposits, limitations,
// consent_tracking_uuid, trace_id, application_name; ?traceid= on every call;
// Authorization: Bearer; the service paths of the public clients (§3.1); the
// success envelope {"error":false,"message":…,"result_number":n}; the one known
// error body {"error":true,"message":{"scope":["…"]},"result_number":…} with HTTP
// >= 400. Access tokens live 3600 s and refresh tokens one Gregorian year
// (31,556,952 s): the documentation's example tokens say so.
//
// # Inferred (configurable where it could matter; providers.sanbod in the config)
//
//   - Both /oautht/v1/authorize and /oauth/v1/authorize are served, alike; both
//     also answer GET with the parameters in the query, for browsers.
//     provider_code must be a bank of the IBAN table (999 is refused: no bank,
//     no login page); scope must be non-empty AC scopes; response_type "code";
//     redirect_uri an absolute http(s) URL (a declared client may register its
//     callbacks, the first is used when none is sent); state a number or string,
//     echoed as sent. Every bad field is reported at once, as a serializer would.
//     Basic auth is optional; when sent it must be the same client's.
//   - traceid: required on every API call, any non-empty string (config
//     traceid_required: false relaxes it), except refresh and revoke, which the
//     seed writes without one. It is echoed in every JSON answer as "traceid"
//     and as "trace_id". "traceid" is a JSON number when the traceid is digits
//     (the AC-service examples end "traceid": 123; up to 15 digits without a
//     leading zero, so it parses back exactly), else the string sent; "trace_id"
//     is always the string sent, as the conversion examples show it (a UUID
//     string) and as the Go SDK declares it. The login and consent pages are
//     browser pages and take none.
//   - The documentation's "Get AC Token" posts {"code", "grant_type":
//     "authorization_code"} with Basic auth to the authorize URL itself; a body
//     there with a grant_type and no response_type is served as the token call
//     (journaled as sanbod.authorize), so both that and /oauth/v1/token work.
//   - Errors: codes and Persian texts are ours (Sanbod publishes none); the field
//     key is the offending field, "detail" for problems of no field. Status by
//     case (config statuses): token 401, scope and wrong grant 403, validation 400,
//     business (bank codes) 400, bad client credentials 401 under "client";
//     unknown path 404, wrong method 405, body over the limit 413, unreadable or
//     non-object JSON 400 under "detail", a panic 503 under "detail" ("bank
//     unavailable, retry") so no input earns a 500. result_number is 0.
//   - The login page is GET/POST /oauth/v1/login/{session} (username, password,
//     national_code), the consent page GET/POST /oauth/v1/consent/{session}
//     (action=approve with deposits=… checkboxes, or action=deny); both are plain
//     RTL HTML forms that work with curl -d, branded with the bank's Persian name
//     and a colour per bank code. The login page shows the test login as a hint
//     (as Finnotech's does) and takes Persian digits; the consent page lists the
//     scopes, the deposits (IBAN, owner, balance with thousands separators) and
//     their cards, since the documentation says the user confirms services, deposits and
//     cards there. A wrong login shows the form again (200) with
//     the bank's Persian error; approving with no deposit ticked shows the form
//     again. Approve → 302 redirect_uri?code=…&state=…; deny →
//     ?error=access_denied&state=…. Consent sessions live 15 minutes (consent_ttl).
//   - Codes are 16 alphanumerics (the shared oauth package; the documentation's example
//     code is a UUID, and clients treat codes as opaque), single-use, 10 minutes
//     (code_ttl). The exchange may send redirect_uri; when sent it must equal the
//     authorized one, when absent it is not checked (the documentation sends none). A code
//     is bound to the client it was issued to.
//   - Token answer: {access_token, refresh_token, token_type:"Bearer",
//     expires_in, scope (the array), traceid, trace_id}. Refresh rotates: the
//     refresh token presented is spent, a new pair is issued for the same grant,
//     access tokens already out live on until they expire. The JWT header's
//     environment is "PRODUCTION" as in the documentation (config environment). "private"
//     is a real Fernet token over a seed-derived key, carrying the bank and
//     national code of an AC grant (the service side reads the bank from it);
//     "limitations" is {} and consent_tracking_uuid is null for CC tokens;
//     app_id is derived from the seed and client id unless declared.
//   - Revoke takes access_token (or token, RFC 7009's name) from JSON or a form,
//     revokes any token this server issued (access or refresh, expired too) and
//     answers {"error":false,"message":"…","result_number":1}; an unknown token
//     is 400 under access_token. A revoked token then fails with 401. Revoking
//     a token revokes the token issued with it in the same answer: an access
//     token's refresh token no longer refreshes (400 under refresh_token), a
//     refresh token's access token is 401. Sanbod's docs and Go SDK do not say;
//     RFC 7009 §2.1 lets a server do it and a refresh token that outlived the
//     revoke would mint the grant back. Pairs from earlier refreshes are their
//     own and live on. Both rows change under their locks in one step.
//   - Clients: outside strict mode any client id with a non-empty secret gets
//     tokens; declared clients (config clients) must send their secret, and in
//     strict mode only they are accepted.
//   - Services: every service is POST with a JSON body. AC services (statement,
//     normaltransfer, achtransfer, achreport, rtgstransfer, rtgsreport) have no
//     known path, so they are served under every configured prefix —
//     /banks/v1/<svc> (main), /sanboom/v1/banks/<svc> and the documentation's bare
//     /<svc> by default (service_prefixes). The conversions keep the public
//     clients' paths and are also served under the prefixes; the identity and
//     personal-inquiry services only at the clients' paths. Every path of a
//     service is one operation (the others are route aliases), so a scenario
//     naming sanbod.achtransfer applies on every path; the journal's path field
//     shows which one a client uses.
//   - Enforcement: Bearer scheme case-insensitive; a missing, malformed, expired
//     (virtual clock), revoked or refresh token is 401 under "token"; the AC
//     services need an AC token with the service's scope, the others a CC token
//     with theirs, else 403 under "scope". personal also opens with
//     personalinquiry or citizenshipverification, personalwithimage with
//     personalimage or personalimageinquiry (the names the clients request). The
//     deposits an AC token was consented for travel to the bank, which refuses any
//     other source deposit; the bank also receives the token's bank code.
//   - Control plane: GET /_sandbox/sanbod/consents, POST
//     /_sandbox/sanbod/consents/{id}/approve (optional {"user",
//     "national_code", "deposits"}; user is informational, the national code
//     defaults to 0012345679 and the deposits to all offered ones) and
//     /deny answer {"redirect": url}; GET /_sandbox/sanbod/tokens lists tokens.
//   - Reset: per tenant drops the bank state and the client's tokens; codes and
//     consent sessions are not kept per tenant and go only with a full reset.
package sanbod
