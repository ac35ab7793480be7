#!/usr/bin/env bash
# Side-by-side benchmark of neardup and its peers, on the same corpus, in the
# same run, printed as one table (issue 4).
#
#   bench/peers.sh [N=100000] [--skip-datasketch] [--skip-go]
#
# What it does, in order:
#   1. installs what is missing with apt-get (sudo when not root): neardup's
#      build dependencies (scripts/install-deps.sh), the packages whose text
#      the corpus generator reads, and the Go peer (golang-go,
#      golang-github-ekzhu-minhash-lsh-dev);
#   2. builds neardup (scripts/build.sh) and the Go peer's runner
#      (../shared/peers/go_minhash_lsh/main.go, GOPATH mode) into bench/.cache/;
#   3. builds the reference corpus bench/.cache/cNk.jsonl if it is missing, with
#      ../shared/peers/make_corpus.py --n N --seed 1 --source-list
#      ../shared/peers/corpus_sources_v1.tsv (Debian's /usr/bin/python3);
#   4. runs, one after another, each through /usr/bin/time, after waiting until
#      the machine is quiet: neardup with 1 and 2 threads, datasketch
#      (../shared/peers/datasketch_dedup.py --verify) and ekzhu/minhash-lsh (Go),
#      all at threshold 0.8 with 128 permutations;
#   5. prints the machine, the corpus and one Markdown table; raw outputs stay
#      in bench/.cache/peers-cNk/ (table.md, *.stdout, *.stderr, *.time).
#
# datasketch is never part of this repository: fetch a checkout of
# ekzhu/datasketch yourself and point DATASKETCH_DIR at it (the folder that
# holds datasketch/__init__.py). Without it, datasketch is skipped.
#
# To reproduce:
#   DATASKETCH_DIR=/path/to/datasketch bench/peers.sh 100000
#
# Environment: DATASKETCH_DIR (see above); PEERS_MIN_IDLE (default 0.9: idle
# fraction of all CPUs, over 2 s, to wait for before each run); PEERS_MAX_WAIT
# (default 900 s: run anyway after that, and say so).
#
# Recall (same for every peer): among the planted pairs (documents with a
# non-null "dup_of") whose "jaccard_to_src" is >= 0.8 (resp. 0.85), the fraction
# whose two documents end up in the same group. False groups: groups of two or
# more that mix different ground-truth clusters ("cluster" field).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

n=100000
skip_datasketch=0
skip_go=0
for arg in "$@"; do
  case "$arg" in
    --skip-datasketch) skip_datasketch=1 ;;
    --skip-go) skip_go=1 ;;
    -h|--help) usage; exit 0 ;;
    ''|*[!0-9]*) echo "peers.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    *) n="$arg" ;;
  esac
done

threshold=0.8
num_perm=128
min_idle="${PEERS_MIN_IDLE:-0.9}"
max_wait="${PEERS_MAX_WAIT:-900}"
py=/usr/bin/python3            # Debian's, with python3-numpy and python3-scipy
peers_dir=../shared/peers
[ -d "$peers_dir" ] || { echo "peers.sh: $peers_dir not found (expected beside the repo)" >&2; exit 1; }
peers_dir="$(cd "$peers_dir" && pwd)"

if (( n % 1000 == 0 )); then tag="c$((n / 1000))k"; else tag="c$n"; fi
cache=bench/.cache
corpus="$cache/$tag.jsonl"
run_dir="$cache/peers-$tag"
log() { echo "peers.sh: $*" >&2; }

# ---------------------------------------------------------------- 1. install
# make_corpus.py's sources (see ../shared/peers/README.md). The last line is
# what apt-get adds as Recommends of python3-bs4, python3-lxml and
# python3-scipy: the reference source list holds 40 of their man pages and
# /usr/share/doc files, so they are named here in case the others were
# installed with --no-install-recommends.
corpus_packages=(
  python3-numpy python3-scipy mandoc python3-bs4 python3-lxml python3-icu edict
  dict-freedict-deu-eng dict-freedict-eng-deu dict-freedict-eng-ita
  dict-freedict-eng-jpn dict-freedict-ita-eng dict-freedict-jpn-eng
  python3-chardet python3-html5lib python3-pil python3-olefile mime-support
)
packages=(python3 time "${corpus_packages[@]}")
(( skip_go )) || packages+=(golang-go golang-github-ekzhu-minhash-lsh-dev)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
scripts/install-deps.sh >&2

