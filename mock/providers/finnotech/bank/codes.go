package bank

import "sort"

// The §6.3 table, in the order and with the Persian wording of the chargeCard
// page (Finnotech's chargeCard documentation page). The
// texts are verbatim, typos included ("تارکنشهای", "وضغیت", "merchanti id"):
// clients that compare descriptions compare against these. A107 appears twice
// on the page; it is listed once. Class: S success, F definite failure, U in
// doubt (inquire, do not resend).
var resultCodes = []ResultCode{
	{Code: "A00", Class: "S", Description: "وضعیت تراکنش موفق است"},
	{Code: "A100", Class: "F", Description: "ناموفق، نام کاربری یا کلمه عبور اشتباه است."},
	{Code: "A101", Class: "F", Description: "ناموفق، اختلاف زمانی بین خادم و مخدوم بیش از ده دقیقه است."},
	{Code: "A102", Class: "F", Description: "ناموفق، Hash نامعتبر است."},
	{Code: "A103", Class: "F", Description: "ناموفق، کارت از نوع بن کارت نمیباشد. کارتهایی که با ۶۳۶۲۱۴۲ یا ۶۳۶۲۱۴۴ شروع میشود."},
	{Code: "A104", Class: "F", Description: "ناموفق، شماره سفارش تکراری است"},
	{Code: "A105", Class: "F", Description: "ناموفق، امکان دسترسی به اطلاعات کارت مقصد موجود نیست."},
	{Code: "A106", Class: "U", Description: "نامشخص، خطا غیر منتظره در زمان انتقال وجه از کارت تنخواه به کارت مشتری (لطفا تا زمان اطمینان از وضعیت تراکنش از ارسال مجدد آن خودداری شود.)"},
	{Code: "A107", Class: "F", Description: "حساب فاقد کد تفصیلی است."},
	{Code: "A111", Class: "F", Description: "محدودیت در مبلغ تارکنشهای یک کارت"},
	{Code: "A112", Class: "F", Description: "محدودیت در مبلغ هر تراکنش"},
	{Code: "A113", Class: "F", Description: "محدودیت در مبلغ تراکنشهای روزانه"},
	{Code: "A114", Class: "F", Description: "محدودیت در مبلغ تراکنشهای ماهانه"},
	{Code: "A115", Class: "F", Description: "محدودیتهای تراکنشهای حساب مشتری"},
	{Code: "A116", Class: "F", Description: "محدودیت تراکنشهای روزانه حساب"},
	{Code: "A117", Class: "F", Description: "محدودیتهای تراکنشهای ماهانه حساب"},
	{Code: "A118", Class: "F", Description: "محدودیت زمان تراکنش"},
	{Code: "A123", Class: "U", Description: "وضعیت تراکنش نامشخص است"},
	{Code: "A210", Class: "F", Description: "ناموفق، عدم دریافت کد رهگیری برای ادامهی فرآیند شارژ."},
	{Code: "A211", Class: "U", Description: "نامشخص، خطا غیر منتظره در سامانه. (لطفا تا زمان اطمینان از وضغیت تراکنش از ارسال مجدد آن خودداری شود.)"},
	{Code: "A220", Class: "F", Description: "ناموفق، عدم دریافت اطلاعات کارت تنخواه"},
	{Code: "B01", Class: "F", Description: "احراز هویت ناموفق (نام کاربری، کلمه عبور یا آدرس آی پی اشتباه است)"},
	{Code: "B02", Class: "F", Description: "دسترسی کافی جهت اجرای سرویس را ندارید"},
	{Code: "B04", Class: "F", Description: "شماره کارت نامعتبر است"},
	{Code: "B05", Class: "F", Description: "شماره قبض نامعتبر است"},
	{Code: "B06", Class: "F", Description: "شماره پین دوم نامعتبر است"},
	{Code: "B07", Class: "F", Description: "شماره سی وی ۲ نامعتبر است"},
	{Code: "B08", Class: "F", Description: "تاریخ انقضای کارت اشتباه است"},
	{Code: "B09", Class: "F", Description: "شناسه پرداخت قبض اشتباه است"},
	{Code: "B10", Class: "F", Description: "مبلغ وارد شده نامعتبر است"},
	{Code: "B11", Class: "F", Description: "خطای عمومی"},
	{Code: "B12", Class: "F", Description: "شماره پیگیری مشتری نامعتبر است (طول رشته یا کاراکترهای رشته قابل قبول نیست)"},
	{Code: "B14", Class: "F", Description: "شماره کارت نامعتبر است"},
	{Code: "B20", Class: "F", Description: "شماره merchanti id نامعتبر است"},
	{Code: "B26", Class: "F", Description: "درخواست خرید با ای دی مورد نظر جهت ابطال پیدا نشد"},
	{Code: "B75", Class: "F", Description: "کارت مذکور سه بار رمز را اشتباه وارد کرده است"},
	{Code: "B78", Class: "F", Description: "بن کارت موردنظر غیرفعال می باشد"},
	{Code: "C10", Class: "F", Description: "موجودی حساب ناکافی است"},
	{Code: "D01", Class: "F", Description: "با بانک صادر کننده کارت تماس حاصل فرمایید"},
	{Code: "D03", Class: "F", Description: "پذیرنده کارت فعال نیست. در پرداخت قبض به این معنی است که سازمان مربوطه در سیستم پرداخت قبض پشتیبانی نمیشود"},
	{Code: "D12", Class: "F", Description: "تراکنش معتبر نمیباشد"},
	{Code: "D13", Class: "F", Description: "مبلغ تراکنش معتبر نمیباشد"},
	{Code: "D14", Class: "F", Description: "شماره کارت صحیح نمیباشد"},
	{Code: "D25", Class: "F", Description: "رکورد پیدا نشد"},
	{Code: "D30", Class: "F", Description: "فرمت پیام دارای اشکال است"},
	{Code: "D33", Class: "F", Description: "کارت منقضی شده است"},
	{Code: "D41", Class: "F", Description: "کارت مفقوده میباشد"},
	{Code: "D43", Class: "F", Description: "کارت مسروقه است"},
	{Code: "D44", Class: "F", Description: "اطلاعات قبض در سیستم یافت نشد"},
	{Code: "D48", Class: "F", Description: "قبض قبلا پرداخت شده است"},
	{Code: "D51", Class: "F", Description: "موجودی حساب کافی نمیباشد"},
	{Code: "D55", Class: "F", Description: "رمز وارده صحیح نمیباشد"},
	{Code: "D56", Class: "F", Description: "شماره کارت صحیح نمیباشد یا CVV اشتباه است"},
	{Code: "D57", Class: "F", Description: "دارنده کارت مجاز به انجام این تراکنش نمیباشد / ورود شماره شناسیایی فردی (PIN) از حد مجاز گذشته است"},
	{Code: "D58", Class: "F", Description: "پذیرنده کارت مجاز به انجام این تراکنش نمیباشد"},
	{Code: "D61", Class: "F", Description: "مبلغ تراکنش از حد مجاز بالاتر است"},
	{Code: "D65", Class: "F", Description: "تعداد دفعات تراکنش از حد مجاز بیشتر است"},
	{Code: "D79", Class: "F", Description: "شماره حساب نامعتبر است"},
	{Code: "D80", Class: "F", Description: "تراکنش موفق عمل نکرده است"},
	{Code: "D84", Class: "F", Description: "سوییچ صادرکننده کارت فعال نیست"},
	{Code: "D88", Class: "F", Description: "سیستم دچار اشکال شده است"},
	{Code: "D90", Class: "F", Description: "ارتباط بطور موقت قطع میباشد"},
	{Code: "D91", Class: "U", Description: "پاسخ در زمان تعیین شده به دست سیستم نرسیده است"},
	{Code: "D100", Class: "U", Description: "وضعیت تراکنش نامشخص است"},
	{Code: "F00", Class: "S", Description: "استعلام کارت با موفقیت انجام شد"},
	{Code: "F101", Class: "F", Description: "استعلام کارت با موفقیت انجام نشد"},
	{Code: "F123", Class: "F", Description: "استعلام کارت به دلیل خطای نامشخص با موفقیت انجام نشد"},
	{Code: "F102", Class: "F", Description: "شماره کارت یافت نشد"},
	{Code: "F103", Class: "F", Description: "در ارتباط با سرور بانک خطایی رخ داده است"},
	{Code: "G100", Class: "U", Description: "استعلام تراکنش به دلیل خطای نامشخص با موفقیت انجام نشد"},
	{Code: "G101", Class: "F", Description: "وضعیت استعلام تراکنش ناموفق است"},
	{Code: "G102", Class: "F", Description: "وضعیت استعلام تراکنش ناموفق است"},
	{Code: "G103", Class: "F", Description: "وضعیت استعلام تراکنش ناموفق است"},
	{Code: "G104", Class: "F", Description: "وضعیت استعلام تراکنش ناموفق است"},
}

