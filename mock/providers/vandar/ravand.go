package vandar

import (
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Ravand (reference §15): cards issued by a partner bank under the business's
// own design, from the applicant's data to an activated card with banking.
// Every route answers family F ({"message","data"}, errors
// {"message","data":[],"code","errors":[]}). This file holds the catalogue,
// the reference data, set-config and the route table; ravand_issue.go the
// applicant's issuing order, ravand_card.go delivery, status and the card
// pages, ravand_bank.go the card's account and transfers, ravand_admin.go the
// control plane.

//go:embed data/ravand.yaml
var ravandYAML []byte

// Success messages of the documented samples.
const (
	rvDone = "عملیات با موفقیت انجام شد."
	rvRead = "اطلاعات با موفقیت دریافت شد."
)

func init() { addCodes(ravandCodes) }

// ravandCodes are the six error tables of the documentation, every row with its
// text verbatim (reference §15.3). Where the documentation names the code
// (cardholder_inquiry_is_not_done, cardholder_request_not_finalize) it is
// used; the other codes are ours (snake_case, as those two). The validation
// row states a condition, not a text: its message is ours, the failed fields go
// in errors.
var ravandCodes = map[string]codeDef{
	"RV_UNAUTHENTICATED":  {status: 401, shape: shapeRavand, ravand: "unauthenticated", msg: "خطای احراز هویت"},
	"RV_FORBIDDEN":        {status: 403, shape: shapeRavand, ravand: "forbidden", msg: "سطح دسترسی محدود شده است."},
	"RV_NOT_CONFIGURED":   {status: 403, shape: shapeRavand, ravand: "ravand_config_not_set", msg: "سطح دسترسی محدود شده است."},
	"RV_STEP_NOT_ALLOWED": {status: 403, shape: shapeRavand, ravand: "cardholder_step_not_allowed", msg: "امکان اجرای این مرحله برای این مشتری وجود ندارد"},
	"RV_CANNOT_FINALIZE":  {status: 403, shape: shapeRavand, ravand: "cardholder_finalize_not_allowed", msg: "امکان نهایی سازی درخواست برای متقاضی وجود ندارد"},
	"RV_VALIDATION":       {status: 422, shape: shapeRavand, ravand: "validation_error", msg: "اطلاعات ارسالی معتبر نیست."},
	"RV_NOT_FOUND":        {status: 404, shape: shapeRavand, ravand: "not_found", msg: "منبع مورد نظر یافت نشد"},
	"RV_DUPLICATE":        {status: 400, shape: shapeRavand, ravand: "cardholder_already_exists", msg: "متقاضی با این اطلاعات از قبل ثبت شده است"},
	"RV_MISMATCH":         {status: 400, shape: shapeRavand, ravand: "cardholder_information_mismatch", msg: "کد ملی و شماره موبایل یا کدملی و تاریخ تولد همخوانی ندارند"},
	"RV_NO_RECORD":        {status: 400, shape: shapeRavand, ravand: "national_code_not_found", msg: "اطلاعاتی با کدملی ارسالی یافت نشد"},
	"RV_NOT_FINALIZED":    {status: 400, shape: shapeRavand, ravand: "cardholder_request_not_finalize", msg: "درخواست متقاضی نهایی نشده است"},
	"RV_PROCESSING":       {status: 400, shape: shapeRavand, ravand: "cardholder_inquiry_is_not_done", msg: "درخواست در حال پردازش است"},
	"RV_REGISTRY_ERROR":   {status: 502, shape: shapeRavand, ravand: "civil_registry_inquiry_failed", msg: "خطا در استعلام ثبت احوال لطفا مجدد تلاش نمایید"},
	"RV_EXTERNAL_ERROR":   {status: 502, shape: shapeRavand, ravand: "external_service_error", msg: "خطای سرویس خارجی"},
	"RV_INSUFFICIENT":     {status: 400, shape: shapeRavand, ravand: "insufficient_balance", msg: "موجودی حساب کافی نیست"},
	"RV_OTP_INVALID":      {status: 400, shape: shapeRavand, ravand: "invalid_otp", msg: "کد تایید وارد شده صحیح نیست"},
	"RV_OTP_EXPIRED":      {status: 400, shape: shapeRavand, ravand: "otp_expired", msg: "کد تایید منقضی شده است؛ کد جدید دریافت کنید"},
	"RV_TRANSFER_CLOSED":  {status: 400, shape: shapeRavand, ravand: "transfer_not_pending", msg: "انتقال در انتظار تایید نیست"},
	"RV_PAGE_NOT_FOUND":   {status: 404, shape: shapePage, msg: "این پیوند معتبر نیست یا قبلا استفاده شده است."},
}

// rvFailures are the codes a scenario may force on any Ravand route.
var rvFailures = []string{"RV_UNAUTHENTICATED", "RV_FORBIDDEN", "RV_NOT_FOUND", "RV_EXTERNAL_ERROR", "TOO_MANY_ATTEMPTS", "SERVICE_UNAVAILABLE"}

func rvOutcomes(extra ...string) api.Outcomes {
	return api.Outcomes{Failures: append(slices.Clone(rvFailures), extra...), Unknown: []string{}}
}

// --- reference data ---

type rvProvider struct {
	Key     string   `yaml:"key"`
	Bank    string   `yaml:"bank"`
	Fields  []string `yaml:"fields"`
	Uploads []string `yaml:"uploads"`
	bank    iran.Bank
}

// rvItem is one entry of a reference list.
type rvItem struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	ProvinceID int64  `json:"province_id,omitempty"`
}

