package main

import "renalwatch/ckd"

// ageYearsText is an age as given to a calculator: "54 years", "1 year",
// "1.5 years" (not "age 1 years": trial-cli #22).
func ageYearsText(age float64) string {
	if age == 1 {
		return "1 year"
	}
	return measured(age) + " years"
}

// gNotApplicable is why an eGFR of a person aged age years has no KDIGO G
// category, in the report's words (ckd.GCategoryApplies, ckd.GCategoryUnder2:
// KDIGO 2024, the GFR categories apply from 2 years); "" from 2 years.
func gNotApplicable(age float64) string {
	if ckd.GCategoryApplies(age) {
		return ""
	}
	return "age " + ageYearsText(age) + ": " + ckd.GCategoryUnder2
}

// aUnder2Note is the report's caveat of an A category of a child under 2
// years (ckd.ACategoryUnder2; the category is kept); "" from 2 years.
func aUnder2Note(age float64) string {
	if ckd.GCategoryApplies(age) {
		return ""
	}
	return "age " + ageYearsText(age) + ": " + ckd.ACategoryUnder2
}
