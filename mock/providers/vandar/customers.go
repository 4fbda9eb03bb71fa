package vandar

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/envelope"
	"github.com/sandbank-dev/sandbank/mock/iran"
	"github.com/sandbank-dev/sandbank/mock/ledger"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// Customers (v2) of a business (reference §12): the records, their custom
// fields, and each customer's wallet with its transactions. Everything lives
// under the business's slug as tenant, so one business never sees another's
// customers, fields or wallets. The v3 sub-resources (identity, IBANs, cards)
// read a customer through p.customer.
//
// Wire [documented]: create answers {"status":"1","message":…,"result":{"customer":{"id":…}}}
// (status a string, as field create's); update {"message":…,"customer":{…}}
// with province_id/city_id strings, show {"customer":{…}} with them integers;
// delete {"status":1,"message":…}; lists are Laravel resource collections whose
// links point at customer.vandar.io; the unknown-field 422 has the field text as
// its top-level message (newer Laravel's body, used for every customer-service
// 422). Wallet amounts are Rials ("currency":"RIAL"); list rows show
// withdrawals negative and the balance after the row as a string.
//
// Choices [inferred]: an unknown, deleted or foreign customer is 404
// {"status":0,"message":"خطای 404 رخ داده است."} on every route (the wallet
// page shows that body under HTTP 422; we keep 404 with the route family's
// text). A deleted customer is kept, marked, so its id never answers again.
// Custom values are typed as §12.2 lists them: field_id an integer naming one of
// the business's fields, field_value a string (Laravel's string rule refuses a
// JSON number); errors go under custom_fields.<i>.field_id|field_value. The
// list filters (type, mobile, national_code, q) and the transaction filters
// (type, track_id) are ours; per_page is at most 100. A track_id is unique
// within the business across customers and directions, and a repeat answers 422
// on track_id with the cash-in duplicate text, moving nothing; a withdrawal
// above the balance answers 422 on amount with the wallet-short text. Field ids
// count across businesses so a foreign field answers its documented 404. The
// seed's GET /v2/business/business/customers/fields (a literal "business") is a
// route of its own that lists the token's business's fields. Format checks
// (mobile 09…, national code checksum, 11-digit legal id, 10-digit postal code,
// 11-digit telephone) and their Persian texts are ours; only Tehran (8/6) has a
// province and city name. Customer wallets (mock/ledger, one account per customer) are Vandar's internal ledger: they
// move no money on the business wallet and write no transaction-report row.

// Customer types (reference §12.2).
const (
	customerIndividual = "INDIVIDUAL"
	customerLegal      = "LEGAL"
)

// customer is one customer record as created and updated by §12.2/§12.3.
// Optional fields are "" when not sent.
type customer struct {
	ID                     string        `json:"id"` // a version-1-looking UUID (§1.9)
	Type                   string        `json:"type"`
	FirstName              string        `json:"first_name,omitempty"`
	LastName               string        `json:"last_name,omitempty"`
	LegalName              string        `json:"legal_name,omitempty"`
	AgentName              string        `json:"agent_name,omitempty"`
	Mobile                 string        `json:"mobile,omitempty"`
	AgentMobile            string        `json:"agent_mobile,omitempty"`
	Telephone              string        `json:"telephone,omitempty"`
	IndividualNationalCode string        `json:"individual_national_code,omitempty"`
	LegalNationalCode      string        `json:"legal_national_code,omitempty"`
	ProvinceID             string        `json:"province_id,omitempty"`
	CityID                 string        `json:"city_id,omitempty"`
	Address                string        `json:"address,omitempty"`
	PostalCode             string        `json:"postal_code,omitempty"`
	MCCCode                string        `json:"mcc_code,omitempty"`
	CustomFields           []customValue `json:"custom_fields,omitempty"`
	Created                time.Time     `json:"created"`
	Updated                time.Time     `json:"updated"`
	Deleted                time.Time     `json:"deleted,omitzero"` // set by DELETE; the id then answers 404 everywhere
}

// customValue is one custom field's value on a customer (§12.2: field_id and
// field_value).
type customValue struct {
	FieldID int64  `json:"field_id"`
	Value   string `json:"field_value"`
}

