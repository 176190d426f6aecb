#!/usr/bin/env bash
# Side-by-side timing: the Python `lifetimes` package against
# `clientele fit` / `clientele analyze` on the same purchases CSV.
#
#   scripts/bench-lifetimes.sh            # CDNOW sample and CDNOW master
#   BIG=1 scripts/bench-lifetimes.sh      # also 100,000 members / ~1M purchases
#                                         # (clientele only; lifetimes takes minutes)
#
# Python is installed into a throwaway virtual environment under target/;
# the project's tests never need it. Times are wall-clock medians of RUNS
# runs (default 3). Python is timed inside the interpreter (reading the CSV
# through the last prediction, imports excluded); clientele as a whole
# process (start, CSV parse, output), so the ratio flatters Python.
# Timings on a shared machine can wander by a third: compare ratios
# from one run, never across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/bench-lifetimes
VENV=$WORK/venv
RUNS=${RUNS:-3}
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet lifetimes
fi
PY=$VENV/bin/python

cargo build --release -p clientele --quiet
BIN=$ROOT/target/release/clientele

# The CSVs: member_id,date,amount.
"$PY" - "$ROOT/tests/data/CDNOW_sample.txt" "$WORK" <<'EOF'
import sys, os, lifetimes
sample, work = sys.argv[1], sys.argv[2]
def convert(src, dst, skip_header):
    with open(src) as f, open(dst, "w") as out:
        out.write("member_id,date,amount\n")
        for n, line in enumerate(f):
            if skip_header and n == 0:
                continue
            p = line.split()
            if len(p) < 4:
                continue
            d = p[-3] if len(p) == 5 else p[1]
            out.write(f"{p[0]},{d[:4]}-{d[4:6]}-{d[6:]},{p[-1]}\n")
convert(sample, os.path.join(work, "cdnow_sample.csv"), False)
master = os.path.join(os.path.dirname(lifetimes.__file__), "datasets", "CDNOW_master.txt")
convert(master, os.path.join(work, "cdnow_master.csv"), True)
EOF

cat > "$WORK/lt.py" <<'EOF'
import sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data
path, mode, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={"member_id": str})
    s = summary_data_from_transaction_data(
        df, "member_id", "date", monetary_value_col="amount",
        observation_period_end="1997-09-30", freq="D", freq_multiplier=7)
    bg = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    gg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    if mode == "analyze":
        s["p_alive"] = bg.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
        s["expected_purchases"] = bg.conditional_expected_number_of_purchases_up_to_time(
            52, s["frequency"], s["recency"], s["T"])
        s["clv"] = gg.customer_lifetime_value(
            bg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
            time=12, discount_rate=0.01, freq="W")
        s.to_csv("/dev/null")
    times.append(time.perf_counter() - t0)
times.sort()
p = bg.params_
print(f"{times[len(times)//2]:.4f} r={p['r']:.3f} alpha={p['alpha']:.3f} a={p['a']:.3f} b={p['b']:.3f}")
EOF

median_run() { # command... -> median seconds over RUNS, after one warm-up
    local ts=()
    # Python's runs share one warm interpreter; this gives the command the
    # same chance (binary and file in the page cache).
    "$@" >/dev/null
    for _ in $(seq "$RUNS"); do
        # Bash's own clock: timing with `date` would add two process starts
        # to every run.
        local t0 t1
        t0=$EPOCHREALTIME
        "$@" >/dev/null
        t1=$EPOCHREALTIME
        ts+=("$(echo "$t1 - $t0" | bc -l)")
    done
    printf '%s\n' "${ts[@]}" | sort -g | sed -n "$(( (RUNS + 1) / 2 ))p"
}

printf '%-34s %-8s %10s %10s %8s\n' "data" "command" "lifetimes" "clientele" "ratio"
for name in cdnow_sample cdnow_master; do
    csv=$WORK/$name.csv
    rows=$(($(wc -l <"$csv") - 1))
    members=$(tail -n +2 "$csv" | cut -d, -f1 | sort -u | wc -l)
    for mode in fit analyze; do
        py_out=$("$PY" "$WORK/lt.py" "$csv" "$mode" "$RUNS")
        py=${py_out%% *}
        if [ "$mode" = fit ]; then
            rs=$(median_run "$BIN" fit --purchases "$csv" --as-of 1997-09-30 --period week)
        else
            rs=$(median_run "$BIN" analyze --purchases "$csv" --as-of 1997-09-30 --period week --horizon 52)
        fi
        printf '%-34s %-8s %9.3fs %9.3fs %7.1fx\n' "$name ($members m, $rows p)" "$mode" "$py" "$rs" "$(echo "$py / $rs" | bc -l)"
    done
    echo "  lifetimes fit: ${py_out#* }"
    echo "  clientele fit: $("$BIN" fit --purchases "$csv" --as-of 1997-09-30 --period week)"
done

if [ "${BIG:-0}" = 1 ]; then
    big=$WORK/big.csv
    if [ ! -f "$big" ]; then
        "$PY" - "$big" <<'EOF'
import sys, random
from datetime import date, timedelta
# BG/NBD-like histories: a Poisson rate while active, a dropout chance
# after each purchase, and a personal mean spend.
random.seed(42)
start = date(2024, 10, 1)
with open(sys.argv[1], "w") as out:
    out.write("member_id,date,amount\n")
    for m in range(1, 100_001):
        t = float(random.randrange(0, 700))
        rate = random.gammavariate(0.9, 1 / 18.0)
        p = random.betavariate(1.0, 12.0)
        spend = random.gammavariate(4.0, 150.0)
        while t <= 729:
            amount = max(1.0, random.gammavariate(6.0, spend / 6.0))
            out.write(f"M{m},{start + timedelta(days=int(t))},{amount:.2f}\n")
            if random.random() < p or rate <= 0:
                break
            t += random.expovariate(rate)
EOF
    fi
    rows=$(($(wc -l <"$big") - 1))
    rs=$(median_run "$BIN" analyze --purchases "$big" --as-of 2026-09-30 --period week)
    printf '%-34s %-8s %10s %9.3fs\n' "big (100000 m, $rows p)" analyze "-" "$rs"
fi
