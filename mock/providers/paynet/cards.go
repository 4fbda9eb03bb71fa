package paynet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/digits"
	"github.com/sandbank-dev/sandbank/mock/page"
	"github.com/sandbank-dev/sandbank/mock/store"
)

// owner is one card owner (card_owner_id) with every card ever saved for it.
// The cards live in the owner's row so that the duplicate check and the insert
// are one locked step: two parallel saves of one card give one save and one 5.
type owner struct {
	ID           string       `json:"card_owner_id"`
	UserUniqueID string       `json:"user_unique_id"`
	Created      time.Time    `json:"created"`
	Cards        []storedCard `json:"cards"`
}

// Clone keeps stored rows independent of callers' copies.
func (o owner) Clone() owner {
	o.Cards = append([]storedCard(nil), o.Cards...)
	return o
}

// storedCard is a saved card. The PAN itself is not kept: a fingerprint finds
// duplicates and the masked number is what every answer shows.
type storedCard struct {
	Hash        string    `json:"card_hash"`
	Fingerprint string    `json:"fingerprint"`
	Desc        string    `json:"card_desc"`
	Holder      string    `json:"card_holder"` // masked
	CardNo      string    `json:"card_no"`     // masked
	BIN         string    `json:"card_bin"`
	Type        string    `json:"card_type"`
	BankID      string    `json:"card_bank_id"`
	BankName    string    `json:"card_bank_name"`
	Brand       string    `json:"card_brand_name"`
	ExpireMonth int       `json:"expire_month"`
	ExpireYear  int       `json:"expire_year"`
	Created     time.Time `json:"created"`
	VisibleFrom time.Time `json:"visible_from"` // later than Created for an in-doubt save
	Deleted     bool      `json:"deleted"`
	DeletedAt   time.Time `json:"deleted_at,omitzero"`
}

func fingerprint(pan string) string {
	s := sha256.Sum256([]byte("paynet-pan\x00" + pan))
	return hex.EncodeToString(s[:16])
}

// saveReply is card/save's answer: the SDK fixture's fields, plus card_bank_id
// which the list answers for the same card.
type saveReply struct {
	ObjectName  string `json:"object_name"`
	Code        int    `json:"code"`
	Message     string `json:"message"`
	CardOwnerID string `json:"card_owner_id"`
	UserUnique  string `json:"user_unique_id"`
	CardDesc    string `json:"card_desc"`
	CardHash    string `json:"card_hash"`
	CardNo      string `json:"card_no"`
	CardBIN     string `json:"card_bin"`
	CardType    string `json:"card_type"`
	BankID      string `json:"card_bank_id"`
	BankName    string `json:"card_bank_name"`
	LogoURL     string `json:"card_logo_url"`
	Brand       string `json:"card_brand_name"`
}

// cardView is one element of card/list's Data, in the official sample's order.
type cardView struct {
	CompanyCode string `json:"company_code"`
	AgentID     string `json:"agent_id"`
	UserUnique  string `json:"user_unique_id"`
	CardOwnerID string `json:"card_owner_id"`
	CardHash    string `json:"card_hash"`
	CardDesc    string `json:"card_desc"`
	CardHolder  string `json:"card_holder"`
	CardNo      string `json:"card_no"`
	CardBIN     string `json:"card_bin"`
	CardType    string `json:"card_type"`
	BankID      string `json:"card_bank_id"`
	BankName    string `json:"card_bank_name"`
	LogoURL     string `json:"card_logo_url"`
	Brand       string `json:"card_brand_name"`
	ExpireMonth int    `json:"expire_month"`
	ExpireYear  int    `json:"expire_year"`
}

type listReply struct {
	Total         int        `json:"total"`
	TotalCount    int        `json:"total_count"`
	Limit         int        `json:"limit"`
	EndingBefore  int        `json:"ending_before"`
	StartingAfter int        `json:"starting_after"`
	HasMore       bool       `json:"has_more"`
	Data          []cardView `json:"Data"`
	ObjectName    string     `json:"object_name"`
	Code          int        `json:"code"`
	Message       *string    `json:"message"`
}

const defaultLimit = 10

func (p *Provider) logoURL(c *api.Call, bankID string) string {
	base := p.cfg.logoBase
	if base == "" {
		base = api.Base(c)
	}
	return base + "/img/banklogo/small/" + bankID + ".png"
}