# ---------------------------------------------------------------- 2. build
log "building neardup (scripts/build.sh)"
scripts/build.sh >&2
rm -rf "$run_dir"   # outputs of the previous run with this N
mkdir -p "$cache" "$run_dir"
go_bin="$cache/go_minhash_lsh"
if (( ! skip_go )) && { [ ! -x "$go_bin" ] || [ "$peers_dir/go_minhash_lsh/main.go" -nt "$go_bin" ]; }; then
  log "building the Go peer into $go_bin (GOPATH mode, Debian's ekzhu/minhash-lsh)"
  GO111MODULE=off GOPATH="/usr/share/gocode${HOME:+:$HOME/go}" GOFLAGS="" \
    GOCACHE="$PWD/$cache/go-build" \
    go build -o "$go_bin" "$peers_dir/go_minhash_lsh/main.go"
fi

datasketch_note=""
if (( skip_datasketch )); then
  datasketch_note="datasketch: skipped (--skip-datasketch)"
elif [ -z "${DATASKETCH_DIR:-}" ]; then
  datasketch_note="datasketch: skipped, DATASKETCH_DIR is not set (a checkout of ekzhu/datasketch, never committed here)"
elif [ ! -f "$DATASKETCH_DIR/datasketch/__init__.py" ]; then
  datasketch_note="datasketch: skipped, $DATASKETCH_DIR/datasketch/__init__.py not found"
fi
[ -z "$datasketch_note" ] || log "$datasketch_note"

# ---------------------------------------------------------------- 3. corpus
if [ ! -s "$corpus" ] || [ ! -s "$corpus.manifest.json" ]; then
  log "building $corpus ($n documents; about 30 s for 10k, 50 s for 100k)"
  "$py" "$peers_dir/make_corpus.py" --n "$n" --seed 1 \
    --source-list "$peers_dir/corpus_sources_v1.tsv" --out "$corpus" > "$run_dir/make_corpus.log"
fi

# All ground-truth and result parsing is done by this one Python helper:
#   truth CORPUS TRUTH_TSV          -> writes id, dup_of, cluster, jaccard_to_src;
#                                      prints "docs text_bytes sha256 missing_files"
#   neardup TRUTH OUTDIR            -> prints one result line (fields below)
#   datasketch TRUTH JSON PAIRS THR -> same, recall from the pairs it printed
#   go TRUTH JSON                   -> same, recall n/a (see the footer)
# Result line, tab-separated: candidates verified groups r80 r85 false own_s lsh note
read -r -d '' ANALYZE <<'PY' || true
import json, os, sys

def load_truth(path):
    rows = []
    with open(path) as f:
        for line in f:
            i, d, c, j = line.rstrip("\n").split("\t")
            rows.append((i, d or None, c, float(j) if j else None))
    return rows

def score(truth, group_of):
    """group_of(id) -> group key or None (singleton)."""
    cluster = {i: c for i, _, c, _ in truth}
    out = []
    for thr in (0.8, 0.85):
        planted = [(i, d) for i, d, _, j in truth if d and d in cluster and j is not None and j >= thr]
        hit = sum(1 for i, d in planted
                  if group_of(i) is not None and group_of(i) == group_of(d))
        out.append("%.4f" % (hit / len(planted)) if planted else "n/a")
    members = {}
    for i in cluster:
        g = group_of(i)
        if g is not None:
            members.setdefault(g, set()).add(cluster[i])
    false = sum(1 for cs in members.values() if len(cs) > 1)
    return out[0], out[1], str(false), len(members)

def union_find_groups(ids, pairs):
    parent = {}
    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    return lambda i: find(i) if i in parent else None

def emit(*fields):
    print("\t".join(str(f) for f in fields))

