package vandar

// Direct debit's catalogue lines (reference §11, §18.2, §18.3). Documented
// texts are verbatim; the validation texts follow the Persian Laravel messages
// Vandar's other validators send (the reference records none for these fields).
func init() {
	addCodes(debitCodes)
	for code, msg := range wdCodes {
		// The 27 bank answers a scenario may give a withdrawal (vandar.ddWithdrawalStore,
		// failure code DD_01 … DD_27): recorded on the withdrawal, never an HTTP error.
		addCodes(map[string]codeDef{"DD_" + code: {status: 422, shape: shapeMessage, msg: msg}})
	}
}

// ddRequired and ddNotString are direct debit's Laravel lines for a field that
// is missing and for one that is not a string.
func ddRequired(field string) problem {
	return problem{code: "DD_REQUIRED", field: field, msg: "وارد کردن " + field + " الزامی است"}
}

func ddNotString(field string) problem {
	return problem{code: "DD_STRING", field: field, msg: field + " باید رشته باشد."}
}

// ddString reads a direct-debit string field: a missing one is ddRequired
// when required, one that is not a string ddNotString; ok says s was sent as
// a string.
func ddString(in input, name string, required bool, ps *problems) (s string, ok bool) {
	s, present, ok := in.str(name)
	switch {
	case !present:
		if required {
			*ps = append(*ps, ddRequired(name))
		}
		return "", false
	case !ok:
		*ps = append(*ps, ddNotString(name))
		return "", false
	}
	return s, true
}

