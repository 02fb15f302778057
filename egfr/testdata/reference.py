#!/usr/bin/env python3
"""Independent reference values for egfr's table tests.

Each equation is written out again here, from docs/kidney.md §2.1-§2.10, with
plain ** powers (no shared code with the Go implementation, which uses
precomputed logarithms). Run it to reproduce the "computed independently"
rows in egfr_test.go:  python3 egfr/testdata/reference.py
"""
import math

def ckdepi2021(scr, age, f):
    k, a = (0.7, -0.241) if f else (0.9, -0.302)
    return 142 * min(scr/k, 1)**a * max(scr/k, 1)**-1.200 * 0.9938**age * (1.012 if f else 1)

def ckdepi2021cys(scr, cys, age, f):
    k, a = (0.7, -0.219) if f else (0.9, -0.144)
    return (135 * min(scr/k, 1)**a * max(scr/k, 1)**-0.544 * min(cys/0.8, 1)**-0.323
            * max(cys/0.8, 1)**-0.778 * 0.9961**age * (0.963 if f else 1))

def ckdepi2012cys(cys, age, f):
    return 133 * min(cys/0.8, 1)**-0.499 * max(cys/0.8, 1)**-1.328 * 0.996**age * (0.932 if f else 1)

def ckdepi2009(scr, age, f, black, female_const=141*1.018):
    k, a = (0.7, -0.329) if f else (0.9, -0.411)
    c = female_const if f else 141
    return c * min(scr/k, 1)**a * max(scr/k, 1)**-1.209 * 0.993**age * (1.159 if black else 1)

def mdrd(scr, age, f, black, c=175):
    return c * scr**-1.154 * age**-0.203 * (0.742 if f else 1) * (1.212 if black else 1)

def ekfc_q_umol(age, f):
    if age > 25:
        return 62.0 if f else 80.0
    if f:
        return math.exp(3.080 + 0.177*age - 0.223*math.log(age) - 0.00596*age**2 + 0.0000686*age**3)
    return math.exp(3.200 + 0.259*age - 0.543*math.log(age) - 0.00763*age**2 + 0.0000790*age**3)

def ekfc_form(x, age):
    a = -0.322 if x < 1 else -1.132
    return 107.3 * x**a * (0.990**(age-40) if age > 40 else 1)

def ekfc(scr, age, f, q_mgdl=None):
    q = q_mgdl if q_mgdl is not None else ekfc_q_umol(age, f) / 88.4
    return ekfc_form(scr/q, age)

def ekfccys(cys, age):
    q = 0.83 if age <= 50 else 0.83 + 0.005*(age-50)
    return ekfc_form(cys/q, age)

def ckid_kcr(age, f):
    if not f:
        return 39.0*1.008**(age-12) if age < 12 else 39.0*1.045**(age-12) if age < 18 else 50.8
    return 36.1*1.008**(age-12) if age < 12 else 36.1*1.023**(age-12) if age < 18 else 41.4

def ckid_kcys(age, f):
    if not f:
        return 87.2*1.011**(age-15) if age < 15 else 87.2*0.960**(age-15) if age < 18 else 77.1
    return 79.9*1.004**(age-12) if age < 12 else 79.9*0.974**(age-12) if age < 18 else 68.3

def ckid_cr(scr, ht_cm, age, f):
    return ckid_kcr(age, f) * (ht_cm/100) / scr

def ckid_cys(cys, age, f):
    return ckid_kcys(age, f) / cys

def schwartz(scr, ht_cm):
    return 0.413 * ht_cm / scr

def cg(scr, wt, age, f):
    return (140 - age) * wt / (72 * scr) * (0.85 if f else 1)

