package bank

import (
	"fmt"
	"strconv"
	"strings"
)

// outcomeNote says in Persian what chargeCard does with a deposit whose fixture
// sets it apart from the default deposit (charge.go's order of checks, doc.go's
// table), so the consent page can tell a tester which deposit to tick for which
// outcome. An ordinary deposit has no note.
func (w *world) outcomeNote(d *depositDef) string {
	def := w.depDefault
	var parts []string
	switch {
	case d.ConditionsNotPass:
		parts = append(parts, "شرایط حساب برقرار نیست: شارژ کارت بن HTTP 400 می\u200cگیرد")
	case d.Bank != "062":
		parts = append(parts, "سپرده غیر آینده: شارژ کارت بن HTTP 400 می\u200cگیرد")
	}
	if d.NoTafsili {
		parts = append(parts, "حساب کد تفصیلی ندارد: A107")
	}
	if d.Freeze > 0 {
		parts = append(parts, fmt.Sprintf("%s ریال مسدود: بیش از %s ریال D51", group(d.Freeze), group(max(d.Opening-d.Freeze, 0))))
	} else if d.Opening != def.Opening {
		parts = append(parts, fmt.Sprintf("موجودی %s ریال: بیش از آن C10", group(d.Opening)))
	}
	if d.PerTx != def.PerTx {
		parts = append(parts, fmt.Sprintf("بیش از %s ریال در یک شارژ: A115", group(d.PerTx)))
	}
	if d.DayCount != def.DayCount {
		parts = append(parts, fmt.Sprintf("شارژ %s هر روز: A116", ordinal(d.DayCount+1)))
	}
	if d.DayAmount != def.DayAmount {
		parts = append(parts, fmt.Sprintf("بیش از %s ریال در روز: A116", group(d.DayAmount)))
	}
	if d.MonthCount != def.MonthCount {
		parts = append(parts, fmt.Sprintf("شارژ %s هر ماه شمسی: A117", ordinal(d.MonthCount+1)))
	}
	if d.MonthAmount != def.MonthAmount {
		parts = append(parts, fmt.Sprintf("بیش از %s ریال در ماه شمسی: A117", group(d.MonthAmount)))
	}
	return strings.Join(parts, "؛ ")
}

// group writes n with thousands separators: 10000000 → 10,000,000.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var ordinals = []string{"", "اول", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم"}

func ordinal(n int64) string {
	if n > 0 && n < int64(len(ordinals)) {
		return ordinals[n]
	}
	return strconv.FormatInt(n, 10) + "\u200cام"
}