mode, args = sys.argv[1], sys.argv[2:]
if mode == "truth":
    corpus, out = args
    docs = nbytes = 0
    with open(corpus, encoding="utf-8") as f, open(out + ".tmp", "w") as w:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            docs += 1
            nbytes += len(d["text"].encode("utf-8"))
            j = d.get("jaccard_to_src")
            w.write("%s\t%s\t%s\t%s\n" % (d["id"], d.get("dup_of") or "", d.get("cluster") or d["id"],
                                          "" if j is None else j))
    os.replace(out + ".tmp", out)
    try:
        with open(corpus + ".manifest.json") as f:
            m = json.load(f)
        sha, miss = m.get("output_sha256", "?"), m.get("pool", {}).get("missing_files", "?")
    except (OSError, ValueError):
        sha, miss = "?", "?"
    emit(docs, nbytes, sha, miss)
elif mode == "neardup":
    truth = load_truth(args[0])
    with open(os.path.join(args[1], "summary.json")) as f:
        s = json.load(f)
    group = {}
    with open(os.path.join(args[1], "documents.jsonl")) as f:
        for line in f:
            d = json.loads(line)
            group[str(d["id"])] = d["group"]
    r80, r85, false, ngroups = score(truth, group.get)
    c = s["counts"]
    twins = c.get("identical_signatures", 0)
    cand = "%d + %d twins" % (c["candidate_pairs"], twins) if twins else c["candidate_pairs"]
    p = s["parameters"]
    emit(cand, c["verified_pairs"], c["groups"], r80, r85, false, s["timings"]["total_s"],
         "%s×%s" % (p["bands"], p["rows"]), "")
elif mode == "datasketch":
    truth = load_truth(args[0])
    with open(args[1]) as f:
        s = json.load(f)
    thr = float(args[3])
    kept = []
    with open(args[2]) as f:
        for line in f:
            a, b, est = line.rstrip("\n").split("\t")
            if float(est) >= thr:
                kept.append((a, b))
    r80, r85, false, ngroups = score(truth, union_find_groups([t[0] for t in truth], kept))
    note = ""
    own = s.get("truth", {}).get("verified_recall_same_cluster_ge_threshold")
    if own is not None and abs(own - float(r80)) > 1e-4:
        note = "runner's own verified recall at J>=%.2f is %s" % (thr, own)
    if len(kept) != s.get("verified_pairs") or ngroups != s.get("verified_clusters_gt1"):
        note += " pairs/groups differ from the runner's summary"
    emit(s["candidate_pairs"], s["verified_pairs"], s["verified_clusters_gt1"], r80, r85, false,
         s["seconds"]["total"], "%s×%s" % (s["params"]["lsh_bands"], s["params"]["lsh_rows"]), note.strip())
elif mode == "go":
    with open(args[1]) as f:
        s = json.load(f)
    emit(s["candidate_pairs"], s["verified_pairs"], s["verified_clusters_gt1"], "n/a", "n/a", "n/a",
         s["seconds"]["total"], "%s×%s" % (s["lsh_l_bands"], s["lsh_k_rows"]), "")
PY
analyze() { "$py" -c "$ANALYZE" "$@"; }

truth="$cache/$tag.truth.tsv"
read -r docs text_bytes corpus_sha missing_files < <(analyze truth "$corpus" "$truth")

# ---------------------------------------------------------------- 4. runs
hz=$(getconf CLK_TCK)
# busy and total jiffies of all CPUs (idle = idle + iowait), as bench.py counts
cpu_jiffies() {
  awk 'NR == 1 { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}
idle_fraction() {  # over 2 s
  local b0 t0 b1 t1
  read -r b0 t0 < <(cpu_jiffies); sleep 2; read -r b1 t1 < <(cpu_jiffies)
  awk -v b="$((b1 - b0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.3f", 1 - b / (t > 0 ? t : 1) }'
}
wait_quiet() {  # prints the idle fraction seen last
  local start=$SECONDS idle
  while :; do
    idle=$(idle_fraction)
    if awk -v i="$idle" -v m="$min_idle" 'BEGIN { exit !(i >= m) }'; then break; fi
    if (( SECONDS - start > max_wait )); then
      log "machine still busy after ${max_wait}s (idle $idle); running anyway"
      break
    fi
  done
  echo "$idle"
}

