// Package finnotech simulates the Finnotech v2 open-banking gateway
// (sandboxapi.finnotech.ir, and the production names apibeta.finnotech.ir and
// api.finnotech.ir that SDKs hard-code) closely enough that finnotechjs,
// pyfinnotech, laravel-finnotech and hand-written clients work against it
// unchanged. Facts follow docs/reference/finnotech.md (a bare § number in this package is a
// section of that file); this
// comment records what is documented there and what sandbank had to choose.
// The banking world behind the services (users, deposits, cards, the ledger,
// every chargeCard result code) is package bank.
//
// # Wire [documented]
//
// Success is {trackId, result, status:"DONE"}; failure is {trackId,
// status:"FAILED", error:{code, message}} (§1.2). Token replies carry responseCode
// FN-BRFH-20000000000 (§1.3, S14); "trackId is duplicated" carries
// FN-BRFH-40001210001 and REQUEST_TIME_OUT FN-BRFH-40801210008; other errors carry
// none, as most documented error bodies do. A chargeCard business failure is HTTP
// 200 with status DONE and result.code (§6.1). inquiryChargeCard puts the inquiry
// under the documented key "inquiry" and, because clients read it there (S12),
// under "result" as well (§6.2). JSON is written without HTML escaping.
//
// The app strips one trailing slash; unknown query parameters (sandbox=true,
// version=2, a leading empty pair), X-Scope-Name and a JSON content type on GET
// are simply ignored; a lower-case authorization header is the same header.
//
// # Error codes [partly inferred]
//
// VALIDATION_ERROR (400), UNAUTHORIZED, REQUEST_TIME_OUT (408) and
// SERVICE_CALL_ERROR (400) are Finnotech's. The generic-errors page was never
// found, so NOT_FOUND (404), METHOD_NOT_ALLOWED (405), REQUEST_TOO_LARGE (413) and
// INTERNAL_SERVER_ERROR (500) are sandbank's names for statuses it must answer. The
// UNAUTHORIZED message is a Persian rendering of the balance page's description
// (the exact text was not captured). Catalogue keys INVALID_TOKEN,
// DUPLICATE_TRACK_ID, ACCOUNT_CONDITIONS, MAX_AMOUNT_EXCEEDED, INVALID_DEPOSIT,
// INVALID_OTP and OTP_EXPIRED go on the wire as VALIDATION_ERROR with their
// documented messages; they exist so a scenario can force one exact body.
// INVALID_CLIENT is UNAUTHORIZED; INVALID_CARD is the card inquiry's "invalid
// card" with responseCode FN-MGFH-40000130125 (the mpg module's invalid card).
// SERVICE_CALL_ERROR is answered in its one documented shape,
// {"result":{"response":null,"status":"FAILED","error":{…}}} with the text
// "Minimum amount is 10000 Rials. ". Every §6.3 result code (A00 … G104) is in the
// catalogue as an HTTP 200 entry: chargeCard, inquiryChargeCard and getValidCard
// answer them inside result; any other route forced to one answers status DONE
// with result {code, message:"Unsuccess", description}.
//
// # Credentials [inferred where marked]
//
// The token, verify/sms and SMS-authorize calls take Basic clientId:secret. Bad or
// missing credentials are HTTP 401 UNAUTHORIZED "invalid client credentials"
// [inferred: the token endpoint's error bodies are not documented]. Outside strict
// mode any client id of URL-safe characters with any secret is an application;
// strict mode accepts only the clients of the config section (Config), whose
// redirect_hosts, when given, restrict redirect_uri. The tenant is the client id.
//
// Services take a Bearer JWT (HS256, key derived from the seed) with the
// documented claims of §2.1/§2.2 plus jti, iat and exp (2024 production tokens
// carry exp). Every token problem (missing, malformed, forged, expired, revoked,
// unknown after a reset) is HTTP 403 VALIDATION_ERROR "invalid token": 403
// because pyfinnotech refreshes and repeats on 403, and exactly that code and
// message because finnotechjs refreshes only on them. A token of another client
// than the path's {clientId}, a missing scope, a client-credentials token on an
// authorization-code service (or the reverse) and a non-062 token on the bon-card
// services are HTTP 403 VALIDATION_ERROR with a message naming the problem
// [inferred: §2.7 says scope denial was never captured; 403 is what clients
// expect of it]. Grants per service follow §2.7. The {deposit} of chargeCard and
// deposit balance must be one of the token's deposits (400 "invalid deposit"); an
// amount above the token's maxAmountPerTransaction is 400 "Max amount per
// transaction limitation exceeded" (0, from an authorize without limit, means no
// limit [inferred]).
//
// # Tokens
//
// One endpoint dispatches on grant_type; fields a grant does not use are
// ignored. lifeTime is milliseconds: 10 days, or 15 minutes for banks 016 and 078
// (§2.2), on the virtual clock; creationDate is Jalali yyyyMMddHHmmss of the
// same instant as iat. Refresh tokens are 256 alphanumerics, never expire [not
// documented] and stay valid after use, since several clients keep refreshing
// with the first one (§2.4); a refresh issues a new pair for the same grant and
// leaves the old access token alive until it expires. Revoke accepts as Bearer a
// client-credentials token of the client or the token being revoked (S11), looks
// the token up by access or refresh value, and kills both halves of the pair.
// The token list shows expired and revoked tokens with active false. Issued
// tokens live once, in a per-client store table (the Finnotech details, expiry and
// revocation), so a reset forgets them and a restored snapshot brings them back.
//
// # Authorization code [partly inferred]
//
// authorize validates in the order of §2.2: client_id, response_type (must be
// code), redirect_uri (absolute http/https), scope (bank and kilid:* side-system
// scopes never mixed), bank (required for bank scopes; one of the ten codes the
// documentation names), limit and count (required and numeric with
// oak:withdrawal-from:execute and oak:block:*). Errors are JSON VALIDATION_ERROR
// bodies, also to a browser. Then 302 to the sandbox bank's login page under the
// same mount (/dev/v2/oauth2/bank/login?session=…): the users are the national
// ids package bank knows (1111111111 … 9999999999 and fixture users), password =
// national id; a wrong login shows the page again (HTTP 200) with a Persian error.
// The consent page lists the scopes and the user's deposits at that bank as
// checkboxes; approve sends the browser to redirect_uri?code=…&state=…, deny to
// redirect_uri?error=access_denied&state=…. A dance must end within 15 minutes
// and a code is single-use and lives 10 minutes [not documented; §8]. Only a
// successful exchange consumes a code. The control plane finishes a dance without
// the pages (/_sandbox/finnotech/consents, …/approve, …/deny).
//
// SMS variant (§2.3): authorize with auth_type=SMS and Basic credentials answers
// {"result":{"smsSent":true,"trackId":…},"status":"DONE"} and puts a 5-character
// alphanumeric password in the outbox (/_sandbox/finnotech/otp); verify/sms turns
// it into a code; the token exchange must come within 3 minutes of the SMS, else
// "Expiration time is exceeded". A wrong password, mobile, national id or trackId
// is "invalid otp or mobile". The token has bank "", deposits [], zero limits and
// lifeTime as a string, as documented.
//
// # trackId (§4)
//
// The query trackId is echoed on success and error, on a path Finnotech does not
// have too (which is journaled like any request); when absent a UUID v4 is
// generated (from the seeded id stream). chargeCard, inquiryChargeCard,
// getValidCard, card/balance and card/statement require one. At most 40
// characters (providers.finnotech.track_id_max_length; 0 = no limit) of
// [A-Za-z0-9-]. A sent trackId is consumed per client across every service once
// the request has passed the gateway (credentials, client, scope, grant) — so a
// request refused for its token does not consume it (pyfinnotech repeats with
// the same id after refreshing) — but a request the service then refuses for its
// body has consumed it [inferred: the duplicate check sits in the gateway, §4].
// A reuse is HTTP 400 VALIDATION_ERROR "trackId is duplicated". A failure forced
// by a header or scenario is answered after the request was judged (every route
// is an api.Op), so, like a body error, it has consumed the trackId. The token and verify/sms calls echo a sent trackId on errors but do not
// consume it (clients that request a token per call would otherwise collide).
package finnotech
