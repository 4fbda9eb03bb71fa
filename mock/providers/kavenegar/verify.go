package kavenegar

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sandbank-dev/sandbank/mock/api"
)

// tokenNames are the lookup placeholders, in the order they are stored.
var tokenNames = []string{"token", "token2", "token3", "token10", "token20"}

// tokenSpaces is how many plain spaces each token may hold. token, token2 and
// token3 take none (431 names spaces); token10 and token20 exist for longer values
// such as names, so they take a few. The exact allowance is not published.
var tokenSpaces = map[string]int{"token": 0, "token2": 0, "token3": 0, "token10": 5, "token20": 8}

// maxToken bounds a token's length; longer is 431.
const maxToken = 100

// badToken is the 431 rule: a line break, tab or other control character, an
// underscore, a Unicode separator other than a permitted plain space, a zero-width
// character, or more than maxToken characters.
func badToken(name, v string) bool {
	if utf8.RuneCountInString(v) > maxToken || !utf8.ValidString(v) {
		return true
	}
	spaces := 0
	for _, r := range v {
		switch {
		case r == ' ':
			spaces++
		case r == '_', unicode.IsControl(r), unicode.IsSpace(r), unicode.In(r, unicode.Z),
			r == '\u200b', r == '\u200c', r == '\u200d', r == '\ufeff':
			return true
		}
	}
	return spaces > tokenSpaces[name]
}

func digitsOnly(v string) bool {
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return v != ""
}

// hasMainToken reports whether text has %token itself, not only %token2 and the
// like.
func hasMainToken(text string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], "%token")
		if j < 0 {
			return false
		}
		k := i + j + len("%token")
		if k >= len(text) || text[k] < '0' || text[k] > '9' {
			return true
		}
		i = k
	}
}

// render fills a template: %token followed by digits names token2, token10...;
// a placeholder with no matching parameter is left empty.
func render(text string, vals map[string]string) string {
	var b strings.Builder
	for {
		j := strings.Index(text, "%token")
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:j])
		k := j + len("%token")
		for k < len(text) && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		name := text[j+1 : k]
		if _, known := tokenSpaces[name]; known {
			b.WriteString(vals[name])
		} else {
			b.WriteString(text[j:k])
		}
		text = text[k:]
	}
}

func (p *Provider) verifyLookup(c *api.Call) (batch, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return batch{}, err
	}
	if prof.NoAdvanced {
		return batch{}, errCode("426")
	}
	q := readParams(c)
	if err := required(q, one("receptor"), one("template"), one("token")); err != nil {
		return batch{}, err
	}
	raw := q.get("receptor")
	if strings.Contains(raw, ",") {
		return batch{}, errCode("411")
	}
	nums, err := receptors([]string{raw})
	if err != nil {
		return batch{}, err
	}
	tpl, found := p.cfg.templates[q.get("template")]
	if !found || !tpl.approved() {
		return batch{}, errCode("424")
	}
	typ := strings.ToLower(q.get("type"))
	switch typ {
	case "", "sms":
		typ = "sms"
	case "call":
	default:
		return batch{}, errCode("422")
	}
	if tpl.Type != "" && !strings.EqualFold(tpl.Type, typ) {
		return batch{}, errCode("424")
	}
	vals := map[string]string{}
	tokens := make([]string, 0, len(tokenNames))
	for _, name := range tokenNames {
		v := q.get(name)
		if v != "" && badToken(name, v) {
			return batch{}, errCode("431")
		}
		vals[name] = v
		tokens = append(tokens, v)
	}
	for len(tokens) > 1 && tokens[len(tokens)-1] == "" {
		tokens = tokens[:len(tokens)-1]
	}
	if typ == "call" && !digitsOnly(vals["token"]) {
		return batch{}, errCode("428")
	}
	if !hasMainToken(tpl.Text) {
		return batch{}, errCode("432")
	}
	text := render(tpl.Text, vals)
	if err := checkText(text, prof); err != nil {
		return batch{}, err
	}
	if err := testOnly(prof, nums); err != nil {
		return batch{}, err
	}
	it := outgoing{kind: kindLookup, receptor: nums[0], sender: acct.Config.DefaultSender, text: text, typ: typ, template: tpl.Name, tokens: tokens}
	p.price(&it)
	if typ == "call" {
		it.cost = p.cfg.callPrice
	}
	return batch{items: []outgoing{it}, at: c.Now, lookup: true}, nil
}

func (p *Provider) callMakeTTS(c *api.Call) (batch, error) {
	acct, prof, err := p.begin(c)
	if err != nil {
		return batch{}, err
	}
	q := readParams(c)
	nums, text, err := broadcast(q, prof)
	if err != nil {
		return batch{}, err
	}
	at, err := scheduleFor(q, c, prof, nums)
	if err != nil {
		return batch{}, err
	}
	localIDs := q.list("localid", "localmessageids", "localmessageid")
	items := make([]outgoing, len(nums))
	for i, n := range nums {
		items[i] = outgoing{kind: kindCall, receptor: n, sender: acct.Config.DefaultSender, text: text, localID: aligned(localIDs, i), parts: 1, cost: p.cfg.callPrice}
	}
	return batch{items: items, at: at}, nil
}