type rvData struct {
	providers map[string]rvProvider
	order     []string
	lists     map[string][]rvItem
	byID      map[string]map[int64]rvItem
}

func loadRavand() (*rvData, error) {
	var raw struct {
		Providers []rvProvider `yaml:"providers"`
	}
	var lists map[string]any
	if err := yaml.Unmarshal(ravandYAML, &raw); err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(ravandYAML, &lists); err != nil {
		return nil, err
	}
	d := &rvData{providers: map[string]rvProvider{}, lists: map[string][]rvItem{}, byID: map[string]map[int64]rvItem{}}
	for _, pv := range raw.Providers {
		b, ok := iran.BankByKey(pv.Bank)
		if !ok || len(b.BINs) == 0 {
			return nil, fmt.Errorf("vandar: ravand provider %s: no bank %q with a BIN", pv.Key, pv.Bank)
		}
		pv.bank = b
		d.providers[pv.Key] = pv
		d.order = append(d.order, pv.Key)
	}
	for _, name := range []string{"provinces", "cities", "guilds", "educations", "occupations", "reasons"} {
		rows, _ := lists[name].([]any)
		if len(rows) == 0 {
			return nil, fmt.Errorf("vandar: ravand list %s is empty", name)
		}
		d.byID[name] = map[int64]rvItem{}
		for _, r := range rows {
			cols, _ := r.([]any)
			if len(cols) < 2 {
				return nil, fmt.Errorf("vandar: ravand list %s: bad row %v", name, r)
			}
			it := rvItem{ID: int64(toInt(cols[0])), Title: fmt.Sprint(cols[1])}
			if len(cols) > 2 {
				it.ProvinceID = int64(toInt(cols[2]))
			}
			d.lists[name] = append(d.lists[name], it)
			d.byID[name][it.ID] = it
		}
	}
	return d, nil
}

func toInt(v any) int {
	n, _ := v.(int)
	return n
}

// ravandData is the reference data, read once; it ships in the binary, so a
// failure is a build defect the tests catch.
var ravandData = sync.OnceValue(func() *rvData {
	d, err := loadRavand()
	if err != nil {
		panic(err)
	}
	return d
})

// --- state ---

// rvTables are Ravand's store tables, all under the business's tenant.
type rvTables struct {
	config    *store.Table[rvConfig]   // "config"
	holders   *store.Table[cardholder] // cardholder_id
	nationals *store.Table[string]     // provider/national_code → cardholder_id
	cards     *store.Table[string]     // card_number → cardholder_id
	pages     *store.Table[cardPage]   // page token → the action it carries
	book      *ledger.Book[cardMeta]   // the cards' accounts: "card/<cardholder_id>", Rial
	transfers *store.Table[transfer]   // transfer_id
}

func newRvTables(s *store.Store) *rvTables {
	return &rvTables{
		config:    store.NewTable[rvConfig](s, "vandar.ravand_config"),
		holders:   store.NewTable[cardholder](s, "vandar.ravand_cardholders"),
		nationals: store.NewTable[string](s, "vandar.ravand_national_codes"),
		cards:     store.NewTable[string](s, "vandar.ravand_cards"),
		pages:     store.NewTable[cardPage](s, "vandar.ravand_pages"),
		book:      ledger.New[cardMeta](s, "vandar.ravand_ledger"),
		transfers: store.NewTable[transfer](s, "vandar.ravand_transfers"),
	}
}

