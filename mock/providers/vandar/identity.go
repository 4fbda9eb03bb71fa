package vandar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/fake"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/scenario"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Identity, bank instruments and inquiries of customers (reference §13–§14):
// KYC and Shahkar authentication of a customer, the customer's cash-in code,
// its IBANs and cards, and the customers/inquiry/* services. Every answer about
// a person comes from the population in identity_people.go. State lives under
// the business's slug, so one business never sees another's customers.

// identityStore holds one row per customer: its IBANs, cards and cash-in code,
// so "exactly one default" is kept under one row lock.
type identityStore struct {
	banking *store.Table[customerBanking] // tenant slug: customer uuid → instruments
	tracks  *store.Table[string]          // tenant slug: inquiry track_id → kind
}

func newIdentityStore(s *store.Store) *identityStore {
	return &identityStore{
		banking: store.NewTable[customerBanking](s, "vandar.customer_banking"),
		tracks:  store.NewTable[string](s, "vandar.inquiry_tracks"),
	}
}

type customerBanking struct {
	IBANs      []ibanRow `json:"ibans"`
	Cards      []cardRow `json:"cards"`
	CashInCode string    `json:"cash_in_code,omitempty"`
}

// Clone copies the lists.
func (b customerBanking) Clone() customerBanking {
	b.IBANs = slices.Clone(b.IBANs)
	for i := range b.IBANs {
		b.IBANs[i].Owners = slices.Clone(b.IBANs[i].Owners)
	}
	b.Cards = slices.Clone(b.Cards)
	return b
}

type ibanRow struct {
	IBAN          string      `json:"iban"`
	Default       bool        `json:"is_default"`
	Compat        string      `json:"iban_compatibility"`
	Owners        []ownerName `json:"account_owners"`
	BankName      string      `json:"bank_name,omitempty"`
	AccountNumber string      `json:"account_number,omitempty"`
	Created       time.Time   `json:"created"`
	Updated       time.Time   `json:"updated"`
}

