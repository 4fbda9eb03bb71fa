package form_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/sandbank-dev/sandbank/mock/form"
)

// A Parse step is one Decode; the provider then words each problem itself.
func ExampleDecode() {
	var in struct {
		Amount   int64  `form:"amount,required,whole,min=1000,max=500000000"`
		Callback string `form:"callback_url,required,len=2048"`
		Mobile   string `form:"mobile_number,len=11"`
	}
	r := httptest.NewRequest("POST", "/api/v4/send", strings.NewReader("amount=500&mobile_number=09121234567"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, p := range form.Decode(r, form.Options{}, &in) {
		switch p.Kind {
		case form.Missing:
			fmt.Printf("%s: The %s field is required.\n", p.Field, p.Field)
		case form.OutOfRange:
			fmt.Printf("%s: must be at least %d.\n", p.Field, p.Min)
		default:
			fmt.Printf("%s: is invalid.\n", p.Field)
		}
	}
	// Output:
	// amount: must be at least 1000.
	// callback_url: The callback_url field is required.
}
