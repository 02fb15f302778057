package server

import "renalwatch/assess"

// effectGroup is one therapy's rows of the patient page's before/after
// table (trial #8): the drug (with its indication, such as graft
// immunosuppression) and evidence level once, as the group's heading,
// then one row per course.
type effectGroup struct {
	Name, Indication string
	Evidence         assess.Evidence
	Courses          []assess.Therapy
}

// effectGroups groups the therapy courses ths by drug, indication and
// evidence level: the groups in the order of their first course, the
// courses of a group in the order of ths (start date, then name, then id;
// assess lists them so).
func effectGroups(ths []assess.Therapy) []effectGroup {
	var out []effectGroup
	at := map[[3]string]int{}
	for _, th := range ths {
		k := [3]string{th.Name, th.Indication, string(th.Evidence)}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, effectGroup{Name: th.Name, Indication: th.Indication, Evidence: th.Evidence})
		}
		out[i].Courses = append(out[i].Courses, th)
	}
	return out
}