type cardRow struct {
	Card    string    `json:"card"`
	Default bool      `json:"is_default"`
	Compat  string    `json:"card_compatibility"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Compatibility of an instrument with its customer (reference §13.3).
const (
	compatUnknown   = "UNKNOWN"
	compatMatched   = "MATCHED"
	compatUnmatched = "UNMATCHED"
)

func init() { addCodes(identityCodes) }

// identityCodes: texts marked in doc.go; the verbatim ones come from reference
// §18.3 (iban.*, card.*, cashin.iban.*, ipg.national_code.invalid,
// ipg.card.invalid).
var identityCodes = map[string]codeDef{
	// Forced by a scenario, answered inside the reply (authentication_status).
	"AUTH_FAILURE":   {status: 422, shape: shapeMessage, msg: "اطلاعات هویتی مطابقت ندارد."},
	"AUTH_PENDING":   {status: 422, shape: shapeMessage, msg: "سامانه استعلام پاسخ نداد."},
	"AUTH_NOT_FOUND": {status: 422, shape: shapeMessage, msg: "اطلاعاتی یافت نشد."},

	"IDN_REQUIRED": {status: 422, shape: shapeLaravel, field: "error", msg: "وارد کردن این فیلد الزامی است"},
	"IDN_BOOLEAN":  {status: 422, shape: shapeLaravel, field: "error", msg: "این فیلد باید true یا false باشد."},
	"IDN_STRING":   {status: 422, shape: shapeLaravel, field: "error", msg: "این فیلد باید رشته باشد."},

	"IBAN_INVALID":   {status: 422, shape: shapeLaravel, field: "iban", msg: "شماره شبا قابل قبول نیست."},
	"IBAN_DUPLICATE": {status: 422, shape: shapeLaravel, field: "iban", msg: "iban قبلا انتخاب شده است."},
	"IBAN_NOT_FOUND": {status: 404, shape: shapeMessage, msg: "شماره شبا یافت نشد!"},
	"IBAN_UNMATCHED": {status: 422, shape: shapeMessage, msg: "شماره شبا با کد ملی مشتری مطابقت ندارد."},

	"CARD_INVALID":   {status: 422, shape: shapeLaravel, field: "card", msg: "شماره کارت قابل قبول نیست."},
	"CARD_DUPLICATE": {status: 422, shape: shapeLaravel, field: "card", msg: "card قبلا انتخاب شده است."},
	"CARD_NOT_FOUND": {status: 404, shape: shapeMessage, msg: "شماره کارت یافت نشد!"},
	"CARD_TO_IBAN_BANK": {status: 422, shape: shapeLaravel, field: "card",
		msg: "تبدیل کارت به شبا برای کارت\u200cهای این بانک امکان\u200cپذیر نیست."},
	"CARD_UNMATCHED": {status: 422, shape: shapeMessage, msg: "شماره کارت با کد ملی مشتری مطابقت ندارد."},

	"INQUIRY_NOT_FOUND":     {status: 404, shape: shapeMessage, msg: "اطلاعاتی برای ورودی ارسالی یافت نشد."},
	"INQUIRY_MISMATCH":      {status: 422, shape: shapeLaravel, field: "birth_date", msg: "تاریخ تولد با کد ملی مطابقت ندارد."},
	"INQUIRY_TRACK_ID":      {status: 422, shape: shapeLaravel, field: "track_id", msg: "track_id قبلا انتخاب شده است."},
	"INQUIRY_NATIONAL_CODE": {status: 422, shape: shapeLaravel, field: "national_code", msg: "کد ملی قابل قبول نیست."},
	"INQUIRY_MOBILE":        {status: 422, shape: shapeLaravel, field: "mobile", msg: "شماره موبایل قابل قبول نیست."},
	"INQUIRY_BIRTH_DATE":    {status: 422, shape: shapeLaravel, field: "birth_date", msg: "تاریخ تولد باید به شکل YYYY/MM/DD شمسی باشد."},
	"INQUIRY_POSTAL_CODE":   {status: 422, shape: shapeLaravel, field: "postal_code", msg: "کد پستی باید ۱۰ رقم باشد."},
	"INQUIRY_FIDA_CODE":     {status: 422, shape: shapeLaravel, field: "fida_code", msg: "کد فیدا باید ۱۲ رقم باشد."},
	"INQUIRY_COMPANY_ID":    {status: 422, shape: shapeLaravel, field: "national_code", msg: "شناسه ملی باید ۱۱ رقم باشد."},
	"INQUIRY_UNMATCHED":     {status: 422, shape: shapeMessage, msg: "اطلاعات ارسالی با یکدیگر مطابقت ندارد."},
}

// required, boolean and string rules with the field's own name in the text.
func required(field string) problem {
	return problem{code: "IDN_REQUIRED", field: field, msg: "وارد کردن " + field + " الزامی است"}
}
func notBoolean(field string) problem {
	return problem{code: "IDN_BOOLEAN", field: field, msg: field + " باید true یا false باشد."}
}
func notString(field string) problem {
	return problem{code: "IDN_STRING", field: field, msg: field + " باید رشته باشد."}
}

// forcedStatus is the authentication_status a scenario forced, if any.
func forcedStatus(d scenario.Decision) (string, bool) {
	if d.Outcome != scenario.Failure {
		return "", false
	}
	switch d.Code {
	case "AUTH_FAILURE":
		return authFailure, true
	case "AUTH_PENDING":
		return authPending, true
	case "AUTH_NOT_FOUND":
		return authNotFound, true
	}
	return "", false
}

// --- POST {v3}/customers/:customer/authentication/{kyc,shahkar} ---

type authReq struct {
	cust customer
}

func (p *Provider) parseIdentityCustomer(c *api.Call) (authReq, error) {
	cu, err := p.customer(c.Tenant, c.Param("customer"))
	return authReq{cust: cu}, err
}

// authAnswer is the documented body, "status" the string "1" (reference §13.1).
type authAnswer struct {
	Status  string `json:"status"`
	AuthSt  string `json:"authentication_status"`
	Message string `json:"message"`
}

const authMessage = "اطلاعات احراز هویت کاربر با موفقیت واکشی شد"

func (p *Provider) runKYC(c *api.Call, r authReq) (authAnswer, error) {
	st, ok := forcedStatus(c.Decision)
	if !ok {
		st = p.kycStatus(r.cust.IndividualNationalCode, r.cust.FirstName, r.cust.LastName, "")
		if r.cust.Type == customerLegal {
			st = authNotFound // KYC and Shahkar identify people, not companies
		}
	}
	return authAnswer{"1", st, authMessage}, nil
}

func (p *Provider) runShahkar(c *api.Call, r authReq) (authAnswer, error) {
	st, ok := forcedStatus(c.Decision)
	if !ok {
		st = p.shahkarStatus(r.cust.IndividualNationalCode, r.cust.Mobile)
		if r.cust.Type == customerLegal {
			st = authNotFound
		}
	}
	return authAnswer{"1", st, authMessage}, nil
}

// kycStatus compares a claimed identity with the civil registry: the names and,
// when given, the Jalali birth date.
func (p *Provider) kycStatus(nc, first, last, birth string) string {
	if m, ok := magicPerson(nc); ok && m.outcome != "" {
		return m.outcome
	}
	pr, ok := p.personOf(nc)
	if !ok {
		return authNotFound
	}
	if !sameName(first, pr.FirstName) || !sameName(last, pr.LastName) {
		return authFailure
	}
	if birth != "" && !sameDate(birth, pr.BirthDate) {
		return authFailure
	}
	return authSuccessful
}

// shahkarStatus asks the operators whether mobile is registered to nc.
func (p *Provider) shahkarStatus(nc, mobile string) string {
	if m, ok := magicPerson(nc); ok && m.outcome != "" {
		return m.outcome
	}
	mobile = normMobile(mobile)
	pr, ok := p.personOf(nc)
	if !ok || mobile == unregisteredMobile || mobile == "" {
		return authNotFound
	}
	if mobile != pr.Mobile {
		return authFailure
	}
	return authSuccessful
}

// normMobile reads 09xxxxxxxxx, 9xxxxxxxxx, 989xxxxxxxxx and +989xxxxxxxxx;
// "" when it is none of them.
func normMobile(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	switch {
	case len(s) == 12 && strings.HasPrefix(s, "989"):
		s = "0" + s[2:]
	case len(s) == 10 && s[0] == '9':
		s = "0" + s
	}
	if len(s) != 11 || !strings.HasPrefix(s, "09") || !allDigits(s) {
		return ""
	}
	return s
}

// sameDate compares Jalali dates written with or without leading zeros.
func sameDate(a, b string) bool {
	ca, okA := jalaliDate(a)
	cb, okB := jalaliDate(b)
	return okA && okB && ca == cb
}

// jalaliDate reads a Jalali date "1369/7/17", "1369/07/17" or "1369-07-17"
// and writes it as yyyy/MM/dd; ok is false for anything else or an impossible
// date.
func jalaliDate(s string) (string, bool) {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || r == '-' })
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return "", false
	}
	for _, x := range parts {
		if !allDigits(x) {
			return "", false
		}
	}
	canon := fmt.Sprintf("%s/%02s/%02s", parts[0], parts[1], parts[2])
	canon = strings.ReplaceAll(canon, " ", "0")
	if _, err := iran.ParseJalali(canon); err != nil {
		return "", false
	}
	return canon, true
}

// --- GET {v3}/customers/:customer/cash-in-code ---

type cashInCode struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// runCashInCode gives the customer its 15-digit deposit id, made on the first
// call ([INFERRED] reference §13.2) and the same ever after.
func (p *Provider) runCashInCode(c *api.Call, r authReq) (cashInCode, error) {
	var code string
	err := p.idn.banking.Upsert(c.Tenant, r.cust.ID, func() customerBanking { return customerBanking{} }, func(b *customerBanking) error {
		if b.CashInCode == "" {
			h := fake.Hash(p.seed, "vandar/cash-in-code", c.Tenant, r.cust.ID)
			b.CashInCode = fmt.Sprintf("14%013d", h%10_000_000_000_000)
		}
		code = b.CashInCode
		return nil
	})
	return cashInCode{1, code, "شناسه پرداخت مشتری با موفقیت واکشی شد."}, err
}