F, M = True, False
rows = [
    # CKD-EPI 2021: kappa boundaries (just below, at, just above)
    ("ckd-epi-2021 F 0.699 50", ckdepi2021(0.699, 50, F)),
    ("ckd-epi-2021 F 0.7 50", ckdepi2021(0.7, 50, F)),
    ("ckd-epi-2021 F 0.701 50", ckdepi2021(0.701, 50, F)),
    ("ckd-epi-2021 M 0.899 50", ckdepi2021(0.899, 50, M)),
    ("ckd-epi-2021 M 0.9 50", ckdepi2021(0.9, 50, M)),
    ("ckd-epi-2021 M 0.901 50", ckdepi2021(0.901, 50, M)),
    ("ckd-epi-2021 F 62umol/L 50", ckdepi2021(62/88.4, 50, F)),
    ("ckd-epi-2021 F 1.2 18", ckdepi2021(1.2, 18, F)),
    ("ckd-epi-2021 M 1.0 100", ckdepi2021(1.0, 100, M)),
    # CKD-EPI 2021 cr-cys
    ("ckd-epi-2021-cys F 0.699 0.799 50", ckdepi2021cys(0.699, 0.799, 50, F)),
    ("ckd-epi-2021-cys F 0.7 0.8 50", ckdepi2021cys(0.7, 0.8, 50, F)),
    ("ckd-epi-2021-cys F 0.701 0.801 50", ckdepi2021cys(0.701, 0.801, 50, F)),
    ("ckd-epi-2021-cys M 0.899 1.5 70", ckdepi2021cys(0.899, 1.5, 70, M)),
    ("ckd-epi-2021-cys M 0.901 0.6 30", ckdepi2021cys(0.901, 0.6, 30, M)),
    # CKD-EPI 2012 cys
    ("ckd-epi-2012-cys F 0.799 50", ckdepi2012cys(0.799, 50, F)),
    ("ckd-epi-2012-cys F 0.8 50", ckdepi2012cys(0.8, 50, F)),
    ("ckd-epi-2012-cys M 0.801 50", ckdepi2012cys(0.801, 50, M)),
    ("ckd-epi-2012-cys M 1.8 65", ckdepi2012cys(1.8, 65, M)),
    # CKD-EPI 2009
    ("ckd-epi-2009 F 0.699 50", ckdepi2009(0.699, 50, F, False)),
    ("ckd-epi-2009 F 0.7 50", ckdepi2009(0.7, 50, F, False)),
    ("ckd-epi-2009 F 0.701 50", ckdepi2009(0.701, 50, F, False)),
    ("ckd-epi-2009 M 0.899 50", ckdepi2009(0.899, 50, M, False)),
    ("ckd-epi-2009 M 0.901 50 black", ckdepi2009(0.901, 50, M, True)),
    ("ckd-epi-2009 F 1.0 50 (143.538)", ckdepi2009(1.0, 50, F, False)),
    ("ckd-epi-2009 F 1.0 50 (kidney.epi 144)", ckdepi2009(1.0, 50, F, False, female_const=144)),
    ("ckd-epi-2009 F 1.0 50 black", ckdepi2009(1.0, 50, F, True)),
    # MDRD
    ("mdrd M 1.4 60", mdrd(1.4, 60, M, False)),
    ("mdrd F 2.0 70 black", mdrd(2.0, 70, F, True)),
    ("mdrd-186 F 2.0 70", mdrd(2.0, 70, F, False, c=186)),
    # EKFC creatinine: age splits 25 / 40 and Q = 1 boundary
    ("ekfc M 1.5 70 (Q 80 umol/L)", ekfc(1.5, 70, M)),
    ("ekfc M 1.5 70 (nephro Q 0.90 mg/dL)", ekfc(1.5, 70, M, q_mgdl=0.90)),
    ("ekfc F 0.8 25 (polynomial)", ekfc(0.8, 25, F)),
    ("ekfc F 0.8 25.001 (Q 62)", ekfc(0.8, 25.001, F)),
    ("ekfc M 0.8 25 (polynomial)", ekfc(0.8, 25, M)),
    ("ekfc M 0.8 26", ekfc(0.8, 26, M)),
    ("ekfc M 1.2 40", ekfc(1.2, 40, M)),
    ("ekfc M 1.2 41", ekfc(1.2, 41, M)),
    ("ekfc F 62umol/L 30 (x = 1)", ekfc(62/88.4, 30, F)),
    ("ekfc M 0.3 2", ekfc(0.3, 2, M)),
    ("ekfc F 0.5 10", ekfc(0.5, 10, F)),
    ("ekfc M 0.9 17", ekfc(0.9, 17, M)),
    # EKFC cystatin: age splits 40 / 50
    ("ekfc-cys 1.0 40", ekfccys(1.0, 40)),
    ("ekfc-cys 1.0 41", ekfccys(1.0, 41)),
    ("ekfc-cys 1.0 50", ekfccys(1.0, 50)),
    ("ekfc-cys 1.0 51", ekfccys(1.0, 51)),
    ("ekfc-cys 0.83 30 (x = 1)", ekfccys(0.83, 30)),
    ("ekfc-cys 0.7 10", ekfccys(0.7, 10)),
    # CKiD U25 creatinine K splits 12 / 18
    ("ckid-u25 M 0.8 140cm 11.999", ckid_cr(0.8, 140, 11.999, M)),
    ("ckid-u25 M 0.8 140cm 12", ckid_cr(0.8, 140, 12, M)),
    ("ckid-u25 M 0.8 140cm 17.999", ckid_cr(0.8, 140, 17.999, M)),
    ("ckid-u25 M 0.8 140cm 18", ckid_cr(0.8, 140, 18, M)),
    ("ckid-u25 F 0.8 140cm 11.999", ckid_cr(0.8, 140, 11.999, F)),
    ("ckid-u25 F 0.8 140cm 12", ckid_cr(0.8, 140, 12, F)),
    ("ckid-u25 F 0.8 140cm 17.999", ckid_cr(0.8, 140, 17.999, F)),
    ("ckid-u25 F 0.8 140cm 18", ckid_cr(0.8, 140, 18, F)),
    ("ckid-u25 M 1.9 160cm 16 (kidney.epi 41.8)", 41.8*1.6/1.9),
    # CKiD U25 cystatin K splits: male 15 / 18, female 12 / 18
    ("ckid-u25-cys M 1.2 14.999", ckid_cys(1.2, 14.999, M)),
    ("ckid-u25-cys M 1.2 15", ckid_cys(1.2, 15, M)),
    ("ckid-u25-cys M 1.2 17.999", ckid_cys(1.2, 17.999, M)),
    ("ckid-u25-cys M 1.2 18", ckid_cys(1.2, 18, M)),
    ("ckid-u25-cys F 1.2 11.999", ckid_cys(1.2, 11.999, F)),
    ("ckid-u25-cys F 1.2 12", ckid_cys(1.2, 12, F)),
    ("ckid-u25-cys F 1.2 17.999", ckid_cys(1.2, 17.999, F)),
    ("ckid-u25-cys F 1.2 18", ckid_cys(1.2, 18, F)),
    # Cockcroft-Gault
    ("cockcroft-gault M 1.0 70kg 40", cg(1.0, 70, 40, M)),
    ("cockcroft-gault F 1.2 60kg 80", cg(1.2, 60, 80, F)),
    ("cockcroft-gault F 106umol/L 60kg 80", cg(106/88.4, 60, 80, F)),
]
for name, v in rows:
    print(f"{name:45s} {v!r}")
