package vandar

import (
	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/page"
)

// Custom fields (reference §12.6): a business names fields once, then sends
// values for them with each customer (custom_fields, §12.2). Ids are numbered
// across businesses, so a field of another business is told apart from one that
// never existed, as the documented answers do.

// fieldShown is a field with Unix-second timestamps (§1.9, §12.6).
type fieldShown struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
}

func (f customField) shown() fieldShown {
	return fieldShown{ID: f.ID, Name: f.Name, CreatedAt: f.Created.Unix(), UpdatedAt: f.Updated.Unix()}
}

// field is the business's field of the route's :field_id: 404 "خطای 404 رخ داده
// است." when no business has it, 404 with the field text when another does.
func (p *Provider) field(slug, id string) (customField, error) {
	n, ok := int64Of(id)
	if !ok {
		return customField{}, p.fail("FIELD_NOT_FOUND")
	}
	if f, ok := p.cust.fields.Get(slug, itoa(n)); ok {
		return f, nil
	}
	if owner, _, ok := p.cust.fields.Find(itoa(n)); ok && owner != slug {
		return customField{}, p.fail("FIELD_FOREIGN")
	}
	return customField{}, p.fail("FIELD_NOT_FOUND")
}

// fieldName reads the required name (a string of at most 255 characters).
func (p *Provider) fieldName(c *api.Call) (string, error) {
	in := readInput(c)
	s, present, ok := in.str("name")
	switch {
	case !present:
		return "", p.failAll(problems{{code: "FIELD_NAME_REQUIRED"}})
	case !ok:
		return "", p.failAll(problems{{code: "FIELD_NAME_REQUIRED", msg: "name باید رشته باشد."}})
	case len([]rune(s)) > 255:
		return "", p.failAll(problems{{code: "FIELD_NAME_REQUIRED", msg: "name نباید بیشتر از 255 کاراکتر باشد."}})
	}
	return s, nil
}

// --- GET /v2/business/business/customers/fields (and with :business) ---

type pagingReq struct{ page, perPage int }

func (p *Provider) parseFieldList(c *api.Call) (pagingReq, error) {
	var ps problems
	pg, per := parsePaging(readInput(c), 10, &ps)
	if len(ps) > 0 {
		return pagingReq{}, p.failAll(ps)
	}
	return pagingReq{pg, per}, nil
}

func (p *Provider) runFieldList(c *api.Call, r pagingReq) (page.Resource[fieldShown], error) {
	all := []fieldShown{}
	for _, it := range p.cust.fields.List(c.Tenant) {
		all = append(all, it.Value.shown())
	}
	u := page.URLs{Path: customerBase(c.Tenant) + "/fields"}
	if r.perPage != 10 {
		u.Appends = map[string][]string{"per_page": {itoa(int64(r.perPage))}}
	}
	return page.NewResource(u, page.Request{Page: r.page, PerPage: r.perPage}, page.Slice(all), page.ResourceOptions{}), nil
}

// --- POST /v2/business/:business/customers/fields ---

type fieldCreated struct {
	Status  string `json:"status"` // the string "1" (reference §1.4)
	Message string `json:"message"`
	Result  struct {
		Field struct {
			ID int64 `json:"id"`
		} `json:"field"`
	} `json:"result"`
}

func (p *Provider) runFieldCreate(c *api.Call, name string) (fieldCreated, error) {
	var id int64
	_ = p.cust.seq.Upsert("", "field", func() int64 { return 0 }, func(v *int64) error {
		*v++
		id = *v
		return nil
	})
	p.cust.fields.Put(c.Tenant, itoa(id), customField{ID: id, Name: name, Created: c.Now, Updated: c.Now})
	var out fieldCreated
	out.Status, out.Message = "1", "فیلد با موفقیت ثبت گردید."
	out.Result.Field.ID = id
	return out, nil
}

// --- GET|PUT|PATCH|DELETE /v2/business/:business/customers/fields/:field_id ---

func (p *Provider) parseFieldID(c *api.Call) (customField, error) {
	return p.field(c.Tenant, c.Param("field_id"))
}

type fieldData struct {
	Data fieldShown `json:"data"`
}

func (p *Provider) runFieldShow(_ *api.Call, f customField) (fieldData, error) {
	return fieldData{Data: f.shown()}, nil
}

type fieldUpdateReq struct {
	id   int64
	name string
}

type fieldUpdated struct {
	Message string     `json:"message"`
	Field   fieldShown `json:"field"`
}

func (p *Provider) parseFieldUpdate(c *api.Call) (fieldUpdateReq, error) {
	f, err := p.parseFieldID(c)
	if err != nil {
		return fieldUpdateReq{}, err
	}
	name, err := p.fieldName(c)
	return fieldUpdateReq{f.ID, name}, err
}

func (p *Provider) runFieldUpdate(c *api.Call, r fieldUpdateReq) (fieldUpdated, error) {
	var out customField
	err := p.cust.fields.Update(c.Tenant, itoa(r.id), func(f *customField) error {
		f.Name, f.Updated = r.name, c.Now
		out = *f
		return nil
	})
	if err != nil {
		return fieldUpdated{}, p.fail("FIELD_NOT_FOUND")
	}
	return fieldUpdated{Message: "فیلد با موفقیت به\u200cروزرسانی شد.", Field: out.shown()}, nil
}

func (p *Provider) runFieldDelete(c *api.Call, f customField) (statusMessage, error) {
	if !p.cust.fields.Delete(c.Tenant, itoa(f.ID)) {
		return statusMessage{}, p.fail("FIELD_NOT_FOUND")
	}
	return statusMessage{Status: 1, Message: "فیلد با موفقیت حذف گردید."}, nil
}