rows="$run_dir/rows.tsv"
: > "$rows"
# run NAME THREADS KIND [ANALYZE ARGS...] -- COMMAND...
run() {
  local name="$1" threads="$2" kind="$3"; shift 3
  local extra=()
  while [ "$1" != "--" ]; do extra+=("$1"); shift; done
  shift
  local stem="$run_dir/$name-t$threads" idle b0 b1 rc=0
  log "waiting for a quiet machine (idle >= $min_idle over 2 s) before $name, $threads thread(s)"
  idle=$(wait_quiet)
  log "running $name ($threads thread(s)), idle before: $idle"
  read -r b0 _ < <(cpu_jiffies)
  /usr/bin/time -f '%e %M %U %S' -o "$stem.time" "$@" > "$stem.stdout" 2> "$stem.stderr" || rc=$?
  read -r b1 _ < <(cpu_jiffies)
  if (( rc != 0 )); then
    log "$name failed (exit $rc); see $stem.stderr"
    tail -5 "$stem.stderr" >&2 || true
    printf '%s\t%s\tfailed (exit %s)\n' "$name" "$threads" "$rc" >> "$rows"
    return 0
  fi
  local wall kib user sys result
  read -r wall kib user sys < <(tail -1 "$stem.time")
  result=$(analyze "$kind" "$truth" "${extra[@]}")
  local other
  other=$(awk -v b="$((b1 - b0))" -v hz="$hz" -v u="$user" -v s="$sys" \
    'BEGIN { o = b / hz - u - s; printf "%.1f", (o > 0 ? o : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$threads" "$wall" "$kib" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')" "$other" "$idle" "$result" >> "$rows"
}

for t in 1 2; do
  out="$run_dir/neardup-out-t$t"
  rm -rf "$out"
  run neardup "$t" neardup "$out" -- \
    build/neardup dedup "$corpus" --threshold "$threshold" --num-perm "$num_perm" \
    --threads "$t" --out "$out" --quiet --no-cross-language
done
if [ -z "$datasketch_note" ]; then
  run datasketch 1 datasketch "$run_dir/datasketch-t1.stdout" "$run_dir/datasketch-pairs.tsv" "$threshold" -- \
    "$py" "$peers_dir/datasketch_dedup.py" --peer-path "$DATASKETCH_DIR" --input "$corpus" \
    --threshold "$threshold" --num-perm "$num_perm" --verify --pairs-out "$run_dir/datasketch-pairs.tsv"
  ds_version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$DATASKETCH_DIR/pyproject.toml" 2>/dev/null | head -1)
fi
if (( ! skip_go )); then
  run go-minhash-lsh 1 go "$run_dir/go-minhash-lsh-t1.stdout" -- "$go_bin" "$corpus" "$threshold"
fi

