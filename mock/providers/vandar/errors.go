package vandar

import (
	"net/http"

	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// shape is one of the error bodies Vandar is known to send (the reference's
// catalogue E1–E10, plus the throttle and the HTML page).
type shape uint8

const (
	shapeError        shape = iota + 1 // E1/E8 {"status":0,"error":"<msg>"}
	shapeIPG                           // E2 {"status":<0|2|3>,"errors":["<msg>",…]}
	shapeLaravel                       // E3/E4 {"message":"The given data was invalid.","errors":{"<field>":["<msg>"]}}
	shapeStatusMap                     // E5 {"status":0,"errors":{"<field>":["<msg>"]}}
	shapeErrorMap                      // E6 {"status":0,"errors":{"error":"<msg>"}}
	shapeMessage                       // E7 {"status":0,"message":"<msg>"}
	shapeRavand                        // E10 {"message":"<msg>","data":[],"code":"<code>","errors":[]}
	shapeThrottle                      // Laravel throttle {"message":"Too Many Attempts."}
	shapePage                          // an HTML page (the hosted payment page's 404 and its errors)
	shapeLaravelFirst                  // E3 of newer Laravel: {"message":"<first msg>","errors":{…}} (customers, reference §12.2)
)

// codeDef is one catalogue line.
type codeDef struct {
	status int
	shape  shape
	field  string // the field a Laravel body reports the message under
	ipg    int    // the "status" value of an IPG error body: 0, 2 (already verified) or 3 (expired)
	ravand string // the snake_case code of an E10 body
	msg    string
}

// laravelInvalid is the top-level message of every Laravel validation body.
const laravelInvalid = "The given data was invalid."

// codes is the catalogue: every code a handler returns and a scenario may name.
// Each product adds its own lines with addCodes from an init in its file, so
// products never edit one shared literal. Texts are the verbatim strings the
// public record shows (reference §18.3) where one exists; the others are marked
// "ours" in doc.go.
var codes = map[string]codeDef{}

// addCodes adds a product's lines to the catalogue; a code defined twice is a
// programming error caught at start.
func addCodes(m map[string]codeDef) {
	for k, v := range m {
		if _, dup := codes[k]; dup {
			panic("vandar: error code " + k + " defined twice")
		}
		codes[k] = v
	}
}

func init() { addCodes(coreCodes) }

// coreCodes are the cross-cutting codes and those of the core products (auth,
// business, gateway, refund).
var coreCodes = map[string]codeDef{
	// Cross-cutting (reference §1.5, §1.6).
	"UNAUTHENTICATED":     {status: 401, shape: shapeError, msg: "Unauthenticated"},
	"BUSINESS_NOT_FOUND":  {status: 404, shape: shapeError, msg: "کسب و کار وجود ندارد"},
	"BAD_REQUEST":         {status: 400, shape: shapeError, msg: "درخواست ارسال شده نامعتبر است."},
	"REQUEST_FAILED":      {status: 402, shape: shapeError, msg: "درخواست با خطا مواجه شد."},
	"FORBIDDEN":           {status: 403, shape: shapeError, msg: "شما به این بخش دسترسی ندارید."},
	"NOT_FOUND":           {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
	"METHOD_NOT_ALLOWED":  {status: 405, shape: shapeMessage, msg: "متد درخواست برای این آدرس مجاز نیست."},
	"NOT_ACCEPTABLE":      {status: 406, shape: shapeMessage, msg: "فرمت درخواست شده پشتیبانی نمی\u200cشود."},
	"BODY_TOO_LARGE":      {status: 413, shape: shapeMessage, msg: "حجم درخواست بیش از حد مجاز است."},
	"VALIDATION":          {status: 422, shape: shapeLaravel, field: "error", msg: "اطلاعات ارسالی معتبر نیست."},
	"TOO_MANY_ATTEMPTS":   {status: 429, shape: shapeThrottle, msg: "Too Many Attempts."},
	"SERVER_ERROR":        {status: 500, shape: shapeErrorMap, msg: "خطایی رخ داده است. لطفاً مجدداً تلاش کنید"},
	"EXTERNAL_ERROR":      {status: 502, shape: shapeMessage, msg: "خطای سرویس خارجی"},
	"SERVICE_UNAVAILABLE": {status: 503, shape: shapeMessage, msg: "سرویس در حال به\u200cروزرسانی است؛ لطفاً دقایقی دیگر تلاش کنید."},

	// Auth (reference §2.2).
	"REFRESHTOKEN_REQUIRED": {status: 422, shape: shapeLaravel, field: "refreshtoken", msg: "وارد کردن refreshtoken الزامی است"},
	"REFRESHTOKEN_STRING":   {status: 422, shape: shapeLaravel, field: "refreshtoken", msg: "refreshtoken باید رشته باشد."},

	"LOGIN_MOBILE_REQUIRED":   {status: 422, shape: shapeLaravel, field: "mobile", msg: "وارد کردن mobile الزامی است"},
	"LOGIN_PASSWORD_REQUIRED": {status: 422, shape: shapeLaravel, field: "password", msg: "وارد کردن password الزامی است"},
	"LOGIN_FAILED":            {status: 400, shape: shapeError, msg: "نام کاربری یا رمز عبور اشتباه وارد شده است"},

	// Transaction report query (reference §3.4).
	"REPORT_PER_PAGE":     {status: 422, shape: shapeLaravel, field: "per_page", msg: "per_page نباید بزرگتر از 100 باشد."},
	"REPORT_DATE":         {status: 422, shape: shapeLaravel, field: "fromDate", msg: "تاریخ باید به شکل YYYYMMDD شمسی باشد."},
	"REPORT_STATUS":       {status: 422, shape: shapeLaravel, field: "status", msg: "status انتخاب شده معتبر نیست."},
	"REPORT_STATUS_KIND":  {status: 422, shape: shapeLaravel, field: "statusKind", msg: "statusKind انتخاب شده معتبر نیست."},
	"REPORT_CHANNEL":      {status: 422, shape: shapeLaravel, field: "channel", msg: "channel انتخاب شده معتبر نیست."},
	"REPORT_SEARCH_FIELD": {status: 422, shape: shapeLaravel, field: "search_field", msg: "search_field انتخاب شده معتبر نیست."},
	"REPORT_START_AFTER":  {status: 422, shape: shapeLaravel, field: "start_after", msg: "start_after باید عدد باشد."},
	"IAM_PAGE":            {status: 422, shape: shapeLaravel, field: "page", msg: "page باید عدد صحیح بزرگتر از صفر باشد."},

	// IPG send, transaction, verify (reference §4.1, §4.4, §4.5, §18.3).
	"IPG_API_KEY_REQUIRED":  {status: 422, shape: shapeIPG, msg: "وارد کردن api key الزامی است"},
	"IPG_API_KEY_INVALID":   {status: 422, shape: shapeIPG, msg: "api_key معتبر نیست"},
	"IPG_IP_INVALID":        {status: 422, shape: shapeIPG, msg: "IP پذیرنده معتبر نیست"},
	"IPG_CALLBACK_REQUIRED": {status: 422, shape: shapeIPG, msg: "وارد کردن callback_url الزامی است"},
	"IPG_CALLBACK_INVALID":  {status: 422, shape: shapeIPG, msg: "callback_url معتبر نیست"},
	"IPG_CALLBACK_DOMAIN":   {status: 422, shape: shapeIPG, msg: "آدرس بازگشتی معتبر نیست"},
	"IPG_AMOUNT_REQUIRED":   {status: 422, shape: shapeIPG, msg: "وارد کردن amount الزامی است"},
	"IPG_AMOUNT_MIN":        {status: 422, shape: shapeIPG, msg: "amount نباید کوچکتر از 1000 باشد."},
	// Not documented: a sandbox bound (maxWalletRial) so no wallet sum wraps,
	// in Laravel's max line as the customer wallet's.
	"IPG_AMOUNT_MAX":         {status: 422, shape: shapeIPG, msg: "amount نباید بزرگتر از " + itoa(maxWalletRial) + " باشد."},
	"IPG_AMOUNT_NUMERIC":     {status: 422, shape: shapeIPG, msg: "amount باید عدد یا رشته\u200cای از اعداد باشد"},
	"IPG_MOBILE_INVALID":     {status: 422, shape: shapeIPG, msg: "شماره موبایل قابل قبول نیست."},
	"IPG_FACTOR_INVALID":     {status: 422, shape: shapeIPG, msg: "factorNumber باید رشته باشد."},
	"IPG_DESCRIPTION_LONG":   {status: 422, shape: shapeIPG, msg: "description نباید بیشتر از 255 کاراکتر باشد."},
	"IPG_COMMENT_INVALID":    {status: 422, shape: shapeIPG, msg: "comment باید رشته باشد."},
	"IPG_NATIONAL_CODE":      {status: 422, shape: shapeIPG, msg: "کد ملی قابل قبول نیست."},
	"IPG_NATIONAL_NO_MOBILE": {status: 422, shape: shapeIPG, msg: "برای استفاده از کد ملی وارد کردن mobile_number الزامی است"},
	"IPG_CARD_INVALID":       {status: 422, shape: shapeIPG, msg: "شماره کارت قابل قبول نیست."},
	"IPG_CARD_TOO_MANY":      {status: 422, shape: shapeIPG, msg: "حداکثر 10 شماره کارت مجاز است."},
	"IPG_PORT_INVALID":       {status: 422, shape: shapeIPG, msg: "port انتخاب شده معتبر نیست."},
	"IPG_TOKEN_REQUIRED":     {status: 422, shape: shapeIPG, msg: "وارد کردن token الزامی است"},
	"IPG_TOKEN_INVALID":      {status: 422, shape: shapeIPG, msg: "token معتبر نیست"},
	"IPG_FAILED":             {status: 422, shape: shapeIPG, msg: "تراکنش با خطا مواجه شده است"},
	"IPG_ALREADY_VERIFIED":   {status: 422, shape: shapeIPG, ipg: 2, msg: "نتیجه تراکنش قبلا از طرف وندار اعلام گردیده."},
	"IPG_VERIFY_EXPIRED":     {status: 422, shape: shapeIPG, ipg: 3, msg: "مهلت تایید تراکنش به پایان رسیده است."},
	"IPG_NOT_FOUND":          {status: 404, shape: shapeIPG, msg: "خطای 404 رخ داده است."},
	"IPG_METHOD":             {status: 405, shape: shapeIPG, msg: "متد درخواست برای این آدرس مجاز نیست."},
	"IPG_SERVER_ERROR":       {status: 500, shape: shapeIPG, msg: "خطایی رخ داده است. لطفاً مجدداً تلاش کنید"},

	// The hosted payment page (reference §4.2) and the bank's answers to a
	// payment. A page code renders the page; a PAY_ code is the bank's verdict,
	// which the page turns into a FAILED redirect (or, forced on an API route, an
	// IPG failure body).
	"PAGE_NOT_FOUND":         {status: 404, shape: shapePage, msg: "صفحه پرداخت یافت نشد یا منقضی شده است."},
	"PAY_INSUFFICIENT_FUNDS": {status: 422, shape: shapeIPG, msg: "موجودی کارت کافی نیست."},
	"PAY_WRONG_CVV2":         {status: 422, shape: shapeIPG, msg: "CVV2 وارد شده اشتباه است."},
	"PAY_EXPIRED_CARD":       {status: 422, shape: shapeIPG, msg: "تاریخ انقضای کارت گذشته یا اشتباه است."},
	"PAY_WRONG_OTP":          {status: 422, shape: shapeIPG, msg: "رمز پویا اشتباه یا منقضی است."},
	"PAY_CARD_NOT_ALLOWED":   {status: 422, shape: shapeIPG, msg: "پرداخت با این کارت مجاز نیست."},
	"PAY_CANCELLED":          {status: 422, shape: shapeIPG, msg: "کاربر صفحه پرداخت را ترک کرده است."},
	"PAY_BANK_TIMEOUT":       {status: 504, shape: shapeIPG, msg: "پاسخی از بانک دریافت نشد."},
	"PAY_BANK_ERROR":         {status: 502, shape: shapeIPG, msg: "خطای سامانه بانک؛ لطفاً دوباره تلاش کنید."},

	// Refund (reference §5).
	"REFUND_TX_NOT_FOUND":      {status: 404, shape: shapeMessage, msg: "تراکنش مورد نظر یافت نشد."},
	"REFUND_NOT_REFUNDABLE":    {status: 422, shape: shapeLaravel, field: "transaction_id", msg: "فقط تراکنش موفق درگاه پرداخت قابل بازگشت است."},
	"REFUND_ALREADY":           {status: 422, shape: shapeLaravel, field: "transaction_id", msg: "مبلغ این تراکنش قبلا بازگشت داده شده است."},
	"REFUND_AMOUNT_NUMERIC":    {status: 422, shape: shapeLaravel, field: "amount", msg: "amount باید عدد باشد."},
	"REFUND_AMOUNT_MIN":        {status: 422, shape: shapeLaravel, field: "amount", msg: "amount باید بزرگتر از صفر باشد."},
	"REFUND_AMOUNT_MAX":        {status: 422, shape: shapeLaravel, field: "amount", msg: "مبلغ بازگشت بیشتر از مبلغ قابل بازگشت تراکنش است."},
	"REFUND_BALANCE":           {status: 422, shape: shapeLaravel, field: "amount", msg: "عدم کفایت موجودی (کسری موجودی)"},
	"REFUND_PAYMENT_NUMBER":    {status: 422, shape: shapeLaravel, field: "payment_number", msg: "payment_number تکراری است."},
	"REFUND_NOTIFY_URL":        {status: 422, shape: shapeLaravel, field: "notify_url", msg: "notify_url معتبر نیست."},
	"REFUND_DESCRIPTION":       {status: 422, shape: shapeLaravel, field: "description", msg: "description نباید بیشتر از 255 کاراکتر باشد."},
	"REFUND_TOOL_INACTIVE":     {status: 403, shape: shapeMessage, msg: "ابزار بازگشت وجه برای شما فعال نیست"},
	"REFUND_TRANSACTION_ID":    {status: 422, shape: shapeLaravel, field: "transaction_id", msg: "transaction_id باید عدد باشد."},
	"REFUND_STRING":            {status: 422, shape: shapeLaravel, field: "payment_number", msg: "payment_number باید رشته باشد."},
	"RAVAND_UNAUTHENTICATED":   {status: 401, shape: shapeRavand, ravand: "unauthenticated", msg: "خطای احراز هویت"},
	"RAVAND_FORBIDDEN":         {status: 403, shape: shapeRavand, ravand: "forbidden", msg: "سطح دسترسی محدود شده است."},
	"RAVAND_NOT_FOUND":         {status: 404, shape: shapeRavand, ravand: "not_found", msg: "منبع مورد نظر یافت نشد"},
	"RAVAND_EXTERNAL_ERROR":    {status: 502, shape: shapeRavand, ravand: "external_service_error", msg: "خطای سرویس خارجی"},
	"RAVAND_VALIDATION":        {status: 422, shape: shapeRavand, ravand: "validation_error", msg: "اطلاعات ارسالی معتبر نیست."},
	"RAVAND_TOO_MANY":          {status: 429, shape: shapeThrottle, msg: "Too Many Attempts."},
	"SUBSCRIPTION_NOT_FOUND":   {status: 404, shape: shapeMessage, msg: "خطای ۴۰۴ رخ داده است"},
	"BATCH_NOT_FOUND":          {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
	"BATCH_METHOD_NOT_ALLOWED": {status: 405, shape: shapeMessage, msg: "متد درخواست برای این آدرس مجاز نیست."},
}

// catalogue builds the engine's view of the table, with the configured status of
// the business-not-found answer (404 by default, 400 as some clients saw it).
func catalogue(businessStatus int) envelope.Catalogue {
	cat := envelope.Catalogue{}
	for code, d := range codes {
		st := d.status
		if code == "BUSINESS_NOT_FOUND" {
			st = businessStatus
		}
		cat[code] = envelope.Entry{Status: st, Message: d.msg}
	}
	return cat
}

// problem is one failed rule of a request: a catalogue code, optionally under
// another field or with another text (a Laravel rule that names its field).
type problem struct {
	code  string
	field string
	msg   string
}

// problems is an ordered list of failed rules. Vandar reports every failed field
// at once, in the order its validator declares them; the order is kept here
// because envelope.Error's field map has none.
type problems []problem

func (ps problems) Error() string {
	if len(ps) == 0 {
		return "no problem"
	}
	return ps[0].code
}

// fail builds the error for one code.
func (p *Provider) fail(code string) *envelope.Error { return p.cat.Err(code) }

// failAll builds one error reporting every problem in order; the first decides
// the code and status.
func (p *Provider) failAll(ps problems) *envelope.Error {
	e := p.cat.Err(ps[0].code)
	e.Fields = map[string][]string{}
	for _, pr := range ps {
		f, m := pr.resolve()
		e.Fields[f] = append(e.Fields[f], m)
	}
	e.Cause = ps
	return e
}

// resolve is the field and text a problem is reported with.
func (pr problem) resolve() (field, msg string) {
	d := codes[pr.code]
	field, msg = d.field, d.msg
	if pr.field != "" {
		field = pr.field
	}
	if pr.msg != "" {
		msg = pr.msg
	}
	return field, msg
}

// httpStatus is the status an error goes out with: the catalogue's, or for
// errors the engine raises, the one it carries, kept within 4xx/5xx.
func httpStatus(e *envelope.Error, fallback int) int {
	st := e.Status
	if st < 400 || st > 599 {
		st = fallback
	}
	if st == 0 {
		st = http.StatusInternalServerError
	}
	return st
}
