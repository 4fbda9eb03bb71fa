package kavenegar

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
)

// okMessage is the return.message of every success.
const okMessage = "تایید شد"

// catalogue is Kavenegar's return-code table. The Persian texts are the ones
// public client libraries agree on; the official page with the table was not
// available, so the wording follows the newest third-party tables (900-character
// limit for 413, 200/500 records for 414).
var catalogue = envelope.Catalogue{
	"400": {Status: 400, Message: "پارامترها ناقص هستند"},
	"401": {Status: 401, Message: "حساب کاربری غیرفعال شده است"},
	"402": {Status: 402, Message: "عملیات ناموفق بود"},
	"403": {Status: 403, Message: "کد شناسائی API-Key معتبر نمیباشد"},
	"404": {Status: 404, Message: "متد نامشخص است"},
	"405": {Status: 405, Message: "متد Get/Post اشتباه است"},
	"406": {Status: 406, Message: "پارامترهای اجباری خالی ارسال شده اند"},
	"407": {Status: 407, Message: "دسترسی به اطلاعات مورد نظر برای شما امکان پذیر نیست"},
	"409": {Status: 409, Message: "سرور قادر به پاسخگوئی نیست بعدا تلاش کنید"},
	"411": {Status: 411, Message: "دریافت کننده نامعتبر است"},
	"412": {Status: 412, Message: "ارسال کننده نامعتبر است"},
	"413": {Status: 413, Message: "پیام خالی است و یا طول پیام بیش از حد مجاز میباشد. حداکثر طول کل متن پیامک 900 کاراکتر می باشد"},
	"414": {Status: 414, Message: "حجم درخواست بیشتر از حد مجاز است ،ارسال پیامک :هر فراخوانی حداکثر 200 رکورد و کنترل وضعیت :هر فراخوانی 500 رکورد"},
	"415": {Status: 415, Message: "اندیس شروع بزرگ تر از کل تعداد شماره های مورد نظر است"},
	"416": {Status: 416, Message: "IP سرویس مبدا با تنظیمات مطابقت ندارد"},
	"417": {Status: 417, Message: "تاریخ ارسال اشتباه است و فرمت آن صحیح نمی باشد."},
	"418": {Status: 418, Message: "اعتبار شما کافی نمیباشد"},
	"419": {Status: 419, Message: "طول آرایه متن و گیرنده و فرستنده هم اندازه نیست"},
	"420": {Status: 420, Message: "استفاده از لینک در متن پیام برای شما محدود شده است"},
	"422": {Status: 422, Message: "داده ها به دلیل وجود کاراکتر نامناسب قابل پردازش نیست"},
	"424": {Status: 424, Message: "الگوی مورد نظر پیدا نشد"},
	"426": {Status: 426, Message: "استفاده از این متد نیازمند سرویس پیشرفته میباشد"},
	"427": {Status: 427, Message: "استفاده از این خط نیازمند ایجاد سطح دسترسی میباشد"},
	"428": {Status: 428, Message: "ارسال کد از طریق تماس تلفنی امکان پذیر نیست"},
	"429": {Status: 429, Message: "IP محدود شده است"},
	"431": {Status: 431, Message: "ساختار کد صحیح نمیباشد"},
	"432": {Status: 432, Message: "پارامتر کد در متن پیام پیدا نشد"},
	"451": {Status: 451, Message: "فراخوانی بیش از حد در بازه زمانی مشخص IP محدود شده"},
	"501": {Status: 501, Message: "فقط امکان ارسال پیام تست به شماره صاحب حساب کاربری وجود دارد"},
}

// errorCodes is every code a scenario may force; the same list serves every
// operation because Kavenegar documents its codes per API, not per method.
var errorCodes = catalogue.Codes()

func errCode(code string) *envelope.Error { return catalogue.Err(code) }

// ret is the "return" object of the envelope.
type ret struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

type reply struct {
	Return  ret `json:"return"`
	Entries any `json:"entries"`
}

func ok(c echo.Context, entries any) error {
	return api.JSON(c, http.StatusOK, reply{Return: ret{Status: 200, Message: okMessage}, Entries: entries})
}

// raised maps errors the engine raises outside any handler onto Kavenegar codes.
// A panic or store failure becomes 409 ("cannot answer now, retry later") rather
// than 402 ("operation failed"), because 402 tells a client its request was judged
// and refused, which is not what happened.
var raised = envelope.Raised{
	envelope.KindNotFound:         {Code: "404"},
	envelope.KindMethodNotAllowed: {Code: "405"},
	envelope.KindTooLarge:         {Code: "414"},
	envelope.KindBadRequest:       {Code: "400"},
	envelope.KindInternal:         {Code: "409"},
}

// wire is Kavenegar's one envelope: {return: {status, message}, entries}.
type wire struct{}

func (wire) OK(c echo.Context, _ int, entries any) error { return ok(c, entries) }

// Err writes e as Kavenegar does: the envelope with entries null and an HTTP
// status equal to return.status, raw non-standard numbers included, because the Go
// SDK reads the body only when the HTTP status is not 200.
func (wire) Err(c echo.Context, e *envelope.Error) error {
	if e.Kind == envelope.KindProvider && !catalogue.Has(e.Code) {
		// A provider error without a catalogue code still has a status that may be
		// one; anything else is reported as a server that cannot answer.
		code := strconv.Itoa(e.Status)
		if !catalogue.Has(code) {
			code = "409"
		}
		e = &envelope.Error{Code: code, Status: e.Status, Message: e.Message}
	}
	code, _, msg := catalogue.Resolve(e, raised)
	status, _ := strconv.Atoi(code)
	if e.Kind != envelope.KindProvider || e.Status != status {
		msg = catalogue[code].Message
	}
	return api.JSON(c, status, reply{Return: ret{Status: status, Message: msg}})
}