// codeIndex maps a code to its line of resultCodes.
var codeIndex = func() map[string]int {
	m := make(map[string]int, len(resultCodes))
	for i, c := range resultCodes {
		m[c.Code] = i
	}
	return m
}()

// Class constants of ResultCode.Class.
const (
	ClassSuccess = "S"
	ClassFailure = "F"
	ClassUnknown = "U"
)

// ResultCodes lists every code of §6.3 with its class, Persian description and
// the chargeState / transactionStatus it is reported with.
func ResultCodes() []ResultCode {
	out := make([]ResultCode, len(resultCodes))
	for i, c := range resultCodes {
		out[i] = withStates(c)
	}
	return out
}

// withStates fills the derived columns. A definite failure is reported with
// chargeState UNKNOWN by chargeCard, as the doc's only failure example (A107)
// shows; the inquiry is what tells Unsuccess from Unknown.
func withStates(c ResultCode) ResultCode {
	switch c.Class {
	case ClassSuccess:
		c.ChargeState, c.TransactionStatus = StateDone, StatusSuccess
	case ClassUnknown:
		c.ChargeState, c.TransactionStatus = StateUnknown, StatusUnknown
	default:
		c.ChargeState, c.TransactionStatus = StateUnknown, StatusUnsuccess
	}
	return c
}

// LookupCode returns the §6.3 line for code.
func LookupCode(code string) (ResultCode, bool) {
	i, ok := codeIndex[code]
	if !ok {
		return ResultCode{}, false
	}
	return withStates(resultCodes[i]), true
}

// UnknownCodes lists the U-class codes, sorted.
func UnknownCodes() []string {
	var out []string
	for _, c := range resultCodes {
		if c.Class == ClassUnknown {
			out = append(out, c.Code)
		}
	}
	sort.Strings(out)
	return out
}

// description is the Persian text of code; codes outside the table get the
// text of B11 (general error).
func description(code string) string {
	if i, ok := codeIndex[code]; ok {
		return resultCodes[i].Description
	}
	return resultCodes[codeIndex["B11"]].Description
}

// classOf is the class of code; codes outside the table are failures.
func classOf(code string) string {
	if i, ok := codeIndex[code]; ok {
		return resultCodes[i].Class
	}
	return ClassFailure
}
