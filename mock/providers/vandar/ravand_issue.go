package vandar

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/form"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/lifecycle"
	"github.com/sandbank-dev/sandbank/mock/scenario"
)

// The applicant's issuing order (reference §15.2): create → update, upload,
// video-caption (any order, repeatable) → finalize → the bank processes the
// request on the virtual clock → ISSUED. After finalize the completion calls
// answer 403 "امکان اجرای این مرحله برای این مشتری وجود ندارد".

// The bank's processing time after finalize, and the postal plan after issue.
const (
	rvProcessing  = time.Hour
	rvPostApprove = 4 * time.Hour
	rvPostCarry   = 24 * time.Hour
	rvPostDeliver = 48 * time.Hour
	rvPhotoMax    = 512 << 10
)

// cardholder is one applicant and, once issued, the card.
type cardholder struct {
	ID           string            `json:"cardholder_id"`
	Provider     string            `json:"provider"`
	NationalCode string            `json:"national_code"`
	Mobile       string            `json:"mobile"`
	BirthDate    string            `json:"birth_date"`
	Fields       map[string]string `json:"fields,omitempty"`
	Uploads      map[string]upload `json:"uploads,omitempty"`
	Caption      string            `json:"caption,omitempty"`
	Created      time.Time         `json:"created_at"`
	Finalized    time.Time         `json:"finalized_at"` // zero: still open
	IssueAt      time.Time         `json:"issue_at"`     // the bank issues the card then
	Card         string            `json:"card_number,omitempty"`
	Account      string            `json:"account_number,omitempty"`
	IBAN         string            `json:"iban,omitempty"`
	BankID       string            `json:"cardholder_id_in_bank,omitempty"`
	Post         lifecycle.Plan    `json:"post,omitempty"`
	PostCode     string            `json:"post_tracking_code,omitempty"`
	PostForced   bool              `json:"post_forced,omitempty"` // a scenario or the control plane set the plan
	State        string            `json:"card_state,omitempty"`  // "" (not activated), ACTIVE, BLOCKED
	PINChanged   bool              `json:"pin_changed,omitempty"`
}

type upload struct {
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	At          time.Time `json:"at"`
}

// Clone copies the maps and the plan so no caller shares them with the row.
func (h cardholder) Clone() cardholder {
	h.Fields = maps.Clone(h.Fields)
	h.Uploads = maps.Clone(h.Uploads)
	h.Post = slices.Clone(h.Post)
	return h
}

func (h cardholder) finalized() bool         { return !h.Finalized.IsZero() }
func (h cardholder) issued(t time.Time) bool { return h.finalized() && !t.Before(h.IssueAt) }

