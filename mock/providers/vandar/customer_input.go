package vandar

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/form"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// Reading and validating a customer's fields (reference §12.2, §12.3, §16.3):
// Laravel rules in the order the fields are documented, every failed rule
// reported at once.

var (
	customFieldPattern = regexp.MustCompile(`^custom_fields\[([0-9]+)\]\[([a-z_]+)\]$`)
)

// customerText is one optional text field of the customer record, with where it
// is kept and the rule it must pass beyond being a string of at most 255
// characters.
type customerText struct {
	name  string
	dst   func(*customer) *string
	check func(string) string // "" when valid, else the message
}

var customerTexts = []customerText{
	{"first_name", func(c *customer) *string { return &c.FirstName }, nil},
	{"last_name", func(c *customer) *string { return &c.LastName }, nil},
	{"legal_name", func(c *customer) *string { return &c.LegalName }, nil},
	{"agent_name", func(c *customer) *string { return &c.AgentName }, nil},
	{"mobile", func(c *customer) *string { return &c.Mobile }, mobileRule},
	{"agent_mobile", func(c *customer) *string { return &c.AgentMobile }, mobileRule},
	{"individual_national_code", func(c *customer) *string { return &c.IndividualNationalCode }, func(s string) string {
		if !iran.ValidNationalCode(s) {
			return "کد ملی قابل قبول نیست."
		}
		return ""
	}},
	{"legal_national_code", func(c *customer) *string { return &c.LegalNationalCode }, func(s string) string {
		if !digits.Len(s, 11) {
			return "شناسه ملی قابل قبول نیست."
		}
		return ""
	}},
	{"telephone", func(c *customer) *string { return &c.Telephone }, func(s string) string {
		if !(digits.Len(s, 11) && s[0] == '0') {
			return "شماره تلفن قابل قبول نیست."
		}
		return ""
	}},
	{"province_id", func(c *customer) *string { return &c.ProvinceID }, digitsRule("province_id")},
	{"city_id", func(c *customer) *string { return &c.CityID }, digitsRule("city_id")},
	{"address", func(c *customer) *string { return &c.Address }, nil},
	{"postal_code", func(c *customer) *string { return &c.PostalCode }, func(s string) string {
		if !digits.Len(s, 10) {
			return "کد پستی قابل قبول نیست."
		}
		return ""
	}},
	{"mcc_code", func(c *customer) *string { return &c.MCCCode }, digitsRule("mcc_code")},
}

func mobileRule(s string) string {
	if !isMobile(s) {
		return "شماره موبایل قابل قبول نیست."
	}
	return ""
}

func digitsRule(name string) func(string) string {
	return func(s string) string {
		if !digits.All(s) || len(s) > 18 {
			return name + " باید عدد باشد."
		}
		return ""
	}
}

// customerInput is a validated create or update: the fields sent (an update
// changes only those) and the custom field values when custom_fields was sent.
type customerInput struct {
	id      string
	typ     string
	set     map[string]string
	customs []customValue
	hasCust bool
}

// parseCustomer reads a create (update false) or an update. Create requires
// type and, by type, mobile and individual_national_code (INDIVIDUAL) or
// agent_mobile and legal_national_code (LEGAL); update requires type and
// province_id and city_id together (§12.3).
func (p *Provider) parseCustomer(c echo.Context, tenant string, update bool) (customerInput, problems) {
	in := readInput(c)
	r := customerInput{set: map[string]string{}}
	var ps problems
	bad := func(field, msg string) { ps = append(ps, problem{code: "CUSTOMER_VALIDATION", field: field, msg: msg}) }
	typ, present, ok := in.str("type")
	switch {
	case !present:
		bad("type", "وارد کردن type الزامی است")
	case !ok:
		bad("type", "type باید رشته باشد.")
	case typ != customerIndividual && typ != customerLegal:
		bad("type", "type انتخاب شده معتبر نیست.")
	default:
		r.typ = typ
	}
	required := map[string]bool{}
	if !update {
		switch r.typ {
		case customerIndividual:
			required["mobile"], required["individual_national_code"] = true, true
		case customerLegal:
			required["agent_mobile"], required["legal_national_code"] = true, true
		}
	}
	for _, f := range customerTexts {
		s, present, ok := in.str(f.name)
		switch {
		case !present && required[f.name]:
			bad(f.name, "وارد کردن "+f.name+" الزامی است")
		case !present:
		case !ok:
			bad(f.name, f.name+" باید رشته باشد.")
		case len([]rune(s)) > 255:
			bad(f.name, f.name+" نباید بیشتر از 255 کاراکتر باشد.")
		case f.check != nil && f.check(s) != "":
			bad(f.name, f.check(s))
		default:
			r.set[f.name] = s
		}
	}
	if update {
		_, prov := in.get("province_id")
		_, city := in.get("city_id")
		if prov && !city {
			bad("city_id", "وارد کردن city_id الزامی است")
		} else if city && !prov {
			bad("province_id", "وارد کردن province_id الزامی است")
		}
	}
	r.customs, r.hasCust = p.readCustomFields(c, tenant, bad)
	return r, ps
}