// Clone copies the slice so no caller shares it with the stored row.
func (c customer) Clone() customer {
	c.CustomFields = slices.Clone(c.CustomFields)
	return c
}

// Name is what lists show: first and last name for an individual, the agent's
// name for a legal entity (§12.1).
func (c customer) Name() string {
	if c.Type == customerLegal {
		if c.AgentName != "" {
			return c.AgentName
		}
		return c.LegalName
	}
	switch {
	case c.FirstName == "":
		return c.LastName
	case c.LastName == "":
		return c.FirstName
	}
	return c.FirstName + " " + c.LastName
}

// NationalCode is the individual's national code or the legal entity's
// national id.
func (c customer) NationalCode() string {
	if c.Type == customerLegal {
		return c.LegalNationalCode
	}
	return c.IndividualNationalCode
}

// customField is one custom field a business defined (§12.6).
type customField struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// customerStore holds the customers' tables; every tenant is a business slug.
type customerStore struct {
	rows   *store.Table[customer]    // customer uuid → record (deleted ones kept, marked)
	fields *store.Table[customField] // field id → field
	seq    *store.Table[int64]       // "field": the business's last field id
	book   *ledger.Book[moveMeta]    // one account per customer (customer_wallet.go)
}

func newCustomerStore(s *store.Store) *customerStore {
	return &customerStore{
		rows:   store.NewTable[customer](s, "vandar.customers"),
		fields: store.NewTable[customField](s, "vandar.customer_fields"),
		seq:    store.NewTable[int64](s, "vandar.customer_seq"),
		book:   ledger.New[moveMeta](s, "vandar.customer_wallets"),
	}
}

// customer returns a live customer of business slug, or the 404 every customer
// route answers for an unknown, deleted or foreign id (reference §12.5, §12.7:
// {"status":0,"message":"خطای 404 رخ داده است."}).
func (p *Provider) customer(slug, id string) (customer, error) {
	c, ok := p.cust.rows.Get(slug, id)
	if !ok || !c.Deleted.IsZero() || id == "" {
		return customer{}, p.fail("CUSTOMER_NOT_FOUND")
	}
	return c, nil
}

func init() { addCodes(customerCodes) }