// envelopeMessage is okMessage, or code 100's text.
func envelopeMessage(code int) string {
	if code == 100 {
		return catalogue[codeOldSuccess].Message
	}
	return okMessage
}

// parseExpiry reads expire_month (1-12, "01" allowed) and expire_year (YYYY or
// YY, taken as 20YY).
func parseExpiry(month, year string) (int, int, bool) {
	month, year = strings.TrimSpace(month), strings.TrimSpace(year)
	m, err := strconv.Atoi(month)
	if err != nil || m < 1 || m > 12 || len(month) > 2 {
		return 0, 0, false
	}
	y, err := strconv.Atoi(year)
	switch {
	case err != nil:
		return 0, 0, false
	case len(year) == 2:
		y += 2000
	case len(year) != 4:
		return 0, 0, false
	}
	return m, y, true
}

// saveReq is card/save's body once its shape is judged.
type saveReq struct {
	desc, holder, number, month, year string
	opt                               map[string]string
	gsm                               string
}

// cardSave stores a card. Order: body shape (11), scenario, merchant magic, card
// data (18), owner (12), OTP (12 / 1), magic cards, duplicate (5).
func (p *Provider) cardSave() api.Op[saveReq, saveReply] {
	return api.Op[saveReq, saveReply]{Parse: p.parseSave, Magic: merchant[saveReq](p), Run: p.runSave}
}

func (p *Provider) parseSave(c *api.Call) (saveReq, error) {
	in, v, err := need(c, "card_desc", "card_holder", "card_number", "expire_month", "expire_year")
	if err != nil {
		return saveReq{}, err
	}
	f := saveReq{desc: v[0], holder: v[1], number: v[2], month: v[3], year: v[4], opt: map[string]string{}}
	opt := f.opt
	for _, name := range []string{"cvv", "user_unique_id", "card_owner_id", "otp_code", "otp_session_id", "user_gsm"} {
		v, _, err := in.str(name)
		if err != nil {
			return saveReq{}, err
		}
		opt[name] = v
	}
	if opt["user_unique_id"] == "" && opt["card_owner_id"] == "" {
		return saveReq{}, badRequest("İlk kayıtta user_unique_id, sonrakilerde card_owner_id zorunludur")
	}
	f.gsm = opt["user_gsm"]
	if f.gsm != "" {
		if f.gsm = normalizeGSM(f.gsm); f.gsm == "" {
			return saveReq{}, badRequest("user_gsm 5XXXXXXXXX biçiminde olmalı")
		}
	}
	m, _ := p.cfg.merchant(c.Tenant)
	if m.OTPRequired && opt["otp_session_id"] == "" {
		return saveReq{}, badRequest("Bu üye iş yeri için OTP zorunlu: otp_session_id gönderilmeli")
	}
	return f, nil
}