var debitCodes = map[string]codeDef{
	// Mandates (reference §11.2–§11.9).
	"DD_REQUIRED":          {status: 422, shape: shapeLaravel, field: "error", msg: "وارد کردن این فیلد الزامی است"},
	"DD_STRING":            {status: 422, shape: shapeLaravel, field: "error", msg: "این فیلد باید رشته باشد."},
	"DD_BANK_CODE":         {status: 422, shape: shapeLaravel, field: "bank_code", msg: "bank_code انتخاب شده معتبر نیست."},
	"DD_MOBILE":            {status: 422, shape: shapeLaravel, field: "mobile", msg: "شماره موبایل قابل قبول نیست."},
	"DD_CALLBACK":          {status: 422, shape: shapeLaravel, field: "callback_url", msg: "callback_url معتبر نیست"},
	"DD_COUNT":             {status: 422, shape: shapeLaravel, field: "count", msg: "count باید عدد صحیح بزرگتر از صفر باشد."},
	"DD_LIMIT":             {status: 422, shape: shapeLaravel, field: "limit", msg: "limit باید عدد صحیح بزرگتر از صفر باشد."},
	"DD_LIMIT_MAX":         {status: 422, shape: shapeLaravel, field: "limit", msg: "limit نباید بزرگتر از " + itoa(maxWalletRial) + " باشد."},
	"DD_EXPIRATION_FORMAT": {status: 422, shape: shapeLaravel, field: "expiration_date", msg: "expiration_date با الگوی Y-m-d مطابقت ندارد."},
	"DD_EXPIRATION_AFTER":  {status: 422, shape: shapeLaravel, field: "expiration_date", msg: "expiration_date باید تاریخی بعد از امروز باشد."},
	"DD_EXPIRATION_BEFORE": {status: 422, shape: shapeLaravel, field: "expiration_date", msg: ddBeforeMsg("expiration_date")},
	"DD_EMAIL":             {status: 422, shape: shapeLaravel, field: "email", msg: "email باید یک ایمیل معتبر باشد."},
	"DD_NATIONAL_CODE":     {status: 422, shape: shapeLaravel, field: "national_code", msg: "کد ملی قابل قبول نیست."},
	"DD_WAGE_TYPE":         {status: 422, shape: shapeLaravel, field: "wage_type", msg: "wage_type انتخاب شده معتبر نیست."},
	"DD_APP_NOT_FOUND":     {status: 404, shape: shapeMessage, msg: "برنامه کاربردی با این شناسه کاربری یافت نشد"},
	"DD_MANDATE_NOT_FOUND": {status: 404, shape: shapeMessage, msg: "چنین مجوزی یافت نشد."},
	"DD_MANDATE_REVOKED":   {status: 422, shape: shapeLaravel, field: "message", msg: "مجوز باطل شده است."},
	"DD_ALREADY_VERIFIED":  {status: 422, shape: shapeMessage, msg: "مجوز پیش از این تایید شده است."},
	"DD_VERIFY_EXPIRED":    {status: 422, shape: shapeMessage, msg: "مهلت تایید مجوز به پایان رسیده است."},
	"DD_PAGE_NOT_FOUND":    {status: 404, shape: shapePage, msg: "درخواست مجوز یافت نشد، منقضی شده یا قبلا پاسخ داده شده است."},
	"DD_BANK_UNREACHABLE":  {status: 502, shape: shapePage, msg: "امکان اتصال به بانک وجود ندارد."},
	"DD_MANDATE_REFUSED":   {status: 422, shape: shapePage, msg: "مشتری مجوز را رد کرد."},

	// Withdrawals (reference §11.10–§11.14).
	"DD_WD_AMOUNT":           {status: 422, shape: shapeLaravel, field: "amount", msg: "amount باید عدد صحیح بزرگتر از صفر باشد."},
	"DD_WD_DATE_REQUIRED":    {status: 422, shape: shapeLaravel, field: "withdrawal_date", msg: "وارد کردن withdrawal_date در برداشت غیرآنی الزامی است"},
	"DD_WD_DATE_FORMAT":      {status: 422, shape: shapeLaravel, field: "withdrawal_date", msg: "withdrawal_date با الگوی Y-m-d مطابقت ندارد."},
	"DD_WD_DATE_AFTER":       {status: 422, shape: shapeLaravel, field: "withdrawal_date", msg: "withdrawal_date باید تاریخی بعد از امروز باشد."},
	"DD_WD_DATE_BEFORE":      {status: 422, shape: shapeLaravel, field: "withdrawal_date", msg: ddBeforeMsg("withdrawal_date")},
	"DD_WD_INSTANT":          {status: 422, shape: shapeLaravel, field: "is_instant", msg: "is_instant انتخاب شده معتبر نیست."},
	"DD_WD_NOTIFY":           {status: 422, shape: shapeLaravel, field: "notify_url", msg: "notify_url معتبر نیست."},
	"DD_WD_RETRY":            {status: 422, shape: shapeLaravel, field: "max_retry_count", msg: "max_retry_count باید بین 1 و 16 باشد."},
	"DD_WD_AUTO_RETRY":       {status: 422, shape: shapeLaravel, field: "is_auto_retry", msg: "is_auto_retry باید true یا false باشد."},
	"DD_WD_DESCRIPTION":      {status: 422, shape: shapeLaravel, field: "description", msg: "description نباید بیشتر از 255 کاراکتر باشد."},
	"DD_WD_TRACK_LONG":       {status: 422, shape: shapeLaravel, field: "track_id", msg: "track_id نباید بیشتر از 255 کاراکتر باشد."},
	"DD_WD_TRACK_DUP":        {status: 422, shape: shapeLaravel, field: "track_id", msg: "یک دستور برداشت با این شناسه قبلا ثبت شد است."},
	"DD_WD_COUNT":            {status: 422, shape: shapeStatusMap, field: "authorization_id", msg: "ذخیره برداشت وجه به دلیل رسیدن به حداکثر تعداد برداشت در ماه، امکان پذیر نیست."},
	"DD_WD_LIMIT":            {status: 422, shape: shapeStatusMap, field: "amount", msg: "مبلغ برداشت بیشتر از سقف مبلغ هر برداشت در مجوز است."},
	"DD_WD_MANDATE_INACTIVE": {status: 422, shape: shapeStatusMap, field: "authorization_id", msg: "مجوز فعال نیست؛ مجوز باید تایید شده و منقضی نشده باشد."},
	"DD_WD_BANK":             {status: 409, shape: shapeMessage, msg: "درحال حاضر امکان ثبت درخواست برداشت وجه در بانک مورد نظر وجود ندارد."},
	"DD_WD_NOT_FOUND":        {status: 404, shape: shapeMessage, msg: "خطای ۴۰۴ رخ داده است"},
	"DD_WD_NOT_CANCELABLE":   {status: 422, shape: shapeMessage, msg: "فقط برداشت زمان\u200cبندی\u200cشده\u200cای که هنوز انجام نشده قابل لغو است."},

	// Subscription refunds (reference §11.16).
	"DD_REFUND_NOT_FOUND":  {status: 404, shape: shapeMessage, msg: "خطای ۴۰۴ رخ داده است"},
	"DD_REFUND_NOT_DONE":   {status: 422, shape: shapeLaravel, field: "withdrawal_id", msg: "فقط برداشت موفق قابل بازگشت است."},
	"DD_REFUND_ALREADY":    {status: 422, shape: shapeLaravel, field: "withdrawal_id", msg: "مبلغ این برداشت قبلا بازگشت داده شده است."},
	"DD_REFUND_AMOUNT_MAX": {status: 422, shape: shapeLaravel, field: "amount", msg: "مبلغ بازگشت بیشتر از مبلغ قابل بازگشت برداشت است."},
}
