package vandar

import (
	"slices"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// Customers (v2) of a business (reference §12): the records, their custom
// fields, and each customer's wallet with its transactions. Everything lives
// under the business's slug as tenant, so one business never sees another's
// customers, fields or wallets. The v3 sub-resources (identity, IBANs, cards)
// read a customer through p.customer.

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
	rows    *store.Table[customer]       // customer uuid → record (deleted ones kept, marked)
	fields  *store.Table[customField]    // field id → field
	seq     *store.Table[int64]          // "field": the business's last field id
	wallets *store.Table[customerWallet] // customer uuid → wallet
	moves   *store.Table[walletMove]     // "<customer>/<track_id>" → movement, in order
}

func newCustomerStore(s *store.Store) *customerStore {
	return &customerStore{
		rows:    store.NewTable[customer](s, "vandar.customers"),
		fields:  store.NewTable[customField](s, "vandar.customer_fields"),
		seq:     store.NewTable[int64](s, "vandar.customer_seq"),
		wallets: store.NewTable[customerWallet](s, "vandar.customer_wallets"),
		moves:   store.NewTable[walletMove](s, "vandar.customer_moves"),
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

// customerCodes are the customers' answers (reference §12, §18.3). Texts
// marked "ours" in doc.go are not in the public record.
var customerCodes = map[string]codeDef{
	"CUSTOMER_NOT_FOUND": {status: 404, shape: shapeMessage, msg: "خطای 404 رخ داده است."},
}
