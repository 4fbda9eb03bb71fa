// Package iran holds the Iranian banking facts every provider shares: identifier
// checksums (national code, IBAN, card), the bank table, the Jalali calendar,
// business days and holidays, and PAYA/SATNA cycle times. It knows no provider.
//
// Nothing here reads the wall clock: every function that depends on time takes it
// as an argument, so the simulator's virtual clock drives it. Times are
// interpreted, and returned, in [Tehran].
//
// # Data and assumptions
//
// The bank table lives in banks.yaml: IBAN bank codes as assigned by the Central
// Bank of Iran and the widely published Shetab card prefixes (BINs). It is a fact
// table, not an authority: a card whose BIN is missing simply has no bank.
//
// The holiday table lives in holidays.yaml and covers Jalali years 1404-1406
// (2025-03-21 .. 2028-03-19). Solar holidays are fixed by law. Lunar holidays
// come from the official calendar (published by the Public Culture Council and the
// University of Tehran Geophysics Institute, as reported by the Persian press)
// where it was available, and otherwise from the arithmetical Islamic calendar;
// each entry says which in its source field. Iran dates lunar months by sighting
// forecasts, so a "computed" entry may be a day off. Outside the covered years only
// Fridays are non-business days.
//
// Friday is the weekend. Thursday is a half day at many branches but the
// interbank systems run, so it counts as a business day.
//
// PAYA (the ACH) runs three cycles on business days, at 03:45, 10:45 and 13:45
// Tehran time, each taking what was registered up to 30 minutes before it.
//
// SATNA (the RTGS) hours are an assumption kept in one table in satna.go:
// Saturday-Wednesday 08:00-13:30 and Thursday 08:00-12:00, business days only.
// The Central Bank moves these hours now and then; change the table, not callers.
package iran