# ---------------------------------------------------------------- 5. report
report() {
  local mem cpu commit dirty=""
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  cpu=$(awk -F': ' '/^model name/ && !m { m = $2 } /^cpu family/ && !f { f = $2 }
                   /^model[ \t]*:/ && !d { d = $2 } END { printf "%s (family %s, model %s)", m, f, d }' /proc/cpuinfo)
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
  git diff --quiet HEAD 2>/dev/null || dirty=" (with uncommitted changes)"
  echo "date:    $(date '+%Y-%m-%d %H:%M:%S %z')"
  echo "machine: $(nproc) cores, $mem, ${cpu:-unknown CPU}; $(. /etc/os-release && echo "$PRETTY_NAME")"
  local ref=""
  case "$n" in
    10000) ref=4baa62f7fa50 ;;
    100000) ref=fd60fb146ca5 ;;
  esac
  local same=""
  if [ -n "$ref" ]; then
    if [ "${corpus_sha:0:12}" = "$ref" ]; then same=", the reference corpus byte for byte"
    else same=", differs from the reference ($ref…): other versions of the source files"; fi
  fi
  echo "corpus:  $corpus: $docs documents, $(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of text," \
       "sha256 ${corpus_sha:0:12}…$same; $missing_files listed source files missing"
  echo "params:  threshold $threshold, $num_perm permutations; neardup $commit$dirty${ds_version:+; datasketch $ds_version}$( (( skip_go )) || echo "; ekzhu/minhash-lsh $(dpkg-query -W -f='${Version}' golang-github-ekzhu-minhash-lsh-dev), $(go version | cut -d' ' -f3)")"
  echo
  echo "| peer | threads | seconds | own s | docs/s | MB/s | peak RSS MiB | CPU s | other CPU s | candidate pairs | verified pairs | groups | recall J≥0.8 | recall J≥0.85 | false groups |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  local name threads wall kib cpus other idle cand ver groups r80 r85 false own lsh note
  local idles="" lshs="" rownotes=""
  while IFS=$'\t' read -r name threads wall kib cpus other idle cand ver groups r80 r85 false own lsh note; do
    if [[ "$wall" == failed* ]]; then
      echo "| $name | $threads | $wall | | | | | | | | | | | | |"
      continue
    fi
    awk -v p="$name" -v t="$threads" -v w="$wall" -v own="$own" -v n="$docs" -v b="$text_bytes" -v k="$kib" \
        -v c="$cpus" -v o="$other" -v cand="$cand" -v ver="$ver" -v g="$groups" -v r80="$r80" -v r85="$r85" -v f="$false" \
      'BEGIN { printf "| %s | %s | %.2f | %.2f | %.0f | %.2f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n",
               p, t, w, own, n / w, b / 1e6 / w, k / 1024, c, o, cand, ver, g, r80, r85, f }'
    idles+="${idles:+, }$name-t$threads $idle"
    [[ "$lshs" == *"$name "* ]] || lshs+="${lshs:+, }$name $lsh"
    [ -z "$note" ] || rownotes+="- $name: $note"$'\n'
  done < "$rows"
  echo
  local ds=0 go=$((1 - skip_go))
  [ -n "$datasketch_note" ] || ds=1
  echo "- seconds: wall clock of the whole process (/usr/bin/time), start-up and output included; docs/s"
  echo "  and MB/s divide the corpus (documents; UTF-8 bytes of the \"text\" fields, MB = 10^6 B) by it."
  echo "  own s: the tool's own timer; neardup's covers reading to grouping."
  (( ds )) && echo "  datasketch's excludes interpreter start-up, imports and writing its pairs."
  (( go )) && echo "  The Go runner's stops before its verification step (seconds.total excludes verify_and_recluster)."
  echo "- CPU s: user + sys. other CPU s: CPU time that other processes used during the run (0 on a"
  echo "  quiet machine). Idle fraction over 2 s before each run: $idles."
  echo "- recall: planted pairs (\"dup_of\" set, \"jaccard_to_src\" ≥ 0.8 resp. 0.85 under shingle rule v1)"
  echo "  whose two documents share a group. false groups: groups mixing ground-truth clusters."
  echo "  groups: groups of two or more after verification on the MinHash estimate (≥ $threshold)."
  echo "  LSH bands × rows: $lshs."
  echo "- neardup: groups from its documents.jsonl. It does not follow rule v1 (ICU normalization and"
  echo "  word breaks, CJK segmentation, XXH3). Its candidate pairs leave out documents whose signature"
  echo "  equals an earlier one's (\"twins\", joined directly); its verified pairs link each group but"
  echo "  are not all of a group's pairs (an exact copy is linked to its first copy only)."
  (( ds )) && { echo "- datasketch: groups by union-find over its candidate pairs whose estimate is ≥ $threshold"
                echo "  (--verify, --pairs-out); these are its verified_clusters_gt1, and the recall at J ≥ $threshold"
                echo "  is checked against its own \"truth\".verified_recall_same_cluster_ge_threshold."; }
  (( go )) && { echo "- go-minhash-lsh: its runner prints counts only (no pairs, no groups, no ground truth), so"
                echo "  recall and false groups cannot be computed (n/a); groups: its verified_clusters_gt1."; }
  [ -z "$datasketch_note" ] || echo "- $datasketch_note"
  [ -z "$rownotes" ] || printf '%s' "$rownotes"
}
report | tee "$run_dir/table.md"