// readCustomFields reads custom_fields: a JSON array of {field_id, field_value}
// objects, or the form spelling custom_fields[0][field_id]=…&custom_fields[0][field_value]=…
// as Guzzle's form_params writes nested arrays. field_id is an integer naming a
// field of this business; field_value is a string (§12.2). Errors are reported
// under custom_fields.<i>.<key>, as Laravel names array members.
func (p *Provider) readCustomFields(c echo.Context, tenant string, bad func(field, msg string)) ([]customValue, bool) {
	vals, fps := form.Parse(c.Request(), form.Options{Query: true, NullBody: true})
	for _, pr := range fps {
		if pr.Body() {
			return nil, false // an unreadable body is no input (body.go)
		}
	}
	type item struct {
		id, value       form.Value
		hasID, hasValue bool
		odd             bool
	}
	var items []item
	sent := false
	if v, ok := vals.Lookup("custom_fields"); ok && v.Type != form.Null {
		sent = true
		if v.Type != form.Array {
			bad("custom_fields", "custom_fields باید آرایه باشد.")
			return nil, true
		}
		var raw []json.RawMessage
		if json.Unmarshal([]byte(v.Text), &raw) != nil {
			bad("custom_fields", "custom_fields باید آرایه باشد.")
			return nil, true
		}
		for _, el := range raw {
			var obj map[string]json.RawMessage
			if json.Unmarshal(el, &obj) != nil || obj == nil {
				items = append(items, item{odd: true})
				continue
			}
			it := item{}
			for k, rv := range obj {
				fv := classify(rv)
				switch k {
				case "field_id":
					it.id, it.hasID = fv, fv.Type != form.Null
				case "field_value":
					it.value, it.hasValue = fv, fv.Type != form.Null
				}
			}
			items = append(items, it)
		}
	} else {
		byIdx := map[int]*item{}
		for _, name := range vals.Names() {
			m := customFieldPattern.FindStringSubmatch(name)
			if m == nil {
				continue
			}
			sent = true
			i, err := strconv.Atoi(m[1])
			if err != nil || i > 1000 {
				continue
			}
			it := byIdx[i]
			if it == nil {
				it = &item{}
				byIdx[i] = it
			}
			all := vals.All(name)
			v := all[len(all)-1]
			switch m[2] {
			case "field_id":
				it.id, it.hasID = v, strings.TrimSpace(v.Text) != ""
			case "field_value":
				it.value, it.hasValue = v, strings.TrimSpace(v.Text) != ""
			}
		}
		idx := make([]int, 0, len(byIdx))
		for i := range byIdx {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			items = append(items, *byIdx[i])
		}
	}
	if !sent {
		return nil, false
	}
	out := []customValue{}
	seen := map[int64]int{}
	for i, it := range items {
		at := "custom_fields." + strconv.Itoa(i) + "."
		if it.odd {
			bad("custom_fields."+strconv.Itoa(i), "custom_fields."+strconv.Itoa(i)+" باید آرایه باشد.")
			continue
		}
		var id int64
		okID := false
		switch {
		case !it.hasID:
			bad(at+"field_id", "وارد کردن field_id الزامی است")
		case it.id.Type != form.Number && it.id.Type != form.Text:
			bad(at+"field_id", "field_id باید عدد صحیح باشد.")
		default:
			n, num := int64Of(strings.TrimSpace(it.id.Text))
			if !num {
				bad(at+"field_id", "field_id باید عدد صحیح باشد.")
				break
			}
			if _, own := p.cust.fields.Get(tenant, itoa(n)); !own {
				bad(at+"field_id", fieldMissing)
				break
			}
			id, okID = n, true
		}
		var value string
		okValue := false
		switch {
		case !it.hasValue:
			bad(at+"field_value", "وارد کردن field_value الزامی است")
		case it.value.Type != form.Text:
			// Laravel's string rule: a JSON number, boolean, array or object is
			// not a string (form bodies are always text).
			bad(at+"field_value", "field_value باید رشته باشد.")
		case len([]rune(it.value.Text)) > 255:
			bad(at+"field_value", "field_value نباید بیشتر از 255 کاراکتر باشد.")
		default:
			value, okValue = it.value.Text, true
		}
		if okID && okValue {
			if j, dup := seen[id]; dup {
				out[j].Value = value // the same field twice: the last value counts
				continue
			}
			seen[id] = len(out)
			out = append(out, customValue{FieldID: id, Value: value})
		}
	}
	return out, true
}

// classify reads one JSON member the way mock/form does.
func classify(raw json.RawMessage) form.Value {
	vals, _ := form.ParseBody("application/json", append(append([]byte(`{"v":`), raw...), '}'), form.Options{})
	if vals == nil {
		return form.Value{Type: form.Object}
	}
	v, ok := vals.Lookup("v")
	if !ok {
		return form.Value{Type: form.Null}
	}
	return v
}

// fieldMissing is the documented answer for a field id the business does not
// have (reference §12.2, §12.6).
const fieldMissing = "چنین فیلدی برای این کسب و کار ثبت نشده است."

// isMobile is the mobile rule of customers, mandates and Ravand: 11 ASCII
// digits starting 09 (no +98 forms, unlike iran.NormalizeMobile).
func isMobile(s string) bool { return digits.Len(s, 11) && s[:2] == "09" }
