// Package paynet simulates Paynet's stored-card API ("Kart Saklama",
// api.paynet.com.tr and the test host pts-api.paynet.com.tr) closely enough that
// Paynet clients work against it unchanged. The facts it follows are in
// docs/reference/paynet.md and the official card/list sample; this comment
// records what had to be chosen or inferred where the sources are silent.
//
// # Wire
//
// Every service is a JSON POST under /v1/card/ at the host root: save, list,
// delete, desc_update, send_otp, check_otp. Both hosts and the /paynet alias
// serve the same state (live and test behave identically). A wrong method is 405
// and an unknown path 404, both as Paynet's error object. Paths are
// case-sensitive (the real ASP.NET service probably is not).
//
// HTTP 200 bodies carry object_name, code (0 success) and message; any other
// status carries {"type","message","code","result_code"} with code equal to the
// HTTP status. Which return codes travel how (errors.go): 7 unauthorized is 401,
// 2 companyblocked and 3 agentblocked 403 (authorization_error); 11 badrequest
// is 400 (invalid_request_error); 8 servererror is 500 (api_error); every other
// code is a business outcome in the 200 envelope. 12 nodata is the envelope by
// default and 404 no_data_error with `nodata: http404`. The return-code names are
// documented, their texts are not: the Turkish messages are sandbank's. Success
// messages are "Başarılı İşlem", except card/list whose official sample answers
// message null. object_name is card_<service> (card_save, card_list,
// card_delete, card_desc_update, card_send_otp, card_check_otp); only card_list,
// card_save and card_send_otp are seen in sources. JSON is written without HTML
// escaping.
//
// Raised outside a handler: an unknown path is 404 with result_code 9
// (notimplemented: Paynet has no such service), a wrong method 405 with 11, an
// unreadable or oversized body 400 with 11, a panic 500 api_error with 8. Nothing
// a client sends produces a bare 500.
//
// # Auth and tenants
//
// "Authorization: Basic <secret_key>" with the raw key, as the docs and the SDK
// send it; base64 of "key:" (real HTTP Basic) is accepted too. The secret key is
// the tenant: all state (owners, cards, OTP sessions) is per key. A missing
// header, another scheme, a key with spaces or control characters or over 256
// characters, or a revoked key answers 401 authorization_error, result_code 7.
// Outside strict mode any other key is a merchant with the fixture defaults;
// strict mode accepts only keys declared in the fixtures or the config (still
// minus revoked ones). Magic keys in fixtures/paynet.yaml: sck_sandbank_revoked
// and sck_sandbank_wrong (401/7), sck_sandbank_company_blocked (403/2),
// sck_sandbank_agent_blocked (403/3), sck_sandbank_agent_not_found (200/4),
// sck_sandbank_server_error (500/8), sck_sandbank_otp_required (save needs OTP),
// sck_sandbank_10031 (company_code 10031 as in the official sample). A merchant's
// failure code is applied in the handler after the scenario decision, so
// scenarios and headers win. The IP allow-list is not simulated.
//
// # Request bodies
//
// The body must be one JSON object: empty, not an object, malformed or followed
// by more data is 11. As ASP.NET's binder does, names match case-insensitively
// and numbers and strings convert into each other ("limit":"10", "expire_month":
// 12); an object, array or boolean where a scalar belongs is 11. A blank string
// counts as absent; a required field absent is 11. Strings over 256 characters
// are 11. Values are kept as sent (the documented desc_update sample ends in a
// space).
//
// # Cards
//
// save validates in this order: body shape and required fields (card_desc,
// card_holder, card_number, expire_month, expire_year, and user_unique_id or
// card_owner_id) 11; user_gsm format 11; OTP required by the merchant but no
// otp_session_id 11; the scenario; the merchant's code; card data 18 (12-19
// digits after dropping spaces and dashes, Luhn, a Visa/Mastercard/Amex/Troy
// prefix, month 1-12, year YY or YYYY, not expired in Turkish time on the
// virtual clock, cvv 3-4 digits when sent); an unknown card_owner_id 12; the OTP
// session (below); magic test cards; and last, under the owner's lock, the
// duplicate check: the same number already live for the owner is 5
// (duplicatedata), so parallel saves of one card give exactly one save. The
// first save of a user_unique_id issues card_owner_id, later saves with the same
// user_unique_id reuse it; when both ids are sent card_owner_id wins. Ids are
// GUIDs (the documented examples are) derived from the seed, the key, the
// user_unique_id and, for card_hash, the owner, the number and how many times it
// was saved before, so the same requests give the same ids and a card deleted
// and saved again gets a new hash. The number is not stored, only a fingerprint.
// No 1 TL pre-authorisation is simulated; magic cards stand in for its failures.
//
// The BIN table (fixtures) gives card_bank_id, card_bank_name (the programme:
// Axess, Bonus, WorldCard, Maximum, CardFinans, Paraf...), card_type (bc, cc,
// dc) and the brand (VISA, MASTERCARD, AMEX, TROY); a BIN outside it is ZDGR
// "Diğer Banka", cc, brand from the prefix. card_no is the first 6 and last 4
// digits with eight stars between, as the official sample shows for a 16-digit
// number (`card_no_mask: length` puts one star per hidden digit as the SDK
// fixtures do). card_holder is answered masked keeping two letters at each end
// (RQ*****QR). card_logo_url is <base>/img/banklogo/small/<bank_id>.png where
// base is the request's own mount or `logo_base`, as in the official sample;
// sandbank serves a drawn PNG badge there (GET, no credential, operation
// paynet.bankLogo) so the URL answers. save answers the SDK fixture's fields plus card_bank_id.
//
// list answers exactly the official sample's shape: total, total_count, limit,
// ending_before, starting_after, has_more, the capital-D Data array, object_name,
// code, message (null). The owner's live cards are numbered from 1 in saving
// order. starting_after S answers cards S+1..S+limit; ending_before E answers
// E-limit..E-1 (the documented "90 and 15 → 75..90"); 0 means unset and both set
// is 11. limit defaults to 10. total is the size of the page, total_count the
// owner's live cards (the official sample's 1 and 2 cannot both hold otherwise);
// has_more says whether cards remain beyond the page in the direction of travel.
// An owner with no live cards answers an empty Data with code 0; an unknown owner
// is 12. expire_month/expire_year are 0 as the official sample shows
// (`list_expiry: true` answers the stored ints). company_code and agent_id are the
// merchant's: declared, or five digits derived from the key.
//
// delete puts the deletion mark on the card (soft delete): it leaves the list
// at once and another delete or desc_update of it is 12. desc_update changes
// card_desc. Both answer the bare envelope.
//
// # OTP
//
// send_otp (user_gsm 5XXXXXXXXX, also accepted as 05…, 905…, +905…; and
// otp_session_id) issues a 6-digit code derived from the seed, the key, the
// session and the send count; it lives otp_ttl (3m) and otp_expire is in the
// SDK fixture's .NET form with +03:00. Sending again for a session replaces the
// code. GET /_sandbox/paynet/otp?otp_session_id=…|user_gsm=… shows it. check_otp:
// unknown session 12; other number, used session, expired or wrong code 1
// (unsuccessful: no source names a code); wrong codes may be retried until
// expiry. A save that sends otp_session_id consumes the session: it must be
// verified by check_otp or carry its live otp_code (else 1); a used session is 1.
// For sck_sandbank_otp_required (or `otp_required: true`) save without
// otp_session_id is 11.
//
// # Scenarios
//
// Every operation is an api.Op: the body's shape is judged first (a malformed
// request is 11 whatever the scenario says), then the engine answers a forced
// code as the catalogue says with nothing changed; a blocked merchant key is the
// operations' magic value, below headers and scenarios. Forcing 100 (oldsuccessful) runs the
// call and answers its normal body with code 100, which the SDK treats as
// success. Paynet has no in-doubt code: an unknown outcome runs the call and the
// app loses the reply (502 by default). A change that settles as failed is not
// applied; a save that settles as success shows in card/list from its settle
// time on, and a retry of it is 5 at once.
package paynet
