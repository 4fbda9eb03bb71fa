// Package bank is the banking world behind sandbank's Finnotech provider: the
// sandbox users and their deposits per bank, the deposit ledger, Shetab debit
// cards and mobiles (mpg card list and card inquiry), Ayandeh bon cards with
// balances, statuses and limits, and the chargeCard state machine with every
// result code of the oak bon-card page (docs/reference/finnotech.md §6.3; a bare §
// number in this package is a section of that file).
// It knows no HTTP: package finnotech parses requests, enforces tokens, scopes,
// deposits and trackIds, and renders what this package returns.
//
// All state is per tenant in mock/store tables; the fixtures
// (fixtures/finnotech.yaml) are read-only and every tenant starts from them.
// Time is the `now` the caller passes (the virtual clock); fake data (names,
// generated cards, trackers, trace and reference numbers) is drawn from a hash
// of the seed, the tenant and the item, never from a shared stream.
//
// # Errors
//
// Request errors are *envelope.Error values, all HTTP 400 with code
// VALIDATION_ERROR (§3.2): "invalid deposit", "invalid card", "invalid amount",
// "invalid mobile", "trackId is required", "trackId is duplicated", "account
// conditions not passed" (documented for chargeCard), "invalid fromDate",
// "invalid toDate", "fromDate is after toDate". Business outcomes of chargeCard,
// inquiryChargeCard and getValidCard are results (HTTP 200, status DONE).
//
// # Documented vs decided
//
// Verbatim from the documentation: every §6.3 code and its Persian text (the
// table of Finnotech's chargeCard documentation page, typos kept), the success message "تراکنش با موفقیت انجام
// شد", the field names, order and types of every result (amounts as strings,
// tracker a number, statement amounts like "23700000.0", pan space-padded to 20,
// financialdate "1396-12-28" plus its Local_Date twin, timein "161236" plus
// Local_Time), the card list's string index and 6-digit bankIdentify, the card
// inquiry's masked destCard "xxxx-xxxx-xxxx-NNNN" and description "موفق".
//
// Decided here, because the sources are silent:
//
//   - Off-hours body: the documentation says only that chargeCard is disabled
//     23:00-04:00. sandbank answers the documented code for "transaction time
//     restriction", A118, as an HTTP 200 business failure. The window is Tehran
//     wall time on the virtual clock, [23:00, 04:00): 22:59:59 and 04:00:00 are
//     open.
//   - chargeState of a definite failure is UNKNOWN, as in the only documented
//     failure (A107); FAILED is not evidenced (fixtures: failed_charge_state).
//     The reply's message is "Unsuccess" for class F codes and "Unknown" for
//     class U codes; the inquiry tells Unsuccess from Unknown.
//   - Order of the chargeCard checks: request errors (HTTP 400) first; then the
//     scenario decision; then magic amounts; then the service window (a closed
//     service looks at nothing); then the card as the switch sees it: A103 not
//     6362142/6362144, B04 not 16 digits, D14 not a declared bon card (bon
//     cards are known by prefix and fixtures, never Luhn-checked: the
//     documented card fails Luhn), B78 inactive, D33 expired (reissued or
//     not), D41 lost, D43 stolen; then A107 for an account without a detail
//     code; then limits and funds under the deposit and card locks.
//   - Limits: A112 per charge and A111 balance cap of the card ("amount limit of
//     one card's transactions" read as the most a card may hold), A113 daily
//     and A114 monthly charges to the card; A115 per charge, A116 daily count or
//     amount, A117 monthly count or amount of the account. Days are Tehran
//     days, months Jalali months; held (in-doubt) charges count.
//   - Funds: C10 "account balance insufficient" when the ledger balance is below
//     the amount; D51 "balance not sufficient" (the switch's answer) when the
//     ledger balance covers it but the available balance, after blocked amounts
//     and in-doubt holds, does not.
//   - A bon card is charged from an Ayandeh (062) deposit; another bank's deposit
//     fails the documented "account conditions not passed" check.
//   - In doubt (unknown decision or a magic in-doubt amount): the reply carries
//     the U code (A123 when the decision named none) and chargeState UNKNOWN.
//     The amount is held on deposit and card (it shows in freezeAmount) and the
//     truth comes from scenario.Decision.SettledAt on every read: at settle time
//     the hold is released and, only for a success, the money moves (posted at
//     the settle time, not the read time). The charge row's Final flag is set
//     under its lock in the same step, so parallel readers move money once. A
//     plain unknown settles as a success at once (the reply was lost). An
//     in-doubt charge a rule would refuse holds nothing and settles as a failure
//     with that rule's code; a settled failure without a code is D80.
//   - A failure decision without a code is D80 ("transaction unsuccessful"); a
//     code outside §6.3 is answered with the B11 text.
//   - inquiryChargeCard: success → Success, A00 and its text, the tracker;
//     failure → Unsuccess, the failure code, tracker null; in doubt → Unknown,
//     the reply's U code. A trackId no charge was made with answers exactly the
//     documentation's inquiry example (Unsuccess, G101, transactionStatus
//     Unknown, tracker null): the bank cannot tell a lost request from one never
//     sent, and Unknown keeps a careful client from charging again.
//   - getValidCard: F00 with the newest replacement of a reissued card, else
//     the same number; F102 for anything not a declared bon card; fixture cards
//     force F101/F103/F123; a scenario failure or unknown answers its code
//     (default F101 / F123) with message "Unsuccess" and a description.
//   - card/balance and card/statement accept declared bon cards only (else
//     "invalid card"). Statement rows reuse the documented row's acqinst
//     636214, prcode 320000 and pos_cond_code 3 (that row is a charge onto an
//     empty card: amount equals available); dates YYMMDD (00-49 → 14xx, 50-99 →
//     13xx) or YYYYMMDD, both optional and inclusive.
//   - Deposit balance: currentBalance is the ledger balance, freezeAmount the
//     blocked amount plus in-doubt holds, availableBalance = effectiveBalance =
//     current − freeze.
//   - Card inquiry: /v2/card-codes.html is not public; only "0", "78" (invalid
//     card) and "135" (inactive card) are evidenced. "78" is a wrong Luhn digit
//     or unknown BIN, "135" a card inactive in the fixtures (every non-active
//     bon card too); their descriptions "شماره کارت نامعتبر است" and "کارت
//     غیرفعال است" are sandbank's wording. A number that is not 16 digits is
//     HTTP 400. Bank names are the Persian names of mock/iran's bank table.
//   - Card list: the mobile is echoed as sent; 09…, 9…, 989… and +989… are
//     accepted; fixture cards are listed in fixture order, other mobiles get
//     one to three seeded Luhn-valid cards.
//
// # Magic values
//
// The README copies this table (fixtures/finnotech.yaml is the source).
//
//	### Finnotech sandbox bank: logins, deposits, cards and magic values
//
//	All values come from `fixtures/finnotech.yaml` (replace or extend it with `--fixtures DIR`).
//	Amounts are Rials. chargeCard is closed 23:00–04:00 Tehran time on the virtual clock (A118).
//
//	**Logins** (bank consent page, username = password): `1111111111` … `9999999999`, plus the
//	checksum-valid `0012345679` (علی آقایی), `0087654326` (زهرا محمدی), `0451234561` (رضا کریمی).
//	Every `NNNNNNNNNN` login has deposits at 062, 054, 057, 078, 016, 015, 066, 069, 055 and 063,
//	each opening at 10,000,000,000. At Ayandeh (062) they are `02{nid}1` and `02{nid}2`, e.g.
//	`0211111111111`; the other formats are in the fixture file (078: `1051-802-{first 7 digits}-1`).
//
//	**Magic deposits** (login `1111111111`, bank 062):
//
//	| deposit | effect on chargeCard |
//	|---|---|
//	| `0200000000010` | balance 100,000: C10 above it |
//	| `0200000000051` | balance 10,000,000 with 9,950,000 blocked: D51 above 50,000 (freezeAmount shows the block) |
//	| `0200000000107` | A107 (account has no detail code) |
//	| `0200000000115` | A115 above 100,000 in one charge |
//	| `0200000000116` | A116 on the third charge of a Tehran day |
//	| `0200000000117` | A117 once a Jalali month's charges would pass 200,000 |
//	| `0200000000400` | HTTP 400 `VALIDATION_ERROR` `account conditions not passed` |
//	| `0202672527005` (login `0012345679`) | A107, the documentation's failure example |
//	| any non-Ayandeh deposit | HTTP 400 `VALIDATION_ERROR` `account conditions not passed` |
//	| unknown deposit | HTTP 400 `VALIDATION_ERROR` `invalid deposit` |
//
//	**Bon cards** (Ayandeh, prefix `6362142`/`6362144`; checked by prefix and fixtures, never by Luhn):
//
//	| card | chargeCard | getValidCard | other |
//	|---|---|---|---|
//	| `6362144202902795` | success (the documented card; it fails Luhn) | F00, same number | balance 0 |
//	| `6362144000001001`, `6362144000001002`, `6362142000001003` | success | F00 | balance 0 |
//	| `6362142000001004` | success | F00 | balance 1,000,000 |
//	| `6362142376876523` | D33 (expired) | F00 → `6362144304319309` (reissued) | balance 35007 |
//	| `6362144304319309` | success | F00 | the replacement |
//	| `6362144000000078` | B78 inactive | F00 | card inquiry `135` (as for every non-active bon card) |
//	| `6362144000000033` | D33 expired | F00 | |
//	| `6362144000000041` | D41 lost | F00 | |
//	| `6362144000000043` | D43 stolen | F00 | |
//	| `6362144000000111` | A111 once the balance would pass 100,000 (opens at 50,000) | F00 | |
//	| `6362144000000112` | A112 above 50,000 in one charge | F00 | |
//	| `6362144000000113` | A113 once a day's charges would pass 100,000 | F00 | |
//	| `6362144000000114` | A114 once a Jalali month's charges would pass 100,000 | F00 | |
//	| `6362144000000101` / `…0103` / `…0123` | success | F101 / F103 / F123 | |
//	| any other `6362142…`/`6362144…` 16 digits | D14 | F102 | balance/statement: 400 `invalid card` |
//	| `6362142…`/`6362144…` not 16 digits | B04 | F102 | |
//	| any other card | A103 | F102 | |
//
//	**Magic amounts** (chargeCard, when no scenario decided otherwise): letter A=1, B=2, C=3, D=4,
//	G=7, times 10000, plus the code's number: `10107` → A107, `20078` → B78, `30010` → C10,
//	`40051` → D51, `70101` → G101. Every failure code of the table has one. In-doubt codes
//	(`10106` A106, `10123` A123, `10211` A211, `40091` D91, `40100` D100, `70100` G100) answer
//	`chargeState: "UNKNOWN"` and settle as a success two minutes later on the virtual clock; the same
//	amount plus 900000 (`910106` …) settles as a failure (D80). No money moves until it settles
//	as a success, and then exactly once.
//
//	**Validation order of chargeCard**: HTTP 400s (trackId missing, amount ≤ 0, card not digits,
//	unknown deposit, account conditions, duplicate trackId) → scenario decision → magic amount →
//	A118 window → A103 prefix → B04 length → D14 unknown card → B78/D33/D41/D43 card status →
//	A107 → A112, A111, A113, A114 (card limits) → A115, A116, A117 (account limits) → C10 (ledger
//	balance) → D51 (available balance after blocked amounts and in-doubt holds).
//
//	**inquiryChargeCard**: Success / `A00` / tracker once charged; Unsuccess / the failure code /
//	tracker `null`; Unknown / the in-doubt code while unsettled. An in-doubt charge that a rule
//	would have refused (say a lost card) settles as a failure with that rule's code. A trackId no
//	charge was made with answers the documentation's example: Unsuccess, `G101`,
//	`transactionStatus: "Unknown"`, `tracker: null`.
//
//	**Cards by mobile** (`/mpg/v2/clients/{clientId}/cards?mobile=`): `09121234567` (or
//	`9121234567`) lists Ayandeh 1111, Melli 2222, Mellat 3333; `09351234567` lists Sepah 4444 and
//	Parsian 5555; `09120000000` lists none; any other mobile gets one to three Luhn-valid cards
//	drawn from the seed. **Card inquiry**: `6273530000013899` → علی آقایی, بانک تجارت (the doc's
//	example); `6273530000071350` → result `135` (inactive); a wrong Luhn digit or unknown BIN →
//	`78`; any other Luhn-valid card of a known bank → `0` with a seeded Persian name; not 16 digits
//	→ HTTP 400 `invalid card`.
package bank