// uuid4 is a random version-4 UUID, as the documented cardholder_id.
func (p *Provider) uuid4() string {
	h := []byte(p.ids.Hex(32))
	h[12] = '4'
	h[16] = "89ab"[strings.IndexByte("0123456789abcdef", h[16])%4]
	s := string(h)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// --- magic national codes (all pass the checksum) ---

// Create's outcomes that honest input cannot reach in a sandbox (the civil
// registry's answers) come from these national codes, or from a scenario.
var rvMagicNational = map[string]string{
	iran.MakeNationalCode("002000001"): "RV_NO_RECORD",
	iran.MakeNationalCode("002000002"): "RV_MISMATCH",
	iran.MakeNationalCode("002000003"): "RV_REGISTRY_ERROR",
	iran.MakeNationalCode("002000004"): "RV_EXTERNAL_ERROR",
}

// Postal outcomes other than delivery come from the applicant's postal code.
var rvMagicPostal = map[string]string{
	"9999900001": "rejected",
	"9999900002": "cancelled",
	"9999900003": "failed",
	"9999900004": "not_found",
}

// --- create ---

type createReq struct {
	provider                    rvProvider
	nationalCode, mobile, birth string
}

var (
	jdatePattern = regexp.MustCompile(`^[0-9]{4}/[0-9]{2}/[0-9]{2}$`)
)

// providerOf is the path's :provider; an unknown bank is not found.
func (p *Provider) providerOf(c *api.Call) (rvProvider, error) {
	pv, ok := ravandData().providers[c.Param("provider")]
	if !ok {
		return pv, p.fail("RV_NOT_FOUND")
	}
	return pv, nil
}

// validJalaliDate reports whether s is a real Jalali date written Y/m/d.
func validJalaliDate(s string) (time.Time, bool) {
	if !jdatePattern.MatchString(s) {
		return time.Time{}, false
	}
	t, err := iran.ParseJalali(s)
	if err != nil || iran.FormatJalali(t, "yyyy/MM/dd") != s {
		return time.Time{}, false
	}
	return t, true
}

func (p *Provider) parseCreate(c *api.Call) (createReq, error) {
	var r createReq
	pv, err := p.providerOf(c)
	if err != nil {
		return r, err
	}
	r.provider = pv
	in := readInput(c)
	var ps problems
	if s, present, ok := in.str("national_code"); !present {
		ps = append(ps, rvRequired("national_code"))
	} else if !ok || !iran.ValidNationalCode(s) {
		ps = append(ps, rvProblem("national_code", "کد ملی وارد شده معتبر نیست."))
	} else {
		r.nationalCode = s
	}
	if s, present, ok := in.str("mobile"); !present {
		ps = append(ps, rvRequired("mobile"))
	} else if !ok || !isMobile(s) {
		ps = append(ps, rvProblem("mobile", "شماره موبایل وارد شده معتبر نیست."))
	} else {
		r.mobile = s
	}
	if s, present, ok := in.str("birth_date"); !present {
		ps = append(ps, rvRequired("birth_date"))
	} else if t, valid := validJalaliDate(s); !ok || !valid || !t.Before(c.Now) {
		ps = append(ps, rvProblem("birth_date", "birth_date باید تاریخی گذشته به فرمت Y/m/d باشد."))
	} else {
		r.birth = s
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func (p *Provider) magicCreate(_ *api.Call, r createReq) (scenario.Decision, bool) {
	code, ok := rvMagicNational[r.nationalCode]
	if !ok {
		return scenario.Decision{}, false
	}
	return scenario.Decision{Outcome: scenario.Failure, Code: code, Fault: scenario.FaultNone, Rule: "magic"}, true
}

type holderData struct {
	CardholderID string `json:"cardholder_id"`
}

// runCreate opens the applicant. One applicant per national code and bank: the
// same person again is "already registered"; the same national code with
// another mobile or birth date is "do not match" (the registry's own check).
func (p *Provider) runCreate(c *api.Call, r createReq) (Result, error) {
	slug := c.Tenant
	key := r.provider.Key + "/" + r.nationalCode
	id := p.uuid4()
	// The row first, then the claim on the national code, so a parallel
	// duplicate always finds the row it lost to.
	p.rv.holders.Put(slug, id, cardholder{ID: id, Provider: r.provider.Key, NationalCode: r.nationalCode, Mobile: r.mobile,
		BirthDate: r.birth, Created: c.Now})
	if !p.rv.nationals.Insert(slug, key, id) {
		p.rv.holders.Delete(slug, id)
		prev, _ := p.rv.nationals.Get(slug, key)
		h, _ := p.rv.holders.Get(slug, prev)
		if h.Mobile == r.mobile && h.BirthDate == r.birth {
			return Result{}, p.fail("RV_DUPLICATE")
		}
		return Result{}, p.fail("RV_MISMATCH")
	}
	c.SetTrackID(id)
	return Result{Message: rvDone, Data: holderData{id}}, nil
}

// --- the cardholder of the path ---

type holderReq struct {
	provider rvProvider
	holder   cardholder
}

// parseHolder finds :provider and :cardholder_id (404 otherwise).
func (p *Provider) parseHolder(c *api.Call) (holderReq, error) {
	pv, err := p.providerOf(c)
	if err != nil {
		return holderReq{}, err
	}
	h, ok := p.rv.holders.Get(c.Tenant, c.Param("cardholder_id"))
	if !ok || h.Provider != pv.Key {
		return holderReq{}, p.fail("RV_NOT_FOUND")
	}
	c.SetTrackID(h.ID)
	return holderReq{provider: pv, holder: h}, nil
}

// open applies fn to an applicant still open for completion, atomically with
// the check.
func (p *Provider) open(slug, id string, fn func(h *cardholder) error) error {
	err := p.rv.holders.Update(slug, id, func(h *cardholder) error {
		if h.finalized() {
			return errStep
		}
		return fn(h)
	})
	if errors.Is(err, errStep) {
		return p.fail("RV_STEP_NOT_ALLOWED")
	}
	return err
}

var errStep = errors.New("step not allowed")

// parseOpen is parseHolder for the completion calls: after finalize they are
// refused before their input is validated (a Laravel FormRequest authorizes
// before it validates).
func (p *Provider) parseOpen(c *api.Call) (holderReq, error) {
	hr, err := p.parseHolder(c)
	if err == nil && hr.holder.finalized() {
		return hr, p.fail("RV_STEP_NOT_ALLOWED")
	}
	return hr, err
}

// --- update ---

// rvField is how an update field is checked. The documentation names ten keys
// (its sample); the other six parameters it describes are named by sandbank:
// first_name_en, last_name_en, father_name_en, email,
// national_card_expire_date, national_card_tracking_number.
type rvField struct {
	name string
	kind string // en, email, serial, jdate, digits, postal, city, province, occupation, education, guild, address
}

var rvFields = []rvField{
	{"first_name_en", "en"}, {"last_name_en", "en"}, {"father_name_en", "en"}, {"email", "email"},
	{"national_card_serial_number", "serial"}, {"national_card_expire_date", "jdate"}, {"national_card_tracking_number", "digits"},
	{"postal_code", "postal"}, {"birth_location_id", "cities"}, {"birth_certificate_location_id", "cities"},
	{"occupation_id", "occupations"}, {"education_id", "educations"}, {"guild_id", "guilds"}, {"city_id", "cities"},
	{"province_id", "provinces"}, {"address", "address"},
}

var (
	enNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z '\-]{0,49}$`)
	serialPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,20}$`)
)

type updateReq struct {
	holderReq
	fields map[string]string
}

func (p *Provider) parseUpdate(c *api.Call) (updateReq, error) {
	hr, err := p.parseOpen(c)
	if err != nil {
		return updateReq{}, err
	}
	r := updateReq{holderReq: hr, fields: map[string]string{}}
	in := readInput(c)
	var ps problems
	bad := func(f, what string) { ps = append(ps, rvProblem(f, f+" "+what)) }
	for _, f := range rvFields {
		s, present, ok := in.str(f.name)
		if !present {
			if slices.Contains(hr.provider.Fields, f.name) {
				ps = append(ps, rvRequired(f.name))
			}
			continue
		}
		if !ok {
			bad(f.name, "باید رشته یا عدد باشد.")
			continue
		}
		switch f.kind {
		case "en":
			if !enNamePattern.MatchString(s) {
				bad(f.name, "باید با حروف انگلیسی و حداکثر ۵۰ کاراکتر باشد.")
				continue
			}
		case "email":
			if a, err := mail.ParseAddress(s); err != nil || a.Address != s || len(s) > 100 {
				bad(f.name, "معتبر نیست.")
				continue
			}
		case "serial":
			if !serialPattern.MatchString(s) {
				bad(f.name, "باید حداکثر ۲۰ حرف یا رقم انگلیسی باشد.")
				continue
			}
		case "jdate":
			if t, valid := validJalaliDate(s); !valid || !t.After(c.Now) {
				bad(f.name, "باید تاریخی آینده به فرمت Y/m/d باشد.")
				continue
			}
		case "digits":
			if !(digits.All(s) && len(s) <= 20) {
				bad(f.name, "باید حداکثر ۲۰ رقم باشد.")
				continue
			}
		case "postal":
			if !(digits.Len(s, 10) && s[0] != '0') {
				bad(f.name, "باید ۱۰ رقم باشد.")
				continue
			}
		case "address":
			if len([]rune(s)) > 255 {
				bad(f.name, "نباید بیشتر از ۲۵۵ کاراکتر باشد.")
				continue
			}
		default: // an id in a reference list
			n, num := int64Of(s)
			if _, known := ravandData().byID[f.kind][n]; !num || !known {
				bad(f.name, "انتخاب شده معتبر نیست.")
				continue
			}
		}
		r.fields[f.name] = s
	}
	if city, ok := r.fields["city_id"]; ok {
		if prov, ok := r.fields["province_id"]; ok {
			n, _ := int64Of(city)
			if it := ravandData().byID["cities"][n]; itoa(it.ProvinceID) != prov {
				bad("city_id", "در استان انتخاب شده نیست.")
			}
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func (p *Provider) runUpdate(c *api.Call, r updateReq) (Result, error) {
	err := p.open(c.Tenant, r.holder.ID, func(h *cardholder) error {
		if h.Fields == nil {
			h.Fields = map[string]string{}
		}
		maps.Copy(h.Fields, r.fields)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Message: rvDone, Data: holderData{r.holder.ID}}, nil
}

// --- video caption ---

type captionData struct {
	CardholderID string `json:"cardholder_id"`
	Caption      string `json:"caption"`
}

// runCaption gives the text the applicant reads in the authentication video:
// the same text on every call until finalize.
func (p *Provider) runCaption(c *api.Call, r holderReq) (Result, error) {
	var text string
	err := p.open(c.Tenant, r.holder.ID, func(h *cardholder) error {
		if h.Caption == "" {
			h.Caption = "اینجانب با کد ملی " + h.NationalCode + " متقاضی صدور کارت " + r.provider.bank.NameFa +
				" هستم و صحت اطلاعات ارسالی را تایید می\u200cکنم. کد تایید: " + p.ids.Digits(4)
		}
		text = h.Caption
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Message: rvRead, Data: captionData{r.holder.ID, text}}, nil
}

// --- upload ---

// The five document types (reference §15.2); photos are JPEG or PNG up to
// 512 KB, the video MP4, WebM or QuickTime up to the server's body limit.
var rvUploadTypes = []string{"national_card_front_photo", "national_card_back_photo", "signature_photo", "applicant_photo", "authentication_video"}

type uploadReq struct {
	holderReq
	kind string
	up   upload
}

func (p *Provider) parseUpload(c *api.Call) (uploadReq, error) {
	hr, err := p.parseOpen(c)
	if err != nil {
		return uploadReq{}, err
	}
	r := uploadReq{holderReq: hr}
	vals, fps := form.Parse(c.Request(), form.Options{})
	multipartBody := strings.HasPrefix(strings.ToLower(c.Request().Header.Get("Content-Type")), "multipart/form-data")
	var ps problems
	if !multipartBody || len(fps) > 0 {
		ps = append(ps, rvProblem("file", "درخواست باید از نوع multipart/form-data باشد."))
		return r, p.failAll(ps)
	}
	kind := vals.Get("type")
	switch {
	case kind == "":
		ps = append(ps, rvRequired("type"))
	case !slices.Contains(rvUploadTypes, kind):
		ps = append(ps, rvProblem("type", "type انتخاب شده معتبر نیست."))
	default:
		r.kind = kind
	}
	f, ok := vals.File("file")
	switch {
	case !ok:
		ps = append(ps, rvRequired("file"))
	case f.Size == 0:
		ps = append(ps, rvProblem("file", "file نباید خالی باشد."))
	case r.kind != "":
		if msg := checkFile(r.kind, f); msg != "" {
			ps = append(ps, rvProblem("file", msg))
		}
	}
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	r.up = upload{Filename: f.Filename, ContentType: sniffType(f.Data), Size: f.Size, At: c.Now}
	return r, nil
}

// checkFile checks a file's kind by its bytes (the declared Content-Type, when
// one is sent, must agree) and its size.
func checkFile(kind string, f *form.File) string {
	got := sniffType(f.Data)
	declared := strings.ToLower(strings.TrimSpace(strings.Split(f.ContentType, ";")[0]))
	if kind == "authentication_video" {
		if !strings.HasPrefix(got, "video/") || (declared != "" && declared != "application/octet-stream" && !strings.HasPrefix(declared, "video/")) {
			return "file باید ویدیو از نوع mp4، webm یا mov باشد."
		}
		return ""
	}
	if (got != "image/jpeg" && got != "image/png") || (declared != "" && declared != "application/octet-stream" && declared != got &&
		!(declared == "image/jpg" && got == "image/jpeg")) {
		return "file باید تصویر از نوع jpg یا png باشد."
	}
	if f.Size > rvPhotoMax {
		return "حجم file نباید بیشتر از 512 کیلوبایت باشد."
	}
	return ""
}

// sniffType names a file by its first bytes.
func sniffType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		if string(b[8:10]) == "qt" {
			return "video/quicktime"
		}
		return "video/mp4"
	case bytes.HasPrefix(b, []byte{0x1a, 0x45, 0xdf, 0xa3}):
		return "video/webm"
	}
	return http.DetectContentType(b)
}

func (p *Provider) runUpload(c *api.Call, r uploadReq) (Result, error) {
	err := p.open(c.Tenant, r.holder.ID, func(h *cardholder) error {
		if h.Uploads == nil {
			h.Uploads = map[string]upload{}
		}
		h.Uploads[r.kind] = r.up
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Message: rvDone, Data: holderData{r.holder.ID}}, nil
}

// --- finalize ---

// runFinalize closes the request when the provider's mandatory fields and
// documents are all there, and fixes what the bank will issue one processing
// time later: the card on the bank's BIN (Luhn), the account, its IBAN
// (mod-97), the bank's cardholder id, and the postal plan from that moment.
func (p *Provider) runFinalize(c *api.Call, r holderReq) (Result, error) {
	var card string
	err := p.open(c.Tenant, r.holder.ID, func(h *cardholder) error {
		for _, f := range r.provider.Fields {
			if h.Fields[f] == "" {
				return errCannotFinalize
			}
		}
		for _, u := range r.provider.Uploads {
			if _, ok := h.Uploads[u]; !ok {
				return errCannotFinalize
			}
		}
		h.Finalized, h.IssueAt = c.Now, c.Now.Add(rvProcessing)
		bank := r.provider.bank
		h.Card = iran.MakeCard(bank.BINs[0], p.ids.Digits(9))
		h.Account = "1" + p.ids.Digits(12)
		iban, err := iran.MakeIBAN(bank.Code, "0"+h.Account)
		if err != nil {
			return err
		}
		h.IBAN, h.BankID = iban, p.ids.Digits(7)
		h.Post = postPlan(h.IssueAt, rvMagicPostal[h.Fields["postal_code"]])
		card = h.Card
		return nil
	})
	if errors.Is(err, errCannotFinalize) {
		return Result{}, p.fail("RV_CANNOT_FINALIZE")
	}
	if err != nil {
		return Result{}, err
	}
	p.rv.cards.Put(c.Tenant, card, r.holder.ID)
	return Result{Message: rvDone, Data: holderData{r.holder.ID}}, nil
}

var errCannotFinalize = errors.New("cannot finalize")

// --- inquiry ---

type inquiryRow struct {
	CardholderID       string `json:"cardholder_id"`
	AccountNumber      string `json:"account_number"`
	CardNumber         string `json:"card_number"`
	IBANNumber         string `json:"iban_number"`
	CardholderIDInBank string `json:"cardholder_id_in_bank"`
	Status             string `json:"status"`
}

// rvRunInquiry answers the issued card, with data an array as documented.
func (p *Provider) rvRunInquiry(c *api.Call, r holderReq) (api.Written, error) {
	h := r.holder
	switch {
	case !h.finalized():
		return api.Written{}, p.fail("RV_NOT_FINALIZED")
	case !h.issued(c.Now):
		return api.Written{}, p.fail("RV_PROCESSING")
	}
	return api.Written{}, api.JSON(c, http.StatusOK, rvInquiry{Data: []inquiryRow{{h.ID, h.Account, h.Card, h.IBAN, h.BankID, "ISSUED"}}, Message: rvRead})
}

// rvInquiry is written as it is: the documented inquiry puts data before message.
type rvInquiry struct {
	Data    []inquiryRow `json:"data"`
	Message string       `json:"message"`
}