// rvConfig is what set-config stored. Its body is not documented: sandbank
// takes an optional callback_url (where the hosted card pages send the
// cardholder's browser when done) and card_title (the design's name).
type rvConfig struct {
	CallbackURL string    `json:"callback_url"`
	CardTitle   string    `json:"card_title"`
	At          time.Time `json:"at"`
}

// --- auth ---

// authRavand is the Bearer check of the Ravand routes in family F's words:
// 401 "خطای احراز هویت", 404 "منبع مورد نظر یافت نشد" for another business,
// 403 "سطح دسترسی محدود شده است." for a read-only role and, except for
// set-config itself, for a business that has not called set-config
// (reference §15.5).
func (p *Provider) authRavand(needConfig bool) func(c echo.Context) (string, error) {
	base := p.authBusiness()
	return func(c echo.Context) (string, error) {
		slug, err := base(c)
		if err != nil {
			var e *envelope.Error
			if errors.As(err, &e) {
				switch e.Code {
				case "UNAUTHENTICATED":
					return slug, p.fail("RV_UNAUTHENTICATED")
				case "BUSINESS_NOT_FOUND":
					return slug, p.fail("RV_NOT_FOUND")
				case "FORBIDDEN":
					return slug, p.fail("RV_FORBIDDEN")
				}
			}
			return slug, err
		}
		if needConfig {
			if _, ok := p.rv.config.Get(slug, "config"); !ok {
				return slug, p.fail("RV_NOT_CONFIGURED")
			}
		}
		return slug, nil
	}
}

// --- set-config ---

type setConfigReq struct{ cfg rvConfig }

