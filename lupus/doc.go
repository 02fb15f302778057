// Package lupus owns the lupus and lupus nephritis rules: SLEDAI-2K disease
// activity, the 2019 EULAR/ACR SLE classification criteria, the ISN/RPS
// biopsy class with the modified NIH activity and chronicity indices, and
// named, versioned renal response and renal flare rules.
//
// Sources (details and the check made on each are in the doc comments):
//
//   - SLEDAI-2K: Gladman, Ibañez, Urowitz. J Rheumatol 2002;29:288-91; 30-day
//     window: Touma et al. Lupus 2010;19:49-51; renal SLEDAI: Mina et al.
//     Arthritis Care Res 2016;68:195.
//   - Classification: Aringer et al. Ann Rheum Dis 2019;78:1151 and Arthritis
//     Rheumatol 2019;71:1400.
//   - Biopsy: Weening et al. Kidney Int 2004;65:521 (ISN/RPS 2003); Bajema et
//     al. Kidney Int 2018;93:789-96 (2018 revision, modified NIH indices).
//   - Response: KDIGO 2024 LN guideline; EULAR/ERA-EDTA 2019 (Fanouriakis,
//     Ann Rheum Dis 2020;79:713); ACR 2024 (Sammaritano, Arthritis Care Res
//     2025;77:1045); BLISS-LN (Furie, NEJM 2020;383:1117); AURORA 1 (Rovin,
//     Lancet 2021;397:2070).
//   - Flare: KDIGO 2012 GN guideline Table 29; Moroni/Ponticelli; EULAR/ERA-EDTA
//     2012 (Bertsias, Ann Rheum Dis 2012;71:1771); AURORA 2.
//
// Caveats. Where guidelines disagree each definition is a separate rule and
// every result names the rule that produced it (docs/caveats.md, "Lupus
// rules", records each decision). UPCR cut-offs are applied in the unit the
// laboratory reported, using the source's own number for that unit
// (KDIGO pairs 0.5 g/g with 50 mg/mmol although the chemistry gives 56.6).
// Criteria that the inputs cannot show (rescue therapy, glucocorticoid dose,
// reproducibility, adjudication) are reported as not assessed, never assumed
// met. The ISN/RPS class is histology and never a CKD stage: "class IV" is
// not "CKD G4". Classification criteria are not a diagnosis. Nothing here
// checks that a finding is attributable to lupus; that is the assessor's
// judgement.
package lupus