func (p *Provider) runSave(c *api.Call, f saveReq) (saveReply, error) {
	opt, gsm := f.opt, f.gsm
	var err error
	num := strings.NewReplacer(" ", "", "-", "").Replace(f.number)
	if len(num) < 12 || len(num) > 19 || !digits.Luhn(num) {
		return saveReply{}, errWith(codeCardData, "Kart numarası geçersiz")
	}
	info, ok := p.cfg.lookup(num)
	if !ok {
		return saveReply{}, errWith(codeCardData, "Kart markası desteklenmiyor")
	}
	month, year, ok := parseExpiry(f.month, f.year)
	if !ok {
		return saveReply{}, errWith(codeCardData, "Son kullanma tarihi geçersiz")
	}
	now := c.Now.In(istanbul)
	if year < now.Year() || year == now.Year() && month < int(now.Month()) {
		return saveReply{}, errWith(codeCardData, "Kartın son kullanma tarihi geçmiş")
	}
	if cvv := opt["cvv"]; cvv != "" && (!digits.All(cvv) || len(cvv) < 3 || len(cvv) > 4) {
		return saveReply{}, errWith(codeCardData, "CVV geçersiz")
	}

	ownerID, uid := opt["card_owner_id"], opt["user_unique_id"]
	if ownerID != "" {
		o, found := p.owners.Get(c.Tenant, ownerID)
		if !found {
			return saveReply{}, p.noData("card_owner_id bulunamadı")
		}
		uid = o.UserUniqueID
	} else {
		ownerID = p.uuid("owner", c.Tenant, uid)
	}
	if sess := opt["otp_session_id"]; sess != "" {
		if err := p.useOTP(c, sess, gsm, opt["otp_code"]); err != nil {
			return saveReply{}, err
		}
	}
	// Magic cards stay in Run, not in Magic: Paynet judges the card data, the
	// owner and the OTP first, and a header or scenario still wins over them.
	if code := p.cfg.magic[num]; code != "" && !c.Decision.Decided() {
		return saveReply{}, errCode(code)
	}

	fp := fingerprint(num)
	card := storedCard{
		Fingerprint: fp, Desc: f.desc, Holder: maskHolder(f.holder), CardNo: p.cfg.maskNumber(num),
		BIN: info.bin, Type: info.typ, BankID: info.bank.ID, BankName: info.bank.Name, Brand: info.brand,
		ExpireMonth: month, ExpireYear: year, Created: c.Now, VisibleFrom: c.Decision.VisibleAt(c.Now),
	}
	add := func(o *owner) error {
		gen := 0
		for _, old := range o.Cards {
			if old.Fingerprint != fp {
				continue
			}
			if !old.Deleted {
				return errWith(codeDuplicate, "Bu kart bu kart sahibi için daha önce kaydedilmiş")
			}
			gen++
		}
		card.Hash = p.uuid("card", c.Tenant, ownerID, fp, strconv.Itoa(gen))
		o.Cards = append(o.Cards, card)
		return nil
	}
	switch {
	case !c.Decision.Commits():
		// Settles as failed: answer as the save would, keep nothing.
		o, found := p.owners.Get(c.Tenant, ownerID)
		if !found {
			o = owner{ID: ownerID, UserUniqueID: uid}
		}
		err = add(&o)
	case opt["card_owner_id"] != "":
		err = p.owners.Update(c.Tenant, ownerID, add)
		if errors.Is(err, store.ErrNotFound) {
			err = p.noData("card_owner_id bulunamadı")
		}
	default:
		err = p.owners.Upsert(c.Tenant, ownerID, func() owner {
			return owner{ID: ownerID, UserUniqueID: uid, Created: c.Now}
		}, add)
	}
	if err != nil {
		return saveReply{}, err
	}
	code := okCode(c.Decision)
	return saveReply{
		ObjectName: "card_save", Code: code, Message: envelopeMessage(code),
		CardOwnerID: ownerID, UserUnique: uid, CardDesc: card.Desc, CardHash: card.Hash,
		CardNo: card.CardNo, CardBIN: card.BIN, CardType: card.Type, BankID: card.BankID,
		BankName: card.BankName, LogoURL: p.logoURL(c, card.BankID), Brand: card.Brand,
	}, nil
}

// cardList pages through an owner's live cards, oldest first, numbered from 1.
// starting_after S answers cards S+1..S+limit; ending_before E answers cards
// E-limit..E-1 (the documented "ending_before 90, limit 15 → 75..90"); 0 means
// unset. has_more says whether cards remain beyond the page in the direction
// of travel; total is the page's size, total_count the owner's live cards.
func (p *Provider) cardList() api.Op[listReq, listReply] {
	return api.Op[listReq, listReply]{Parse: parseList, Magic: merchant[listReq](p), Run: p.runList}
}

type listReq struct {
	ownerID       string
	limit, eb, sa int
}

func parseList(c *api.Call) (listReq, error) {
	in, v, err := need(c, "card_owner_id")
	if err != nil {
		return listReq{}, err
	}
	r := listReq{ownerID: v[0]}
	if r.limit, err = in.integer("limit"); err != nil {
		return listReq{}, err
	}
	if r.eb, err = in.integer("ending_before"); err != nil {
		return listReq{}, err
	}
	if r.sa, err = in.integer("starting_after"); err != nil {
		return listReq{}, err
	}
	if r.eb > 0 && r.sa > 0 {
		return listReq{}, badRequest("ending_before ve starting_after birlikte gönderilemez")
	}
	if r.limit == 0 {
		r.limit = defaultLimit
	}
	return r, nil
}