func (p *Provider) parseSetConfig(c *api.Call) (setConfigReq, error) {
	in := readInput(c)
	var r setConfigReq
	var ps problems
	if s, present, ok := in.str("callback_url"); present {
		if !ok || !httpURL(s) {
			ps = append(ps, rvProblem("callback_url", "callback_url باید یک آدرس http یا https معتبر باشد."))
		} else {
			r.cfg.CallbackURL = s
		}
	}
	if s, present, ok := in.str("card_title"); present {
		if !ok || len([]rune(s)) > 64 {
			ps = append(ps, rvProblem("card_title", "card_title باید رشته\u200cای حداکثر ۶۴ کاراکتری باشد."))
		} else {
			r.cfg.CardTitle = s
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

type configData struct {
	Business    string   `json:"business"`
	CallbackURL *string  `json:"callback_url"`
	CardTitle   *string  `json:"card_title"`
	Providers   []string `json:"providers"`
}

func (p *Provider) runSetConfig(c *api.Call, r setConfigReq) (Result, error) {
	r.cfg.At = c.Now
	p.rv.config.Put(c.Tenant, "config", r.cfg)
	out := configData{Business: c.Tenant, Providers: ravandData().order}
	if r.cfg.CallbackURL != "" {
		out.CallbackURL = &r.cfg.CallbackURL
	}
	if r.cfg.CardTitle != "" {
		out.CardTitle = &r.cfg.CardTitle
	}
	return Result{Message: rvDone, Data: out}, nil
}

// --- reference lists ---

type rvListReq struct {
	name     string
	province int64
}

func (p *Provider) parseList(name string) func(c *api.Call) (rvListReq, error) {
	return func(c *api.Call) (rvListReq, error) {
		r := rvListReq{name: name}
		if name != "cities" {
			return r, nil
		}
		// cities takes an optional province_id filter (ours: the list is by
		// province, reference §15.4).
		if s := c.QueryParam("province_id"); s != "" {
			n, ok := int64Of(s)
			if _, known := ravandData().byID["provinces"][n]; !ok || !known {
				return r, p.failAll(problems{rvProblem("province_id", "province_id انتخاب شده معتبر نیست.")})
			}
			r.province = n
		}
		return r, nil
	}
}

func (p *Provider) runList(c *api.Call, r rvListReq) (Result, error) {
	items := []rvItem{}
	for _, it := range ravandData().lists[r.name] {
		if r.province == 0 || it.ProvinceID == r.province {
			items = append(items, it)
		}
	}
	return Result{Message: rvRead, Data: items}, nil
}

// rvProblem is a 422 line: the field and its message.
func rvProblem(field, msg string) problem {
	return problem{code: "RV_VALIDATION", field: field, msg: msg}
}

func rvRequired(field string) problem {
	return rvProblem(field, "وارد کردن "+field+" الزامی است.")
}

// --- routes ---

// ravandRoutes is the Ravand table (reference §15; 29 operations). Literal
// siblings (set-config, the lists) are registered before provider/…; the card
// pages sit outside /v1/business and take no token.
func (p *Provider) ravandRoutes() []api.Route {
	f := familyF{p}
	cfg, on := p.authRavand(false), p.authRavand(true)
	const rv = "/v1/business/:business/ravand"
	const ch = rv + "/provider/:provider/cardholder/:cardholder_id"
	route := func(opName, method, path string, auth func(echo.Context) (string, error), h func(*api.Call) error, o api.Outcomes, sum string) api.Route {
		return api.Route{Operation: "vandar.ravand" + opName, Host: hostAPI, Methods: []string{method}, Path: path, Envelope: f, Auth: auth,
			Handler: h, Outcomes: o, Summary: sum}
	}
	rs := []api.Route{
		route("SetConfig", http.MethodPost, rv+"/set-config", cfg, op(p.parseSetConfig, p.runSetConfig), rvOutcomes("RV_VALIDATION"),
			"Ravand settings (callback_url, card_title); required before any other Ravand call"),
	}
	for _, l := range []struct{ op, name, sum string }{
		{"Provinces", "provinces", "Provinces (ids for province_id)"},
		{"Cities", "cities", "Cities, ?province_id= to filter (ids for city_id, birth_location_id …)"},
		{"Guilds", "guilds", "Guilds (ids for guild_id)"},
		{"Educations", "educations", "Educations (ids for education_id)"},
		{"Occupations", "occupations", "Occupations (ids for occupation_id)"},
		{"Reasons", "reasons", "Transfer reasons (ids for reason_id)"},
	} {
		rs = append(rs, route(l.op, http.MethodGet, rv+"/"+l.name, on, op(p.parseList(l.name), p.runList), rvOutcomes("RV_NOT_CONFIGURED"), l.sum))
	}
	issue := rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_STEP_NOT_ALLOWED")
	rs = append(rs,
		api.Route{Operation: "vandar.ravandCreate", Host: hostAPI, Methods: post, Path: rv + "/provider/:provider/cardholder", Envelope: f, Auth: on,
			Handler:  api.Handle(api.Op[createReq, Result]{Parse: p.parseCreate, Magic: p.magicCreate, Run: p.runCreate}),
			Outcomes: rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_DUPLICATE", "RV_MISMATCH", "RV_NO_RECORD", "RV_REGISTRY_ERROR"),
			Summary:  "Open an applicant: national_code, mobile, birth_date (Jalali Y/m/d) → cardholder_id"},
		route("Update", http.MethodPut, ch, on, op(p.parseUpdate, p.runUpdate), issue, "The applicant's data; the provider's mandatory fields"),
		route("VideoCaption", http.MethodGet, ch+"/video-caption", on, op(p.parseOpen, p.runCaption), issue, "The text to read in the authentication video"),
		withAliases(route("Upload", http.MethodPost, ch+"/upload", on, op(p.parseUpload, p.runUpload), issue,
			"Identity documents (multipart: type, file): four photos (JPEG/PNG ≤ 512 KB) and the video (MP4/WebM/MOV up to the body limit)"),
			// The seed's endpoint list spells this path with a literal "business"
			// segment while its sample uses :business; both are served.
			"/v1/business/business/ravand/provider/:provider/cardholder/:cardholder_id/upload"),
		route("Finalize", http.MethodPost, ch+"/finalize", on, op(p.parseHolder, p.runFinalize), rvOutcomes("RV_NOT_CONFIGURED", "RV_STEP_NOT_ALLOWED", "RV_CANNOT_FINALIZE"),
			"Finalize: the bank processes the request, then issues the card"),
		route("Inquiry", http.MethodGet, ch+"/inquiry", on, op(p.parseHolder, p.rvRunInquiry), rvOutcomes("RV_NOT_CONFIGURED", "RV_NOT_FINALIZED", "RV_PROCESSING"),
			"The issued card: account, card number, IBAN, cardholder id in bank, ISSUED"),
		route("PostTracking", http.MethodGet, ch+"/card/post-tracking", on, op(p.parseCardQuery, p.runPostTracking),
			api.Outcomes{Failures: append(slices.Clone(rvFailures), "RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_NOT_FINALIZED"), Unknown: []string{},
				Statuses: postStates},
			"Postal delivery of the card: registered → approved → carrying → delivered on the clock"),
		route("CardStatus", http.MethodGet, ch+"/card/status", on, op(p.parseCardQuery, p.runCardStatus), issue, "The card's status (INACTIVE, ACTIVE, BLOCKED) and delivery"),
	)
	for _, a := range cardActions {
		rs = append(rs, route(a.op+"Token", http.MethodPost, ch+"/card/"+a.path+"/token", on, op(p.parseCardToken(a.path), p.runCardToken), issue,
			"One-time link to the hosted page: "+a.sum))
	}
	for _, a := range cardActions {
		rs = append(rs, api.Route{Operation: "vandar.ravand" + a.op + "Page", Host: hostAPI, Methods: []string{http.MethodGet, http.MethodPost},
			Path: "/v1/redirect/card/" + a.path + "/:token", Envelope: familyPage{p}, Handler: op(p.parseCardPage(a.path), p.runCardPage),
			Outcomes: api.Outcomes{Failures: []string{"RV_PAGE_NOT_FOUND", "SERVER_ERROR", "SERVICE_UNAVAILABLE"}, Unknown: []string{}},
			Summary:  "Hosted RTL page (single use): " + a.sum})
	}
	bank := rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_STEP_NOT_ALLOWED")
	money := rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_STEP_NOT_ALLOWED", "RV_INSUFFICIENT")
	rs = append(rs,
		route("AccountsInfo", http.MethodGet, ch+"/accounts-info", on, op(p.parseBanking, p.runAccountsInfo), bank, "The card's account: number, IBAN, balance (Rial)"),
		route("Balance", http.MethodPost, ch+"/balance", on, op(p.parseBanking, p.runBalance2), bank, "Balance of the card's account (Rial)"),
		route("BankStatement", http.MethodGet, ch+"/bank-statement", on, op(p.parseStatement, p.runStatement), bank,
			"Statement: from_date, to_date (Jalali), page, per_page; newest first, running balance"),
		route("Transfer", http.MethodPost, ch+"/transfer", on, op(p.parseTransfer, p.runTransfer), money,
			"Transfer (internal, paya, satna, pol): registered, OTP sent to the cardholder"),
		route("TransferRetryOTP", http.MethodPost, ch+"/transfer/retry-otp", on, op(p.parseTransferRef, p.runRetryOTP),
			rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_STEP_NOT_ALLOWED", "RV_TRANSFER_CLOSED"), "Send a new OTP for a transfer"),
		route("TransferConfirmOTP", http.MethodPost, ch+"/transfer/confirm-otp", on, op(p.parseConfirm, p.runConfirm),
			rvOutcomes("RV_NOT_CONFIGURED", "RV_VALIDATION", "RV_STEP_NOT_ALLOWED", "RV_OTP_INVALID", "RV_OTP_EXPIRED", "RV_INSUFFICIENT", "RV_TRANSFER_CLOSED"),
			"Confirm a transfer with its OTP: the account is debited"),
		route("TransferInquiry", http.MethodGet, ch+"/transfer/inquiry", on, op(p.parseTransferRef, p.runTransferInquiry), bank, "A transfer's status"),
		route("TransferInquiryPayaSatna", http.MethodGet, ch+"/transfer/inquiry/paya-satna", on, op(p.parseTransferRef, p.runPayaSatnaInquiry), bank,
			"A PAYA or SATNA transfer's status on the interbank cycle"),
	)
	return rs
}

// jalali writes a time as Vandar does everywhere (created_at, Ravand's
// do_date_time …): Jalali "1403/10/22 17:24:08".
func jalali(t time.Time) string { return iran.FormatJalali(t, "yyyy/MM/dd HH:mm:ss") }

func withAliases(r api.Route, aliases ...string) api.Route {
	r.Aliases = append(r.Aliases, aliases...)
	return r
}
