// Package worklist owns the filters and sort keys of a patient list, one
// grammar and one evaluator for both lists that RenalWatch shows: the
// "renalwatch patients --filter/--sort" command and the dashboard's list
// (GET /api/patients and its page). Each list keeps its own row type and
// describes a row to this package as Facts.
//
// The filter grammar is KEY OPERATOR VALUE (stage>=G4, risk=very high,
// egfr<30, kfre5y>=5%, last-seen<2025-01-01, alert=renal-flare) or a bare
// word (overdue, alive, deceased); a patient without the value does not
// match. Sort keys order rows mildest, lowest or oldest first, patients
// without the value last in either direction, ties by patient id.
// Categories rank as KDIGO orders them (KDIGO 2012 Table 5 and Figure 9,
// kept in KDIGO 2024).
package worklist