// customerCodes are the customers' answers (reference §12, §18.3). The
// customer service answers validation in newer Laravel's body, whose message is
// the first error (the documented unknown-field answer, §12.2). Texts marked
// "ours" in doc.go are not in the public record.
var customerCodes = map[string]codeDef{
	"CUSTOMER_NOT_FOUND":      {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
	"CUSTOMER_VALIDATION":     {status: 422, shape: shapeLaravelFirst, field: "type", msg: "وارد کردن type الزامی است"},
	"CUSTOMER_FIELD_MISSING":  {status: 422, shape: shapeLaravelFirst, field: "custom_fields.0.field_id", msg: fieldMissing},
	"CUSTOMER_LIST_PER_PAGE":  {status: 422, shape: shapeLaravelFirst, field: "per_page", msg: "per_page نباید بزرگتر از 100 باشد."},
	"FIELD_NOT_FOUND":         {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
	"FIELD_FOREIGN":           {status: 404, shape: shapeMessage, msg: fieldMissing},
	"FIELD_NAME_REQUIRED":     {status: 422, shape: shapeLaravelFirst, field: "name", msg: "وارد کردن name الزامی است"},
	"WALLET_VALIDATION":       {status: 422, shape: shapeLaravelFirst, field: "amount", msg: "وارد کردن amount الزامی است"},
	"WALLET_INSUFFICIENT":     {status: 422, shape: shapeLaravelFirst, field: "amount", msg: "عدم کفایت موجودی (کسری موجودی)"},
	"WALLET_TRACK_ID_TAKEN":   {status: 422, shape: shapeLaravelFirst, field: "track_id", msg: "این شماره پیگیری از قبل ثبت شده است."},
	"CUSTOMER_TX_TYPE":        {status: 422, shape: shapeLaravelFirst, field: "type", msg: "type انتخاب شده معتبر نیست."},
	"CUSTOMER_SERVICE_FAILED": {status: 500, shape: shapeErrorMap, msg: "خطایی رخ داده است. لطفاً مجدداً تلاش کنید"},
}

// customerOutcomes are the codes a scenario may force on a customer route.
func customerOutcomes(extra ...string) api.Outcomes {
	return outcomes(append([]string{"BUSINESS_NOT_FOUND"}, extra...)...)
}

// customerBase is where the customer service's paginator links point: the
// internal host leaks into them (reference §1.1, §12.1).
func customerBase(slug string) string {
	return "https://customer.vandar.io/v2/business/" + slug + "/customers"
}

// --- GET /v2/business/:business/customers ---

type customerListReq struct {
	page, perPage         int
	typ, mobile, national string
	q                     string
	appends               url.Values
}

// customerItem is one row of the list (§12.1).
type customerItem struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	Balance      int64         `json:"balance"`
	CreatedAt    string        `json:"created_at"`
	Mobile       *string       `json:"mobile"`
	CustomFields []customShown `json:"custom_fields"`
}

// customShown is a custom value as customers show it: the field's name and the
// value.
type customShown struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// parsePaging reads page and per_page: a page that is not a positive number is
// page 1 (Laravel's paginator), per_page must be 1–100.
func parsePaging(in input, def int, ps *problems) (int, int) {
	pg, per := 1, def
	if s, _, ok := in.str("page"); ok && s != "" {
		if n, num := int64Of(s); num && n >= 1 && n < 1<<31 {
			pg = int(n)
		}
	}
	if s, present, ok := in.str("per_page"); present {
		n, num := int64Of(s)
		switch {
		case !ok || !num || n < 1:
			*ps = append(*ps, problem{code: "CUSTOMER_LIST_PER_PAGE", msg: "per_page باید عدد صحیح بزرگتر از صفر باشد."})
		case n > 100:
			*ps = append(*ps, problem{code: "CUSTOMER_LIST_PER_PAGE"})
		default:
			per = int(n)
		}
	}
	return pg, per
}

// textFilter is an optional string filter; a list or an object is refused.
func textFilter(in input, name string, ps *problems) string {
	s, _, ok := in.str(name)
	if !ok {
		*ps = append(*ps, problem{code: "CUSTOMER_VALIDATION", field: name, msg: name + " باید رشته باشد."})
	}
	return s
}

func (p *Provider) parseCustomerList(c *api.Call) (customerListReq, error) {
	in := readInput(c)
	var ps problems
	r := customerListReq{appends: url.Values{}}
	r.page, r.perPage = parsePaging(in, 10, &ps)
	r.typ = textFilter(in, "type", &ps)
	if r.typ != "" && r.typ != customerIndividual && r.typ != customerLegal {
		ps = append(ps, problem{code: "CUSTOMER_VALIDATION", field: "type", msg: "type انتخاب شده معتبر نیست."})
	}
	r.mobile = textFilter(in, "mobile", &ps)
	r.national = textFilter(in, "national_code", &ps)
	r.q = textFilter(in, "q", &ps)
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	for k, v := range map[string]string{"type": r.typ, "mobile": r.mobile, "national_code": r.national, "q": r.q} {
		if v != "" {
			r.appends.Set(k, v)
		}
	}
	if r.perPage != 10 {
		r.appends.Set("per_page", strconv.Itoa(r.perPage))
	}
	return r, nil
}

func (r customerListReq) match(cu customer) bool {
	switch {
	case r.typ != "" && cu.Type != r.typ:
		return false
	case r.mobile != "" && cu.Mobile != r.mobile && cu.AgentMobile != r.mobile:
		return false
	case r.national != "" && cu.NationalCode() != r.national:
		return false
	case r.q != "":
		for _, s := range []string{cu.Name(), cu.LegalName, cu.Mobile, cu.AgentMobile, cu.NationalCode()} {
			if strings.Contains(s, r.q) {
				return true
			}
		}
		return false
	}
	return true
}

// runCustomerList lists the live customers, newest first.
func (p *Provider) runCustomerList(c *api.Call, r customerListReq) (page.Resource[customerItem], error) {
	fields := p.fieldNames(c.Tenant)
	var rows []customer
	items := p.cust.rows.List(c.Tenant)
	for i := len(items) - 1; i >= 0; i-- {
		if cu := items[i].Value; cu.Deleted.IsZero() && r.match(cu) {
			rows = append(rows, cu)
		}
	}
	src := func(offset, limit int) ([]customerItem, int) {
		out := []customerItem{}
		for i := offset; i < len(rows) && i < offset+limit; i++ {
			cu := rows[i]
			out = append(out, customerItem{ID: cu.ID, Name: cu.Name(), Balance: p.customerBalance(c.Tenant, cu.ID),
				CreatedAt: iran.FormatJalali(cu.Created, "HH:mm - yyyy/MM/dd"), Mobile: strp(firstOf(cu.Mobile, cu.AgentMobile)),
				CustomFields: shownFields(cu, fields)})
		}
		return out, len(rows)
	}
	return page.NewResource(page.URLs{Path: customerBase(c.Tenant), Appends: r.appends},
		page.Request{Page: r.page, PerPage: r.perPage}, src, page.ResourceOptions{}), nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fieldNames maps the business's field ids to their names.
func (p *Provider) fieldNames(slug string) map[int64]string {
	out := map[int64]string{}
	for _, it := range p.cust.fields.List(slug) {
		out[it.Value.ID] = it.Value.Name
	}
	return out
}

// shownFields are a customer's custom values whose field still exists.
func shownFields(cu customer, names map[int64]string) []customShown {
	out := []customShown{}
	for _, v := range cu.CustomFields {
		if name, ok := names[v.FieldID]; ok {
			out = append(out, customShown{Key: name, Value: v.Value})
		}
	}
	return out
}

// --- POST /v2/business/:business/customers ---

type customerCreated struct {
	Status  string `json:"status"` // the string "1" (reference §1.4)
	Message string `json:"message"`
	Result  struct {
		Customer struct {
			ID string `json:"id"`
		} `json:"customer"`
	} `json:"result"`
}

func (p *Provider) parseCustomerCreate(c *api.Call) (customerInput, error) {
	r, ps := p.parseCustomer(c, c.Tenant, false)
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func (p *Provider) runCustomerCreate(c *api.Call, r customerInput) (customerCreated, error) {
	cu := customer{ID: p.uuid1(c.Now), Type: r.typ, CustomFields: r.customs, Created: c.Now, Updated: c.Now}
	r.apply(&cu)
	if !p.cust.rows.Insert(c.Tenant, cu.ID, cu) {
		return customerCreated{}, p.fail("CUSTOMER_SERVICE_FAILED")
	}
	var out customerCreated
	out.Status, out.Message = "1", "مخاطب با موفقیت ثبت گردید."
	out.Result.Customer.ID = cu.ID
	return out, nil
}

// apply writes the fields sent onto a record.
func (r customerInput) apply(cu *customer) {
	if r.typ != "" {
		cu.Type = r.typ
	}
	for _, f := range customerTexts {
		if v, ok := r.set[f.name]; ok {
			*f.dst(cu) = v
		}
	}
	if r.hasCust {
		cu.CustomFields = r.customs
	}
}

// --- GET|PUT|DELETE /v2/business/:business/customers/:customer ---

// customerView is the full record (§12.3, §12.5). Province and city ids are
// strings in the update's answer and integers in show's.
type customerView struct {
	Name                   string        `json:"name"`
	FirstName              *string       `json:"first_name"`
	LastName               *string       `json:"last_name"`
	LegalName              *string       `json:"legal_name"`
	AgentName              *string       `json:"agent_name"`
	Type                   string        `json:"type"`
	Mobile                 *string       `json:"mobile"`
	AgentMobile            *string       `json:"agent_mobile"`
	Telephone              *string       `json:"telephone"`
	Balance                int64         `json:"balance"`
	LegalNationalCode      *string       `json:"legal_national_code"`
	IndividualNationalCode *string       `json:"individual_national_code"`
	ProvinceID             any           `json:"province_id"`
	Province               *string       `json:"province"`
	CityID                 any           `json:"city_id"`
	City                   *string       `json:"city"`
	Address                *string       `json:"address"`
	PostalCode             *string       `json:"postal_code"`
	MCCCode                *string       `json:"mcc_code"`
	MCCName                string        `json:"mcc_name"`
	CustomFields           []customShown `json:"custom_fields"`
}

// Province and city names of the ids Vandar's information service hands out;
// only Tehran (8, city 6) is in the public record (reference §12.3), other ids
// are kept and shown without a name.
var (
	provinceNames = map[string]string{"8": "تهران"}
	cityNames     = map[string]string{"8-6": "تهران"}
)

func (p *Provider) showCustomer(slug string, cu customer, numericIDs bool) customerView {
	id := func(s string) any {
		if s == "" {
			return nil
		}
		if n, ok := int64Of(s); ok && numericIDs {
			return n
		}
		return s
	}
	name := func(m map[string]string, k string) *string {
		if v, ok := m[k]; ok {
			return &v
		}
		return nil
	}
	return customerView{
		Name: cu.Name(), FirstName: strp(cu.FirstName), LastName: strp(cu.LastName), LegalName: strp(cu.LegalName),
		AgentName: strp(cu.AgentName), Type: cu.Type, Mobile: strp(cu.Mobile), AgentMobile: strp(cu.AgentMobile),
		Telephone: strp(cu.Telephone), Balance: p.customerBalance(slug, cu.ID), LegalNationalCode: strp(cu.LegalNationalCode),
		IndividualNationalCode: strp(cu.IndividualNationalCode), ProvinceID: id(cu.ProvinceID), Province: name(provinceNames, cu.ProvinceID),
		CityID: id(cu.CityID), City: name(cityNames, cu.ProvinceID+"-"+cu.CityID), Address: strp(cu.Address),
		PostalCode: strp(cu.PostalCode), MCCCode: strp(cu.MCCCode), MCCName: "-", CustomFields: shownFields(cu, p.fieldNames(slug)),
	}
}

type customerShow struct {
	Customer customerView `json:"customer"`
}

type customerUpdated struct {
	Message  string       `json:"message"`
	Customer customerView `json:"customer"`
}

type statusMessage struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// parseCustomerID is the route's :customer, which must be a live customer of
// the business: Laravel binds the model before it validates the body.
func (p *Provider) parseCustomerID(c *api.Call) (customer, error) {
	return p.customer(c.Tenant, c.Param("customer"))
}

func (p *Provider) runCustomerShow(c *api.Call, cu customer) (customerShow, error) {
	return customerShow{Customer: p.showCustomer(c.Tenant, cu, true)}, nil
}

func (p *Provider) parseCustomerUpdate(c *api.Call) (customerInput, error) {
	cu, err := p.parseCustomerID(c)
	if err != nil {
		return customerInput{}, err
	}
	r, ps := p.parseCustomer(c, c.Tenant, true)
	r.id = cu.ID
	if len(ps) > 0 {
		return r, p.failAll(ps)
	}
	return r, nil
}

func (p *Provider) runCustomerUpdate(c *api.Call, r customerInput) (customerUpdated, error) {
	var out customer
	err := p.cust.rows.Update(c.Tenant, r.id, func(cu *customer) error {
		if !cu.Deleted.IsZero() {
			return p.fail("CUSTOMER_NOT_FOUND")
		}
		r.apply(cu)
		cu.Updated = c.Now
		out = cu.Clone()
		return nil
	})
	if err != nil {
		if e, ok := err.(*envelope.Error); ok {
			return customerUpdated{}, e
		}
		return customerUpdated{}, p.fail("CUSTOMER_NOT_FOUND")
	}
	return customerUpdated{Message: "مخاطب با موفقیت به\u200cروزرسانی شد.", Customer: p.showCustomer(c.Tenant, out, false)}, nil
}

func (p *Provider) runCustomerDelete(c *api.Call, cu customer) (statusMessage, error) {
	err := p.cust.rows.Update(c.Tenant, cu.ID, func(row *customer) error {
		if !row.Deleted.IsZero() {
			return p.fail("CUSTOMER_NOT_FOUND")
		}
		row.Deleted = c.Now
		return nil
	})
	if err != nil {
		return statusMessage{}, p.fail("CUSTOMER_NOT_FOUND")
	}
	return statusMessage{Status: 1, Message: "مخاطب با موفقیت حذف گردید."}, nil
}
