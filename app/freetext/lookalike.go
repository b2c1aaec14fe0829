package freetext

import "strings"

// lookAlikes are letters that keyboards and habits type for one another in Arabic-script
// languages, folded to one form: a person on an Arabic keyboard types ي and ك for Persian ی
// and ک, Arabic writers often leave the hamza off alef and write ى or ه at the end of a word,
// tatweel only stretches a word, and digits come in three sets (٠١٢ ۰۱۲ 012).
var lookAlikes = strings.NewReplacer(
	"ي", "ی", "ى", "ی", "ك", "ک", "ۀ", "هٔ", "ە", "ه", "ة", "ه",
	"أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا", "ـ", "",
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
)

// FoldLookAlikes folds the Arabic-script letters and digits people type for one another
// (lookAlikes) to one form, so that text typed on any keyboard and in any habit compares
// equal: short answers (app/quiz) and the search keys of names (app/store). The result is a
// key to compare, not text to show: Arabic yeh becomes the Persian one, whose final form has
// no dots. Short vowels and other marks are the caller's to keep or drop.
func FoldLookAlikes(s string) string { return lookAlikes.Replace(s) }
