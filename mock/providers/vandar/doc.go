// Package vandar simulates Vandar (vandar.io): the Bearer API at api.vandar.io
// (alias /vandar), the payment gateway and its hosted page at ipg.vandar.io, and
// the batch.vandar.io and subscription.vandar.io hosts that later products fill.
// Facts follow Vandar's public documentation (docs.vandar.io; the earlier site
// kept in github.com/vandarpay/docs with its Postman collection) and the public
// clients vandarpay/cashier, shetabit/multipay and zarbinco/laravel-vandar, as
// compiled in docs/reference/vandar.md: "the reference" below, cited by its
// section numbers (§N). "The seed" is Vandar's Persian API document (the
// endpoint list, the token sample and the Ravand pages) that the reference
// quotes as [SEED]; it wins where sources disagree.
//
// One file per product: auth.go (tokens, refreshtoken, the Bearer and
// :business check), business.go (information, users, balance, the transaction
// report), ipg.go (send, transaction, verify, paying), page.go (the hosted
// page), refund.go, wallet.go (the business wallet in Rials), customers.go,
// customer_fields.go and customer_wallet.go (customers v2, their custom fields
// and wallets; choices in customers.go). routes.go holds the
// table grouped by product; errors.go the catalogue; envelope.go the response
// families A–F of reference §1.4.
//
// # Adding a product
//
// A product (payouts, direct debit, customers, Ravand) is one file (or a few)
// with: its codes, added by an init calling addCodes; its route group, a method
// returning []api.Route added to the list in buildRoutes; handlers as Parse/Run
// pairs wrapped by op(parse, run); its family from envelope.go (A legacy
// status/data, B status/message/result, C Laravel resource collection via
// mock/page, D gateway, E bare object, F Ravand) as Route.Envelope; Bearer auth
// with p.authBusiness() (tenant = the business slug; 401 E1, 404 E8); money with
// p.move(slug, deltaRial, walletMeta{…}, record), which debits or credits the
// wallet and, in record, writes the report row (addRow) with the balance after;
// later state changes on the virtual clock read lazily (see refundAt,
// effective) and notices through p.webhooks.
//
// # Wire [documented]
//
// Bodies are JSON or application/x-www-form-urlencoded (the official Laravel
// client sends forms); the query string counts as input, as in Laravel. Every
// Bearer route answers 401 {"status":0,"error":"Unauthenticated"} (E1) for a
// missing, unknown, expired or replaced token, and 404 {"status":0,"error":"کسب و
// کار وجود ندارد"} (E8) when :business is not the token's business. The gateway
// answers {"status":0,"errors":["…"]} (E2) with every failed rule in one list;
// verify's "already verified" and "window over" carry status 2 and 3 with HTTP
// 422. Validation on the Bearer API is Laravel's 422 {"message":"The given data
// was invalid.","errors":{"<field>":["…"]}} with fields in the order checked.
//
// # Choices [inferred]
//
// Token format: a refresh or control-plane pair is two HS256 JWTs; the shipped
// fixture pair is opaque and lives until the first refresh. Verify's 2/3 status
// is 422 (reference §17 item 3). 403, 402, 406, 5xx and 429 bodies are not
// documented: 429 is Laravel's {"message":"Too Many Attempts."} with Retry-After
// and X-RateLimit-*; the others reuse the E7/E8 shapes with our Persian texts.
// The transaction "code" messages other than "Confirm requierd" are ours. An
// unpaid token lives 20 minutes from send (the same window as verify); an
// abandoned one reads as result_code -2 "کاربر صفحه پرداخت را ترک کرده است.".
// Refund errors (not found 404 E7, already refunded / over the paid amount /
// wallet short 422 E3) follow the reference's inferred bodies; refund rows turn
// DONE one settlement cycle (30 minutes) after creation.
//
// In doubt: the bank-timeout card (and a scenario's unknown on the page) takes
// the payer's money but sends the browser back with payment_status=FAILED;
// transaction answers code 4 until the payment settles (10 minutes), then code
// 1, and verify works for 20 minutes from then.
//
// # Identity, bank instruments, inquiries (reference §13, §14)
//
// identity.go (customer KYC/Shahkar, cash-in code, the codes), instruments.go
// (IBANs, cards, to-iban), inquiry.go (the twelve customers/inquiry/*
// services) all read one population, identity_people.go, deterministic from
// --seed: the magic people of the README's table decide outcomes (SUCCESSFUL,
// FAILURE by a mismatched mobile or name, PENDING, NOT_FOUND), every other
// checksum-valid national code is a made-up person whose mobile is 0912 and the
// code's last seven digits. An IBAN's account part is "0", the owner's national
// code and an account index; a card is a BIN, the code's first nine digits and
// the Luhn digit; so every IBAN and card has an owner and every service agrees
// about a person.
//
// [inferred]: every inquiry body (inquiry_bodies.go, the one file to replace
// when a real sample appears: {"status":1,"message":…,"data":{…}} with our
// keys), the inquiry inputs (the unofficial SDK's test payloads: all required,
// track_id unique per business, a repeat 422), and our texts for not found
// (404 E7), birth-date mismatch, an unconvertible card and the duplicate rules.
// KYC of a registered customer compares its names (it has no birth date);
// legal customers answer NOT_FOUND. A customer with IBANs (cards) always has one
// default; deleting it passes it to the oldest. to-iban adds the IBAN to the
// customer (a repeat refreshes it). The cash-in code is made on the first GET.
package vandar
