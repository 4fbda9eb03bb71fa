package bank

import (
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// codeInfo is one business error: its HTTP status, Persian message, the request
// field Sanbod's validation-style body reports it under, and whether it is a
// validation problem (the request itself is wrong) rather than a business refusal.
// No public source lists Sanbod's codes or messages; the codes are sandbank's own
// names (scenarios use them), the messages are plain Persian banking wording.
type codeInfo struct {
	status     int
	message    string
	field      string
	validation bool
}

var codes = map[string]codeInfo{
	// Validation: a field is missing or malformed.
	"REQUIRED_FIELD":         {400, "این فیلد الزامی است", "body", true},
	"INVALID_DEPOSIT_NUMBER": {400, "شماره حساب نامعتبر است", "depositNumber", true},
	"INVALID_IBAN":           {400, "شماره شبا نامعتبر است", "iban", true},
	"INVALID_AMOUNT":         {400, "مبلغ تراکنش نامعتبر است", "transferAmount", true},
	"INVALID_CARD_NUMBER":    {400, "شماره کارت نامعتبر است", "cardNumber", true},
	"INVALID_PROVIDER":       {400, "کد بانک نامعتبر است", "provider", true},
	"INVALID_NATIONAL_ID":    {400, "کد ملی نامعتبر است", "nationalId", true},
	"INVALID_MOBILE":         {400, "شماره موبایل نامعتبر است", "mobileNumber", true},
	"INVALID_BIRTH_DATE":     {400, "تاریخ تولد نامعتبر است", "birthDate", true},
	"INVALID_DATE":           {400, "تاریخ نامعتبر است", "fromDateTime", true},
	"INVALID_DATE_RANGE":     {400, "تاریخ شروع نباید بعد از تاریخ پایان باشد", "fromDateTime", true},
	"INVALID_OFFSET":         {400, "شماره اولین رکورد نامعتبر است", "offset", true},
	"INVALID_LENGTH":         {400, "تعداد رکورد نامعتبر است", "length", true},
	"INVALID_ORDER":          {400, "ترتیب نمایش باید ASC یا DSC باشد", "order", true},
	"INVALID_ACTION":         {400, "نوع تراکنش باید CREDIT یا DEBIT باشد", "action", true},
	"SATNA_AMOUNT_TOO_LOW":   {400, "مبلغ انتقال ساتنا باید دست\u200cکم ۱۵۰,۰۰۰,۰۰۰ ریال باشد", "transferAmount", true},
	"PAYA_AMOUNT_TOO_HIGH":   {400, "مبلغ انتقال پایا بیشتر از سقف مجاز است", "transferAmount", true},
	"SAME_DEPOSIT":           {400, "حساب مبدا و مقصد نباید یکسان باشند", "destinationDepositNumber", true},
	// Business: the request is well formed but the bank refuses it.
	"DEPOSIT_NOT_FOUND":            {400, "حساب یافت نشد", "depositNumber", false},
	"DEPOSIT_NOT_CONSENTED":        {400, "دسترسی به این حساب در رضایت\u200cنامه داده نشده است", "depositNumber", false},
	"INSUFFICIENT_BALANCE":         {400, "موجودی حساب کافی نیست", "transferAmount", false},
	"SOURCE_DEPOSIT_INACTIVE":      {400, "حساب مبدا فعال نیست", "sourceDepositNumber", false},
	"DESTINATION_DEPOSIT_INACTIVE": {400, "حساب مقصد امکان واریز ندارد", "iban", false},
	"CARD_NOT_FOUND":               {400, "کارت یافت نشد", "cardNumber", false},
	"BIRTH_DATE_MISMATCH":          {400, "کد ملی و تاریخ تولد مطابقت ندارند", "birthDate", false},
	"BANK_ERROR":                   {502, "خطا در ارتباط با بانک", "bank", false},
	// In doubt: the bank took the request but its answer was lost.
	"BANK_TIMEOUT": {504, "پاسخی از بانک دریافت نشد؛ وضعیت تراکنش را از گزارش پیگیری کنید", "bank", false},
}

// Codes is the catalogue of the codes this package returns, for the provider's
// catalogue (so scenarios can name them).
func Codes() envelope.Catalogue {
	out := make(envelope.Catalogue, len(codes))
	for k, v := range codes {
		out[k] = envelope.Entry{Status: v.status, Message: v.message}
	}
	return out
}

// FieldOf is the field a code is reported under by default ("" for an unknown
// code); errors raised for another field carry that field instead.
func FieldOf(code string) string { return codes[code].field }

// IsValidation reports whether code is a request-validation error rather than a
// business refusal, for the provider's configurable status-per-case table.
func IsValidation(code string) bool { return codes[code].validation }

// UnknownCodes are the codes an `unknown:CODE` decision may name: the transfer is
// registered in doubt and answered with this error.
func UnknownCodes() []string { return []string{"BANK_TIMEOUT"} }

// FailureCodes are the codes a `failure:CODE` decision on a transfer may name.
func FailureCodes() []string {
	out := make([]string, 0, len(codes))
	for _, k := range Codes().Codes() {
		if k != "BANK_TIMEOUT" {
			out = append(out, k)
		}
	}
	return out
}

// fail builds code's error reported under field ("" = the code's own field).
func fail(code, field string) *envelope.Error {
	ci, ok := codes[code]
	if !ok {
		return &envelope.Error{Status: 500, Code: code, Message: "sandbank: code " + code + " missing from the bank catalogue", Kind: envelope.KindInternal}
	}
	if field == "" {
		field = ci.field
	}
	return &envelope.Error{Status: ci.status, Code: code, Message: ci.message, Fields: map[string][]string{field: {ci.message}}}
}

// failMsg is fail with a message that depends on the request or configuration.
func failMsg(code, field, msg string) *envelope.Error {
	e := fail(code, field)
	e.Message = msg
	for k := range e.Fields {
		e.Fields[k] = []string{msg}
	}
	return e
}

// required reports a missing field.
func required(field string) *envelope.Error {
	return failMsg("REQUIRED_FIELD", field, "فیلد "+field+" الزامی است")
}

// decided is the error a scenario's failure (or unknown) code names. A code from
// the provider's own catalogue (not this package's) is resolved through c.Errors.
func decided(c Ctx, code string) *envelope.Error {
	if _, ok := codes[code]; ok {
		return fail(code, "")
	}
	if c.Errors != nil && c.Errors.Has(code) {
		e := c.Errors.Err(code)
		if e.Fields == nil {
			e.Fields = map[string][]string{"bank": {e.Message}}
		}
		return e
	}
	e := fail("BANK_ERROR", "")
	e.Code = code
	return e
}
