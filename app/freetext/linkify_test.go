package freetext

import "testing"

func TestLinkifyEscapesEverythingAndLinksOnlyAddresses(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain lines keep their breaks", "Line one\nLine two", "<p dir=\"auto\">Line one<br>\nLine two</p>\n"},
		{"blank lines make paragraphs", "A\n\n\n\nB\r\n", "<p dir=\"auto\">A</p>\n<p dir=\"auto\">B</p>\n"},
		{"a web address, without the full stop after it", "See https://example.org/help?a=1&b=2.",
			`<p dir="auto">See <a href="https://example.org/help?a=1&amp;b=2" dir="ltr" rel="noreferrer">https://example.org/help?a=1&amp;b=2</a>.</p>` + "\n"},
		{"an email address", "Write to help@example.org, anytime",
			`<p dir="auto">Write to <a href="mailto:help@example.org" dir="ltr" rel="noreferrer">help@example.org</a>, anytime</p>` + "\n"},
		{"an international phone number", "Call +254 (20) 123-4567 now",
			`<p dir="auto">Call <a href="tel:+254201234567" dir="ltr" rel="noreferrer">+254 (20) 123-4567</a> now</p>` + "\n"},
		{"markup is text", `<script>alert("x")</script><a href="javascript:alert(1)">x</a>`,
			`<p dir="auto">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;a href=&#34;javascript:alert(1)&#34;&gt;x&lt;/a&gt;</p>` + "\n"},
		{"no scheme but http(s) is linked", "javascript:alert(1) data:text/html,x ftp://x.org",
			"<p dir=\"auto\">javascript:alert(1) data:text/html,x ftp://x.org</p>\n"},
		{"quotes cannot break out of the link", `https://e.org/"onmouseover="x`,
			`<p dir="auto"><a href="https://e.org/" dir="ltr" rel="noreferrer">https://e.org/</a>&#34;onmouseover=&#34;x</p>` + "\n"},
		{"a phone number in Persian digits, dialled in Western digits", "تلفن: +۹۸ ۲۱ ۱۲۳۴ ۵۶۷۸؛ شبانه\u200cروزی",
			`<p dir="auto">تلفن: <a href="tel:+982112345678" dir="ltr" rel="noreferrer">+۹۸ ۲۱ ۱۲۳۴ ۵۶۷۸</a>؛ شبانه` + "\u200c" + `روزی</p>` + "\n"},
		{"a phone number in Arabic-Indic digits", "هاتف +٩٦١ ١ ٢٣٤ ٥٦٧",
			`<p dir="auto">هاتف <a href="tel:+9611234567" dir="ltr" rel="noreferrer">+٩٦١ ١ ٢٣٤ ٥٦٧</a></p>` + "\n"},
		{"short numbers are not phone numbers", "+12 and 2026, +۱۲ و ۲۰۲۶", "<p dir=\"auto\">+12 and 2026, +۱۲ و ۲۰۲۶</p>\n"},
		{"Arabic text with an address and Arabic punctuation", "راسلونا على help@example.org، شكرًا",
			`<p dir="auto">راسلونا على <a href="mailto:help@example.org" dir="ltr" rel="noreferrer">help@example.org</a>، شكرًا</p>` + "\n"},
		{"bidirectional overrides are dropped", "\u202Egro.elpmaxe", "<p dir=\"auto\">gro.elpmaxe</p>\n"},
		{"nothing gives nothing", " \n\n ", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Linkify(tc.in)); got != tc.want {
				t.Fatalf("Linkify(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}
