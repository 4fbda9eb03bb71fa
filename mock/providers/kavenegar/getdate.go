package kavenegar

import (
	"fmt"

	"github.com/sandbank-dev/sandbank/mock/api"
	"github.com/sandbank-dev/sandbank/mock/iran"
)

// dateEntry is utils/getdate's entries object.
type dateEntry struct {
	DateTime string `json:"datetime"`
	Year     int    `json:"year"`
	Month    int    `json:"month"`
	Day      int    `json:"day"`
	Hour     int    `json:"hour"`
	Minute   int    `json:"minute"`
	Second   int    `json:"second"`
	UnixTime int64  `json:"unixtime"`
}

// utilsGetDate answers the virtual time in Tehran. datetime is dd/MM/yyyy
// hh:mm:ss with the Persian AM/PM designator: read that way, the documented sample
// ("02/06/2012 01:53:46 ب.ظ") is the very instant of its unixtime, which no other
// reading makes it.
func (p *Provider) utilsGetDate(c *api.Call) error {
	t := c.Now.In(iran.Tehran)
	marker := "ق.ظ"
	if t.Hour() >= 12 {
		marker = "ب.ظ"
	}
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	return ok(c, dateEntry{
		DateTime: fmt.Sprintf("%02d/%02d/%04d %02d:%02d:%02d %s", t.Day(), int(t.Month()), t.Year(), h12, t.Minute(), t.Second(), marker),
		Year:     t.Year(), Month: int(t.Month()), Day: t.Day(),
		Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(),
		UnixTime: t.Unix(),
	})
}
