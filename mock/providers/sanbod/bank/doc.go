// Package bank is Sanbod's simulated banking world: the test user, deposits with
// their IBANs and cards, the ledger, normal/PAYA/SATNA transfers and their status
// machines, statements and reports, the conversions and the identity services. It
// knows no HTTP: package sanbod decodes a request into the typed structs here, checks
// token and scope, calls the method and wraps the result in Sanbod's envelope. Data
// lives in fixtures/sanbod.yaml; state is per tenant in mock/store; the only clock
// is Ctx.Now.
//
// A bare § number in this package is a section of docs/reference/sanbod.md.
//
// # Documented (Sanbod's OAuth and services documentation, public Go SDK)
//
// Request and message field names of every service as the documentation shows them
// (sourceDepositNumber, destinationDepositNumber, transferAmount, iban,
// destinationIban, receiverFirstName/LastName, description; docNumber; referenceId,
// ownerName, transactionStatus ACCEPTED, transferStatus; balance, transactionDate,
// description, referenceId, docNumber, chequeNumber, transferAmount "-20000.0";
// achreport referenceId, registerDateTime, status, transferDescription; rtgsreport
// transferAmount, destinationDepositNumber, sourceDepositNumber (both IBANs, as the
// seed shows), registerDateTime, docNumber, status); rtgstransfer's message is an
// array. The conversion and identity shapes follow the public Go SDK. The test user
// ela/1234 with any valid national code, deposits 119-813-218257-4 and -5, the
// PAYA cycle table, the SATNA floor of 150,000,000 Rials, the PAYA statuses and the
// SATNA statuses.
//
// Where the documentation contradicts itself the example wins, so that sending the
// example reproduces it: the text says SATNA is for amounts "above 150 million"
// but the rtgsreport example settles exactly 150,000,000, so the floor itself is
// accepted (below it is SATNA_AMOUNT_TOO_LOW); the status list spells "settled"
// TASFIYEH_SHODEH but the example answers TASFIYEH_SHODE, so reports say
// TASFIYEH_SHODE by default (Config.Spelling "list" sends the list's spelling).
//
// Seed examples that convert as documented: IR660570021380014707021101 <->
// 213.8000.14707021.1 <-> card 5022291301984702 (Pasargad), and
// 119-813-2618257-1 <-> IR410590011981302618257001 (Sina).
//
// # Inferred (no public source; sandbank's choices)
//
//   - Deposit numbers <-> IBAN account part: "dash" style AAA-BBB-C{1,8}-D{1,3} <->
//     00 AAA BBB C(8) D(3) (all banks, from the Sina example); "dot" style
//     BBB.TT00.SSSSSSSS.X <-> 00 BBB TT0 SSSSSSSS X 01 (Pasargad 057, from the
//     Pasargad example); any other account part is its digits without leading
//     zeros. Every valid IBAN of a known bank converts, and IBAN -> deposit -> IBAN
//     is exact. At Pasargad a dashed number whose second group ends in 0 and whose
//     last group ends in 01 reads back in the dot style (same account).
//   - The test user's deposits (119-813-218257-4, -5 and the documentation's transfer source
//     119-813-2618257-1) exist at each test bank 057, 054 and 059, so the same
//     number names a different deposit per bank; AC calls use the token's bank
//     (Ctx.ProviderCode).
//   - Any valid IBAN or card not in the fixtures belongs to a seeded stranger (owner
//     and national id from a hash of the seed and the input, active status "02");
//     any valid national code not in the fixtures is a seeded person, born on the
//     date the personal inquiry asks for. cardtoiban/cardtodeposit also accept an
//     IBAN in cardNumber (the documentation's own example does that) for deposits whose card
//     is listed.
//   - ibaninquiry depositStatus uses the Iranian inquiry codes 02 active, 03 blocked
//     (can receive), 04 blocked (cannot receive), 05 dormant; bankName uses the Go
//     SDK's bank enum (PASARGAD, SINA, ...). deposittoiban's provider takes a bank
//     code ("057", as the documentation) or that enum.
//   - Error codes, HTTP statuses (400 validation and business, 502/504 bank) and
//     Persian messages are sandbank's; every error names its field.
//   - Ids: normaltransfer docNumber and SATNA referenceId "0000"+Unix ms+3-digit
//     serial (20 digits, as the documentation); PAYA referenceId Jalali yyyyMMdd, bank, "2",
//     6-digit serial (18 digits, as 140006310592000002); SATNA docNumber Jalali
//     yyMMdd, bank, "1", 6-digit serial (16 digits, as 9612200591000486);
//     statement docNumber an 8-digit voucher per deposit.
//   - statement: empty order is ascending (the prose of the documentation; its table says
//     DSC); DSC and DESC are descending; dates are Unix milliseconds (10-digit values
//     are taken as seconds). With no dates the window is the 72 hours up to now;
//     with one bound, 72 hours from or up to it. Reports apply the same default
//     (achreport only when none of its four date filters is sent) and list oldest
//     first. achreport's issue date is when the transfer was PROCESSED.
//   - The seed marks description (and the receiver names) of achtransfer and
//     rtgstransfer required; they are enforced.
//   - The same traceid with the same source, destination and amount answers the
//     first registration again and moves no money (retries after a lost reply).
//
// # Money
//
// Every transfer debits the source at registration under the deposit's row lock
// (never overdrawn; insufficient balance moves nothing). Credits that fall due later
// (PAYA delivery at PROCESSED, SATNA at TASFIYEH_SHODEH, returns at BRANCH_REJECT,
// CANCEL, ADAM_TAEED_SHODE, ADAM_TAEED_SHOBE_SATNA, HAZF_SHODE, TASFIYEH_NASHODE or
// a failed settle) are booked at their own time on the first read at or after it,
// exactly once. Only fixture deposits receive money; a normal transfer to a known
// deposit of the same bank is credited at once.
//
// # Status machines
//
// PAYA: READY_TO_TRANSFER at registration, PROCESSED at iran.PAYASendTime:
// registered 13:15–03:15 -> 03:45, 03:15–10:15 -> 10:45, 10:15–13:15 -> 13:45, on
// business days (Friday and official holidays move to 03:45 of the next business
// day). SATNA: SABT_SHODE at registration, then TAEED_SHOBE_SHODE, TAEED_SHOBE_SATNA,
// ERSAL_SHODE, TASFIYEH_SHODE (the example's spelling) 10 minutes apart within SATNA hours (Sat–Wed
// 08:00–13:30, Thu 08:00–12:00, business days; iran.InSATNAHours); registered outside
// hours, the first step is 10 minutes after the next opening. Config.Spelling "list"
// sends the status list's TASFIYEH_SHODEH, "core" sends ADAM_TAEED_SHOBE and
// TASFIYEH_SHODE (§5.4); timelines may use any spelling.
//
// Scenario timelines (Decision.Timeline) replace the default plan; their `at` is a
// duration from registration or a keyword: next-cycle (PAYA: the next cycle's send
// time; SATNA: the next step within hours), send-time (PAYA: the send time of the
// cycle the previous step falls in), next-business-day, satna-open. A
// `failure:CODE` moves nothing; `unknown` registers the transfer in doubt: it is
// debited, reports hide it until Settle.After has passed, then show it (settled
// success) or never (settled failure, money returned at the settle time).
//
// # Magic amounts (no scenario or header decided the call)
//
//	kind    amount        path
//	paya    1,110,000     WAIT_FOR_BRANCH_ACCEPT, READY_TO_TRANSFER after 1h, PROCESSED at its cycle
//	paya    1,120,000     WAIT_FOR_BRANCH_ACCEPT, BRANCH_REJECT at the next cycle (money returns)
//	paya    1,130,000     WAIT_FOR_CUSTOMER_ACCEPT, CANCEL after 24h (money returns)
//	paya    1,140,000     READY_TO_TRANSFER, SUSPEND at the send time (money held)
//	paya    1,150,000     READY_TO_TRANSFER, CANCEL after 30m (money returns)
//	satna   151,100,000   SABT_SHODE, ADAM_TAEED_SHODE at the next step (money returns)
//	satna   151,200,000   ... TAEED_SHOBE_SHODE, ADAM_TAEED_SHOBE_SATNA (money returns)
//	satna   151,300,000   SABT_SHODE, HAZF_SHODE at the next step (money returns)
//	satna   151,400,000   ... ERSAL_SHODE, TASFIYEH_NASHODE (money returns)
//	normal/paya 1,990,000; satna 159,900,000   INSUFFICIENT_BALANCE, nothing moves
//	normal/paya 1,970,000; satna 159,700,000   BANK_TIMEOUT (504), in doubt, settles done after 10m
//	normal/paya 1,980,000; satna 159,800,000   BANK_TIMEOUT (504), in doubt, settles failed after 10m
//
// Magic deposits: Sepah 505-050-4000505-4 (status 03) and Saderat
// 918-273-6000918-6 (05) cannot send; Ayandeh 660-712-5000660-5 (04) cannot
// receive (DESTINATION_DEPOSIT_INACTIVE). Magic person: 3312456789 (born
// 1320/10/10) is deceased.
package bank
