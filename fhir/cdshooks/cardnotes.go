package cdshooks

import (
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
)

// treatedFlares marks the renal flares of g followed by the start of a
// new induction therapy (assess.InductionClass: mycophenolate,
// cyclophosphamide, belimumab, a calcineurin inhibitor, obinutuzumab,
// rituximab, MSC) on or after the flare's date, not for a kidney graft.
// When every flare of the card was followed by one, the flare is being
// treated: the card does not ask to change therapy (trial-web #10: a
// flare from 11 months earlier, cyclophosphamide started 12 days after
// it, ranked second as "change therapy"). It becomes information, after
// every other card; whether the new therapy works is judged by the
// response rules (no-response-6m) in their own card.
func treatedFlares(a assess.Assessment, g *group) {
	g.treated = make([]string, len(g.alerts))
	all := true
	for i, al := range g.alerts {
		if al.Date == nil {
			all = false
			continue
		}
		flare := al.Date.UTC().Truncate(24 * time.Hour)
		var first *assess.Therapy
		for j := range a.Therapies {
			th := &a.Therapies[j]
			c, ok := record.ParseTherapyClass(th.Class)
			if !ok || !assess.InductionClass(c) || th.Indication != "" || th.Start.Before(flare) || th.Start.After(a.EffectiveDate) {
				continue
			}
			if first == nil || th.Start.Before(first.Start) {
				first = th
			}
		}
		if first == nil {
			all = false
			continue
		}
		g.treated[i] = first.Name + " started " + first.Start.UTC().Format(time.DateOnly)
	}
	if all {
		g.sev, g.rank = assess.Info, treatedRank
	}
}

// notAssessed says what the assessment could not do because the EHR's
// Patient lacked what the equations need, in a detail paragraph and a
// summary line; both "" when nothing was missing or there was nothing to
// assess (no Observation at all). The eGFR equations (CKD-EPI 2021 and
// the others the assessment chooses), the KFRE and the anaemia
// thresholds take age and sex (assess: missing patient.birth_date and
// patient.sex), so without them there is no eGFR, no CKD G stage, no
// KFRE and none of the alerts built on them. patientNull is true when
// prefetch.patient was null (the EHR has no Patient resource).
func notAssessed(a assess.Assessment, patientNull bool, observations int) (detail, summary string) {
	if observations == 0 {
		return "", ""
	}
	var why []string
	for _, m := range a.Missing {
		switch {
		case m.Path == "patient.birth_date" && a.Patient.BirthDate == nil:
			why = append(why, "no birth date")
		case m.Path == "patient.sex":
			why = append(why, "no sex (male or female)")
		}
	}
	if len(why) == 0 {
		return "", ""
	}
	src, line := "the EHR's Patient has ", "Kidney function not assessed: the EHR's Patient has "+strings.Join(why, " and ")
	if patientNull {
		src, line = "the EHR sent no Patient (prefetch.patient was null), so there is ", "Kidney function not assessed: the EHR sent no Patient (no birth date or sex)"
	}
	detail = src + strings.Join(why, " and ") + ": RenalWatch computed no eGFR, so no CKD G stage, no kidney failure risk (KFRE), " +
		"no eGFR trend or renal response, and none of their cards (CKD G4/G5, referral by risk, rapid decline, eGFR fall, no response); " +
		"anaemia thresholds depend on age and sex too."
	if a.Patient.BirthDate == nil {
		// assess applies the adult office blood pressure target when the
		// age is unknown (it is not applied to children).
		detail += " With the age unknown, a blood pressure card applies the adult target: check the patient's age."
	}
	return detail + " Record birth date and sex in the EHR to have these assessed.", line
}
