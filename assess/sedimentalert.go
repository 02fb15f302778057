package assess

import (
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// sedimentAlert reads the latest urine microscopy visit in the current window.
func (a *assessor) sedimentAlert() {
	last, what := a.activeSediment()
	if last.IsZero() {
		if a.lupusOn {
			a.miss("alerts.active-sediment", "no urine microscopy (RBC, WBC or casts) in the "+num(a.cfg.CurrentWindow.Hours()/24)+" days before as_of")
		}
		return
	}
	if len(what) > 0 {
		// The definition is part of the message, not of the source (trial
		// #11): active (nephritic) sediment is > 5 RBC/hpf, > 5 WBC/hpf
		// without infection, or cellular casts (srcSediment).
		a.alert(AlertActiveSediment, Warning, sedimentText(last, what)+"; active sediment is > 5 RBC/hpf, > 5 WBC/hpf without infection, or cellular casts: infection, stones and menstruation also cause it", srcSediment, last)
	}
}

// sedimentText is "active urinary sediment on DATE: 8 RBC/hpf, urinary
// casts".
func sedimentText(at time.Time, what []string) string {
	msg := "active urinary sediment on " + date(at) + ":"
	for i, w := range what {
		if i > 0 {
			msg += ","
		}
		msg += " " + w
	}
	return msg
}

// activeSediment returns the latest urine microscopy visit in the current
// window (zero when there is none) and what was active at it: > 5 RBC/hpf,
// > 5 WBC/hpf, urinary casts (lupus.md §6).
func (a *assessor) activeSediment() (time.Time, []string) {
	var last time.Time
	for _, an := range []units.Analyte{units.UrineRBC, units.UrineWBC} {
		if o, ok := a.current(an); ok && o.Time.After(last) {
			last = o.Time
		}
	}
	// Findings are in time order: none before as_of - CurrentWindow can
	// pass (for a window short enough that Sub cannot saturate), and none
	// after as_of; only those between are read.
	fs, lo := a.tl.Findings, 0
	if w := a.cfg.CurrentWindow; w >= 0 && w < 100*365*day {
		lo = searchFrom(a.findingStamps(), a.asOfS.add(-w))
	}
	for i := lo; i < len(fs); i++ {
		if f := &fs[i]; f.Code == record.FindingUrinaryCasts && !f.Time.After(a.asOf) && a.asOf.Sub(f.Time) <= a.cfg.CurrentWindow && f.Time.After(last) && a.currentState(f.Time) {
			last = f.Time
		}
	}
	if last.IsZero() {
		return last, nil
	}
	var what []string
	for _, s := range []struct {
		an   units.Analyte
		name string
	}{{units.UrineRBC, "RBC"}, {units.UrineWBC, "WBC"}} {
		if o, ok := a.nearestExact(s.an, last, visitTolerance); ok && o.Value.Value > 5 {
			what = append(what, num(o.Value.Value)+" "+s.name+"/hpf")
		}
	}
	if c := a.castsNear(last); c != nil && *c {
		what = append(what, "urinary casts")
	}
	return last, what
}
