// Package kavenegar simulates the Kavenegar SMS REST API (api.kavenegar.com) closely
// enough that the official SDKs work against it unchanged. The facts it follows are
// in docs/reference/kavenegar.md (a bare § number in this package is a section of
// that file); this comment records what had to be chosen or
// inferred where the sources are silent or disagree.
//
// # Wire
//
// Every method is /v1/{apikey}/{scope}/{method}.json, served for GET and POST; the
// app strips one trailing slash (the PHP SDK adds one) and also mounts /v1/ at the
// server root, because the Go SDK resolves absolute paths and drops any base-URL
// prefix. Only the json format is served: {method}.xml, like any unknown scope or
// method, falls to the catch-all route and answers 404. The catch-all accepts any
// key, so an unknown method is 404 even with a bad key.
//
// Every reply, success or error, is {"return":{"status","message"},"entries"} with
// the HTTP status equal to return.status, raw non-standard numbers (418, 431, 432)
// included; errors carry entries null. JSON is written without HTML escaping. The
// Persian return messages are the texts public client code agrees on; the status
// texts for 1 and 5 are the ones in official samples, the others the short forms
// client code uses.
//
// Errors the app raises outside a handler map to: no route 404, wrong HTTP method
// 405, body over the limit 414, unreadable body 400, panic or internal failure 409
// ("cannot answer now, retry later"), not 402: 402 would tell a client its request
// was judged and refused.
//
// # Parameters
//
// Query and body are merged and body values win. Names are lower-cased and PHP
// brackets dropped (Token2, receptor[]). The form decoder never fails: it decodes +,
// %XX and .NET's %uXXXX (surrogate pairs joined) and keeps bad escapes literally,
// because .NET posts some bodies unencoded. A JSON object body is accepted too. A
// list is a JSON array, a comma string, or the parameter repeated; message texts of
// sendarray split only as a JSON array, because texts contain commas. Aliases:
// localid / localmessageid / localmessageids, enddate / endate, mcistartindex /
// mcistartind, mtnstartindex / mtnstartind, debugmode / debug. The lookup type is
// case-insensitive (Sms, CALL).
//
// A required parameter that is absent is 400 ("parameters incomplete"); present but
// empty is 406. Optional parameters sent empty count as absent, since the Go SDK
// sends every field of its parameter structs. account/config treats an empty value
// as "leave unchanged" for the same reason. The Go SDK's Status, Select and Cancel
// send no messageid at all and so get 400, as they would from the real service.
//
// # Keys and accounts
//
// The API key is the tenant. Key 0 is good only for utils/getdate, which accepts any
// key. Outside strict mode any key matching ^[A-Za-z0-9+/=_.-]{1,128}$ gets an
// account on first use from the fixture defaults: 10,000,000 Rials, type master,
// lines 10004346, 2000500666 and 0018018949161 (restricted: 427), default sender
// 10004346, expiredate one year after first use on the virtual clock. Strict mode
// accepts only declared keys (config accounts and the fixture magic keys). Magic
// keys (disabled 401, IP 416/429, rate 451, no credit 418, no advanced service 426,
// test account 501, link restriction 420, no report access 407) are checked in the
// handler, after the scenario decision, so scenarios and header overrides win.
//
// # Validation order
//
// Sends check, in order: 400/406 required parameters, 419 array lengths
// (sendarray), 414 more than 200 receptors, 411 any receptor not an Iranian mobile
// (09…, 9…, 989…, +989…, 00989…, Persian digits; one bad number fails the whole
// call), 413 empty or over 900 characters, 422 invalid UTF-8 or control characters
// other than line breaks and tab, 420 links, 412 sender not a line of the account,
// 427 restricted line, 417 date not a Unix integer or more than a minute in the
// past (0 means now, as .NET sends), 501 test account, 418 credit. Status-like
// calls allow 500 ids (414). Unknown, non-numeric or another key's ids answer
// status 100 per entry rather than failing the call.
//
// verify/lookup checks 426, then receptor (one number; a comma is 411), 424
// unknown or unapproved template (or a template restricted to the other type),
// type other than sms/call 422, 431 token rule, 428 type=call with a non-digit
// token, 432 template without %token. The 431 rule (no source states it exactly):
// token, token2 and token3 may hold no space, line break, tab, control or
// zero-width character, underscore or other Unicode separator, and at most 100
// characters; token10 may hold up to 5 plain spaces and token20 up to 8.
//
// # Money
//
// Prices are per part, from the fixtures: 120 Rials for a UCS-2 part, 260 for a
// GSM-7 part, 600 for a voice call. A text is GSM-7 when every character is in the
// GSM 03.38 alphabet (extension characters count two septets): 160 single, 153 per
// part; otherwise UCS-2 (code units): 70 single, 67 per part. A call is charged for
// all its messages in one atomic update of the account row, so it is all or nothing
// (418) and parallel sends can neither overdraw nor lose a decrement. Statuses 13
// and 14 refund the cost; 6 does not (it is the operator's failure), except when it
// ends an in-doubt send that settled as failed. Refunds fall due at the step's
// time and are paid by whichever request next touches the account (a sweep guarded
// by the message's Refunded flag, so each refund is paid once).
//
// # Message lifecycle
//
// Status is computed on read from a plan fixed at send time; nothing runs in the
// background. Default: 1 queued, 5 sent to telecom after timings.to_telecom (2s),
// 10 delivered after timings.final (10s). A future date adds 2 scheduled until that
// date and the plan starts there. verify/lookup starts at 5, as the README sample
// shows. Magic receptors end 6 (at the telecom step), 11 or 14 instead of 10. A
// scenario timeline replaces the plan (durations from the send); a plan that cannot
// be built falls back to the default and says why in X-Sandbank-Error. Cancel
// succeeds while a message is 1 or 2: the plan ends 13 at that moment and the cost
// is refunded; otherwise the entry carries the current status and nothing changes.
// A repeated localid sends nothing and answers the earlier message (checked before
// charging, not under a lock: two concurrent first uses of one localid both send).
//
// # Scenarios
//
// Sends, lookup, maketts, cancel and account/config are two-phase operations
// (api.Op): the request is judged first, then the engine answers a forced failure
// (catalogue code, nothing changed). A magic key (disabled, IP-blocked, a fixed
// code) applies only when neither a header nor a scenario decided.
// An in-doubt send is performed and answered normally (the app then loses the reply,
// 502 by default); when it settles as failed the message turns 6 at the settle time
// and its cost is refunded then. An in-doubt cancel or config change that settles
// as failed is simply not applied. Kavenegar has no in-doubt code.
//
// # Other methods
//
// account/info ignores all parameters (the Go SDK's Config posts there). utils/getdate
// answers the virtual time in UTC: the documented sample's hour 13 with unixtime
// 1338645226 is that instant in UTC (in Tehran it was 18:23). datetime is
// dd/MM/yyyy hh:mm:ss with ق.ظ or ب.ظ: read that way the sample's datetime is the
// same instant (its month and day fields, 1 and 26, match no calendar and are not
// copied). Each account starts with
// inbox_per_line inbound messages per line, drawn with gofakeit seeded from the seed,
// the key, the line and the index; sms/receive with isread=0 returns unread ones and
// marks them read. isread is taken as sent (the Go SDK inverts its own flag).
// countpostalcode answers MCI and MTN sections with counts from the seed;
// sendbypostalcode sends to deterministic numbers of those sections (at most 5,000
// per call, else 414; a start index beyond a section's total is 415).
// selectoutbox, latestoutbox (pagesize default 200, max 500) and countoutbox read the
// real outbox. Message ids are a per-key sequence from an 8-digit base derived from
// the seed and the key, so the same seed and requests give the same ids.
package kavenegar