func (p *Provider) runList(c *api.Call, r listReq) (listReply, error) {
	ownerID, limit, eb, sa := r.ownerID, r.limit, r.eb, r.sa
	m, _ := p.cfg.merchant(c.Tenant)
	o, found := p.owners.Get(c.Tenant, ownerID)
	if !found {
		return listReply{}, p.noData("card_owner_id bulunamadı")
	}
	live := make([]storedCard, 0, len(o.Cards))
	for _, cd := range o.Cards {
		if !cd.Deleted && !cd.VisibleFrom.After(c.Now) {
			live = append(live, cd)
		}
	}
	rows, win := page.Index(page.IndexRequest{Limit: limit, StartingAfter: sa, EndingBefore: eb}, page.Slice(live))
	n, more := win.Total, win.HasMore
	company, agent := p.companyCode(m)
	data := []cardView{}
	for _, cd := range rows {
		v := cardView{
			CompanyCode: company, AgentID: agent, UserUnique: o.UserUniqueID, CardOwnerID: o.ID,
			CardHash: cd.Hash, CardDesc: cd.Desc, CardHolder: cd.Holder, CardNo: cd.CardNo, CardBIN: cd.BIN,
			CardType: cd.Type, BankID: cd.BankID, BankName: cd.BankName, LogoURL: p.logoURL(c, cd.BankID),
			Brand: cd.Brand,
		}
		if p.cfg.listExpiry {
			v.ExpireMonth, v.ExpireYear = cd.ExpireMonth, cd.ExpireYear
		}
		data = append(data, v)
	}
	code := okCode(c.Decision)
	var msg *string
	if code != 0 {
		s := envelopeMessage(code)
		msg = &s
	}
	return listReply{
		Total: len(data), TotalCount: n, Limit: limit, EndingBefore: eb, StartingAfter: sa, HasMore: more,
		Data: data, ObjectName: "card_list", Code: code, Message: msg,
	}, nil
}

// changeCard runs fn on the live card (owner, hash) under the owner's lock, or
// only checks it exists when the call settles as failed.
func (p *Provider) changeCard(c *api.Call, ownerID, hash string, fn func(*storedCard)) error {
	find := func(o *owner) (*storedCard, error) {
		for i := range o.Cards {
			if o.Cards[i].Hash == hash && !o.Cards[i].Deleted {
				return &o.Cards[i], nil
			}
		}
		return nil, p.noData("card_hash bulunamadı")
	}
	if !c.Decision.Commits() {
		o, found := p.owners.Get(c.Tenant, ownerID)
		if !found {
			return p.noData("card_owner_id bulunamadı")
		}
		_, err := find(&o)
		return err
	}
	err := p.owners.Update(c.Tenant, ownerID, func(o *owner) error {
		cd, err := find(o)
		if err != nil {
			return err
		}
		fn(cd)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return p.noData("card_owner_id bulunamadı")
	}
	return err
}

// cardDelete puts the deletion mark on a card (soft delete): it leaves every
// list at once; saving the same number again makes a new card with a new hash.
func (p *Provider) cardDelete() api.Op[[]string, result] {
	return api.Op[[]string, result]{
		Parse: needs("card_owner_id", "card_hash"),
		Magic: merchant[[]string](p),
		Run: func(c *api.Call, v []string) (result, error) {
			if err := p.changeCard(c, v[0], v[1], func(cd *storedCard) {
				cd.Deleted, cd.DeletedAt = true, c.Now
			}); err != nil {
				return result{}, err
			}
			return okResult(c, "card_delete"), nil
		},
	}
}

// cardDescUpdate renames a card.
func (p *Provider) cardDescUpdate() api.Op[[]string, result] {
	return api.Op[[]string, result]{
		Parse: needs("card_owner_id", "card_hash", "card_desc"),
		Magic: merchant[[]string](p),
		Run: func(c *api.Call, v []string) (result, error) {
			if err := p.changeCard(c, v[0], v[1], func(cd *storedCard) { cd.Desc = v[2] }); err != nil {
				return result{}, err
			}
			return okResult(c, "card_desc_update"), nil
		},
	}
}

// needs is the Parse of an operation whose body is only required strings.
func needs(names ...string) func(c *api.Call) ([]string, error) {
	return func(c *api.Call) ([]string, error) {
		_, v, err := need(c, names...)
		return v, err
	}
}

// okResult is the bare success envelope of object, with the decision's code.
func okResult(c *api.Call, object string) result {
	code := okCode(c.Decision)
	msg := envelopeMessage(code)
	return result{ObjectName: object, Code: code, Message: &msg}
}
