package lupus

import (
	"slices"
	"testing"

	"renalwatch/units"
)

// TestFlareBriefMatches: FlareBrief decides as Flare does (flare, severity,
// type, at least, provisional, rule name and source, the criteria's names
// and met values for kdigo-2012, and the number of CouldChange entries) and
// gives the same errors, for every rule over a grid of UPCRs in each unit
// around Table 29's and the other rules' levels (5000 mg/g and rises to it
// included), creatinines around the moderate and severe rises and the
// 2.0 mg/dL baseline, red cells, casts, sediment and prior response.
func TestFlareBriefMatches(t *testing.T) {
	var upcrs []units.Quantity
	for _, v := range []float64{0, 0.1, 0.3, 0.49, 0.5, 0.51, 0.99, 1, 1.01, 1.7, 2, 2.1, 3, 4.4, 5, 5.1, 9, 11} {
		upcrs = append(upcrs, units.Q(v, units.GPerG), units.Q(v*1000, units.MgPerG), units.Q(v*100, units.MgPerMmol))
	}
	creats := [][2]units.Quantity{{}, {units.Q(1, units.MgPerDL), units.Q(1.19, units.MgPerDL)}, {units.Q(1, units.MgPerDL), units.Q(1.2, units.MgPerDL)},
		{units.Q(1, units.MgPerDL), units.Q(2.1, units.MgPerDL)}, {units.Q(2, units.MgPerDL), units.Q(2.5, units.MgPerDL)},
		{units.Q(88, units.UmolPerL), units.Q(110, units.UmolPerL)}, {units.Q(180, units.UmolPerL), units.Q(0.4, units.MmolPerL)}, {units.Q(1, units.MgPerDL), {}}}
	rbcs := [][2]units.Quantity{{}, {units.Q(2, units.PerHPF), units.Q(20, units.PerHPF)}, {units.Q(10, units.PerHPF), units.Q(12, units.PerHPF)}}
	yes, no := true, false
	casts := [][2]*bool{{nil, nil}, {&yes, nil}, {&yes, &no}, {&yes, &yes}, {&no, nil}}
	extras := [][2]string{{"", ""}, {"active", ""}, {"inactive", "complete"}, {"", "partial"}}
	per := len(creats) // combinations of the other inputs per pair of UPCRs, cycled
	if testing.Short() {
		per = 3
	}
	n := 0
	for _, rule := range append(FlareRules(), "no-such-rule") {
		for i, bq := range upcrs {
			for j, cq := range upcrs {
				for k := range per {
					cr, rbc, c, extra := creats[k], rbcs[(k+i)%len(rbcs)], casts[(k+j)%len(casts)], extras[(k+i+j)%len(extras)]
					in := FlareInput{BaselineUPCR: bq, UPCR: cq, BaselineCreatinine: cr[0], Creatinine: cr[1], BaselineRBC: rbc[0], RBC: rbc[1],
						Casts: c[0], CastsCleared: c[1], Sediment: extra[0], After: extra[1]}
					if k%4 != 0 { // mostly inputs the rule takes (else a not-used error)
						in = onlyUsed(rule, in)
					}
					full, errF := Flare(rule, in)
					brief, errB := FlareBrief(rule, in)
					n++
					if (errF == nil) != (errB == nil) || (errF != nil && errF.Error() != errB.Error()) {
						t.Fatalf("%s %+v: Flare error %v, FlareBrief error %v", rule, in, errF, errB)
					}
					if errF != nil {
						continue
					}
					if full.Flare != brief.Flare || !sameStr(full.Severity, brief.Severity) || !sameStr(full.Type, brief.Type) ||
						full.SeverityAtLeast != brief.SeverityAtLeast || full.Provisional != brief.Provisional ||
						full.RuleName != brief.RuleName || full.Source != brief.Source || len(full.CouldChange) != len(brief.CouldChange) ||
						!slices.EqualFunc(full.Criteria, brief.Criteria, func(x, y CriterionResult) bool {
							return x.Name == y.Name && x.Status == y.Status && (x.Met == nil) == (y.Met == nil) && (x.Met == nil || *x.Met == *y.Met)
						}) {
						t.Fatalf("%s %+v: Flare %+v, FlareBrief %+v", rule, in, full, brief)
					}
				}
			}
		}
	}
	if n < 40000 {
		t.Fatalf("only %d cases", n)
	}
}

func sameStr(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }

// onlyUsed is in without the inputs rule does not use.
func onlyUsed(rule FlareRule, in FlareInput) FlareInput {
	u := flareUses(rule)
	if !u["creatinine"] {
		in.BaselineCreatinine, in.Creatinine = units.Quantity{}, units.Quantity{}
	}
	if !u["rbc"] {
		in.BaselineRBC, in.RBC = units.Quantity{}, units.Quantity{}
	}
	if !u["casts"] {
		in.Casts, in.CastsCleared = nil, nil
	}
	if !u["sediment"] {
		in.Sediment = ""
	}
	if !u["after"] {
		in.After = ""
	} else if in.After == "" {
		in.After = "partial"
	}
	return in
}
